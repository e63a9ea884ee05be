package io.suho.bench.drill;

import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.StreamSpec;
import io.suho.events.Event;
import io.suho.test.StoreKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Drill on NATS JetStream: one {@code jsPublish} per id (event id derived from the drill id, so a retried id carries
 * the same {@code Nats-Msg-Id} and the stream deduplicates it), the last message read back, and a read of the whole
 * stream to account. No lookup by id: {@code ambiguous_first_landed} is -1.
 */
public final class NatsDrillTarget extends SuhoDrillTarget {
    private NatsClient nats;
    private String stream;
    private String subject;

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public StoreKind kind() {
        return StoreKind.NATS;
    }

    @Override
    public void setUp() {
        nats = connect(StoreKind.NATS).get(NatsClient.class);
        stream = "DRILL_" + run.toUpperCase(Locale.ROOT);
        subject = "drill." + run + ".writes";
        // the duplicate window must outlast the outage plus the retries: a 150-s drill retries ids ~3 min old
        nats.ensureStream(StreamSpec.of(stream, subject).withMaxAge(Duration.ofHours(1))
                .withDuplicateWindow(Duration.ofMinutes(10)));
    }

    static UUID eventId(String id) {
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void write(String id) {
        nats.jsPublish(subject, Event.builder("drill.write").id(eventId(id)).source("drill-nats").key(id)
                .text(id, "text/plain").build());
    }

    /**
     * A stream has no read by key: the read is the stream's last message on the subject, fetched from the server
     * through the client's call pipeline. The stream is read back whole in {@link #account}.
     */
    @Override
    public void read(String id) {
        nats.execute("drill_read", true, c -> c.jetStreamManagement().getLastMessage(stream, subject));
    }

    @Override
    public boolean nativeReady() {
        return NativeReady.nats();
    }

    @Override
    public Account account(Set<String> ids) throws Exception {
        Set<String> stored = new HashSet<>();
        long[] total = {0};
        StreamReader.readAll(nats.connection(), stream, subject, m -> {
            stored.add(new String(m.getData(), StandardCharsets.UTF_8));
            total[0]++;
        });
        long inStream = nats.connection().jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
        System.out.printf(Locale.ROOT, "[drill] stream %s: %d messages, %d read, %d distinct ids%n", stream, inStream,
                total[0], stored.size());
        // JetStream drops a re-sent Nats-Msg-Id inside the duplicate window before storing: what is stored is
        // both the raw count and what a reader sees
        return new Account(stored, total[0] - stored.size(), total[0] - stored.size());
    }

    @Override
    public void close() {
        try {
            if (nats != null && stream != null) {
                nats.connection().jetStreamManagement().deleteStream(stream);
            }
        } catch (Exception e) {
            System.out.println("[drill] could not delete stream " + stream + ": " + e);
        }
        super.close();
    }
}
