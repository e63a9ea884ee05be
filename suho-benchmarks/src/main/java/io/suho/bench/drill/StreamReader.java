package io.suho.bench.drill;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Reads every message a JetStream stream holds on a subject, through a throw-away pull consumer (the drills' count). */
final class StreamReader {
    private StreamReader() {
    }

    /** Hands each stored message to {@code each} (and acks it) until a 2-second fetch comes back empty. */
    static void readAll(Connection connection, String stream, String subject, Consumer<Message> each)
            throws Exception {
        JetStreamSubscription sub = connection.jetStream().subscribe(subject, PullSubscribeOptions.builder()
                .stream(stream).configuration(ConsumerConfiguration.builder().build()).build());
        try {
            while (true) {
                List<Message> batch = sub.fetch(1000, Duration.ofSeconds(2));
                if (batch.isEmpty()) {
                    return;
                }
                for (Message m : batch) {
                    each.accept(m);
                    m.ack();
                }
            }
        } finally {
            sub.unsubscribe();
        }
    }
}
