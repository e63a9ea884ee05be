package io.suho.client.messaging;

import io.suho.events.EventCodec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * NATS taken away under JetStream publish load (graceful stop, and SIGSTOP = a hung server) with a durable consumer
 * running: acked ids are all in the stream, ambiguous ones re-published with the same Nats-Msg-Id leave no duplicate,
 * the consumer resumes from its acked position. Outages are kept short: the local stack is shared.
 */
class NatsOutageIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    @Test
    void serverStoppedUnderLoad(@RealStore(StoreKind.NATS) StoreServer nats) throws Exception {
        outage(nats, "stop");
    }

    @Test
    void serverPausedUnderLoad(@RealStore(StoreKind.NATS) StoreServer nats) throws Exception {
        outage(nats, "pause");
    }

    private void outage(StoreServer server, String mode) throws Exception {
        server.requireLocal("outage(" + mode + ")", mode + " NATS");
        String stream = "IT_OUTAGE_" + mode.toUpperCase(java.util.Locale.ROOT) + "_" + RUN;
        String subject = "it." + RUN + ".outage." + mode;
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("nats-outage-it")).build()) {
            NatsClient nats = suho.get(NatsClient.class);
            nats.ensureStream(StreamSpec.of(stream, subject).withMaxAge(Duration.ofHours(1))
                    .withDuplicateWindow(Duration.ofMinutes(10)));
            Map<UUID, Integer> consumed = new ConcurrentHashMap<>();
            AtomicLong consumedMessages = new AtomicLong();
            EventConsumer consumer = nats.consume(PullConsumerSpec.of(stream, "outage-reader")
                    .withAckWait(Duration.ofSeconds(5)), e -> {
                        consumed.merge(e.id(), 1, Integer::sum);
                        consumedMessages.incrementAndGet();
                    });
            OutageLoad load = new OutageLoad(3, 20, "order.created", e -> nats.jsPublish(subject, e));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acked.size() >= 30 && consumed.size() >= 10);
                if (mode.equals("stop")) {
                    LocalStack.down(StoreKind.NATS);
                } else {
                    LocalStack.pause(StoreKind.NATS);
                }
                // the outage lasts until callers are being rejected by the open breaker (no network I/O)
                await().atMost(Duration.ofSeconds(20)).until(() -> load.breakerRejections.get() >= 20);
            } finally {
                if (mode.equals("stop")) {
                    LocalStack.up(StoreKind.NATS);
                } else {
                    LocalStack.resume(StoreKind.NATS);
                }
            }
            long ackedBefore = load.acked.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.acked.size() >= ackedBefore + 30);
            load.stop();
            await().atMost(Duration.ofSeconds(30)).until(load::settleAmbiguous);

            Set<UUID> acked = load.mustExist();
            await().atMost(Duration.ofSeconds(60)).until(() -> consumed.keySet().containsAll(acked));
            consumer.close();

            // read the whole stream back with an ephemeral consumer
            Map<UUID, Integer> copies = new HashMap<>();
            long total = 0;
            JetStreamSubscription sub = nats.connection().jetStream().subscribe(subject, PullSubscribeOptions
                    .builder().stream(stream).configuration(ConsumerConfiguration.builder().build()).build());
            while (true) {
                List<Message> batch = sub.fetch(500, Duration.ofSeconds(1));
                if (batch.isEmpty()) {
                    break;
                }
                for (Message m : batch) {
                    copies.merge(EventCodec.fromNats(m).id(), 1, Integer::sum);
                    total++;
                    m.ack();
                }
            }
            sub.unsubscribe();
            long msgCount = nats.connection().jetStreamManagement().getStreamInfo(stream).getStreamState()
                    .getMsgCount();
            Set<UUID> lost = new HashSet<>(acked);
            lost.removeAll(copies.keySet());
            long duplicates = total - copies.size();
            Set<UUID> ambiguousStored = new HashSet<>(load.everAmbiguous);
            ambiguousStored.retainAll(copies.keySet());
            System.out.printf("RESULT nats_outage mode=%s sent=%d acked=%d ambiguous=%d ambiguous_stored=%d "
                    + "rejected=%d breaker_rejections=%d stream_msgs=%d distinct=%d duplicated=%d lost=%d "
                    + "consumer_redelivered=%d errors=%s%n", mode, load.sent.size(), acked.size(),
                    load.everAmbiguous.size(), ambiguousStored.size(), load.rejected.get(),
                    load.breakerRejections.get(), msgCount, copies.size(), duplicates, lost.size(),
                    consumedMessages.get() - consumed.size(), load.errors);

            assertThat(load.failures.get()).as("publishes failed during the outage").isPositive();
            assertThat(lost).as("acked but not in the stream").isEmpty();
            assertThat(total).isEqualTo(msgCount);
            assertThat(duplicates).as("duplicate messages in the stream").isZero();
            assertThat(copies.keySet()).as("only events the test sent").isSubsetOf(load.sent.keySet());
            assertThat(acked).containsAll(load.everAmbiguous);
            nats.connection().jetStreamManagement().deleteStream(stream);
        }
    }
}
