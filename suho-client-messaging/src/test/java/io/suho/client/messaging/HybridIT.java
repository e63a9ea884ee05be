package io.suho.client.messaging;

import io.suho.events.Event;
import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HybridIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    static SuhoClients clients(StoreServer nats, StoreServer kafka) {
        return kafka.configure(nats.configure(SuhoClients.builder().serviceName("hybrid-it"))).build();
    }

    @Test
    void publishesOneEnvelopeOnBothPaths(@RealStore(StoreKind.NATS) StoreServer nats,
            @RealStore(StoreKind.KAFKA) StoreServer kafka) throws Exception {
        try (SuhoClients suho = clients(nats, kafka)) {
            EventPublisher events = suho.get(EventPublisher.class);
            String dest = "it-" + RUN + ".hybrid";
            suho.get(NatsClient.class).ensureStream(StreamSpec.of("IT_HYBRID_" + RUN, dest)
                    .withMaxAge(Duration.ofHours(1)));
            suho.get(KafkaClient.class).ensureTopic(TopicSpec.of(dest));
            Event e = events.event("order.created").key("o-1").json(List.of("x")).build();
            PublishOutcome out = events.publish(dest, e);
            assertThat(out.succeeded()).as(out.toString()).isTrue();
            assertThat(out.nats().acked()).isTrue();
            assertThat(out.kafka().acked()).isTrue();
            PublishOutcome again = events.publishAsync(dest, e).toCompletableFuture().get();
            assertThat(again.nats().detail()).contains("duplicate");
            List<?> onKafka = KafkaIT.readAll(suho.get(KafkaClient.class), dest, 2);
            assertThat(onKafka).hasSize(2); // Kafka keeps both; consumers dedupe on ce_id
            assertThat(Event.fromKafka(KafkaIT.readAll(suho.get(KafkaClient.class), dest, 1).get(0)).id())
                    .isEqualTo(e.id());
        }
    }

    @Test
    void reportsTheNatsPathWhenNatsIsDown(@RealStore(StoreKind.NATS) StoreServer nats,
            @RealStore(StoreKind.KAFKA) StoreServer kafka) throws Exception {
        nats.requireLocal("reportsTheNatsPathWhenNatsIsDown", "stop NATS");
        try (SuhoClients suho = clients(nats, kafka)) {
            EventPublisher events = suho.get(EventPublisher.class);
            NatsClient natsClient = suho.get(NatsClient.class);
            String dest = "it-" + RUN + ".down";
            String stream = "IT_DOWN_" + RUN;
            natsClient.ensureStream(StreamSpec.of(stream, dest).withMaxAge(Duration.ofHours(1)));
            suho.get(KafkaClient.class).ensureTopic(TopicSpec.of(dest));
            Event e1 = events.event("order.created").text("1", "text/plain").build();
            Event e2 = events.event("order.created").text("2", "text/plain").build();
            PublishOutcome both;
            PublishOutcome either;
            try {
                LocalStack.down(StoreKind.NATS);
                both = events.publish(dest, e1, HybridPolicy.BOTH);
                either = events.publish(dest, e2, HybridPolicy.EITHER);
            } finally {
                LocalStack.up(StoreKind.NATS);
            }
            assertThat(both.succeeded()).as(both.toString()).isFalse();
            assertThat(both.nats().status()).isIn(PathResult.Status.AMBIGUOUS, PathResult.Status.FAILED,
                    PathResult.Status.REJECTED);
            assertThat(both.kafka().acked()).isTrue();
            assertThat(either.succeeded()).as(either.toString()).isTrue();
            assertThat(either.nats().acked()).isFalse();
            // After NATS is back, re-publishing the same events stores each exactly once on NATS.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> events.publish(dest, e1, HybridPolicy.NATS_ONLY).succeeded());
            assertThat(events.publish(dest, e2, HybridPolicy.NATS_ONLY).succeeded()).isTrue();
            assertThat(natsClient.connection().jetStreamManagement().getStreamInfo(stream).getStreamState()
                    .getMsgCount()).isEqualTo(2);
        }
    }
}
