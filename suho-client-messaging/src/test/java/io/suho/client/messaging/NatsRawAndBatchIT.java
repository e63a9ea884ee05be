package io.suho.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.suho.client.core.SuhoClients;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Raw-message and batch JetStream consumers against the local NATS: messages that are not Suho envelopes reach a
 * {@link NatsMessageHandler} as stored; a batch handler gets one fetch and acks it whole; a failing batch is handed
 * over one message at a time, so only the message that fails alone is dead-lettered.
 */
class NatsRawAndBatchIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    static List<Message> deadLetters(NatsClient client, String stream, PullConsumerSpec spec, int n) throws Exception {
        JetStreamSubscription dlq = client.connection().jetStream().subscribe(spec.effectiveDeadLetterSubject(),
                PullSubscribeOptions.builder().stream(stream + "_DLQ")
                        .configuration(ConsumerConfiguration.builder().build()).build());
        return dlq.fetch(n + 5, Duration.ofSeconds(2));
    }

    @Test
    void rawMessagesReachTheHandlerAsStoredAndAPermanentFailureIsDeadLetteredAtOnce(
            @RealStore(StoreKind.NATS) StoreServer nats) throws Exception {
        try (SuhoClients suho = NatsIT.clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            String stream = "IT_RAW_" + RUN;
            String subject = "it." + RUN + ".raw.quotes";
            client.ensureStream(StreamSpec.of(stream, subject).withMaxAge(Duration.ofHours(1)));
            for (String body : List.of("{\"px\":1}", "{\"px\":2}", "garbage", "{\"px\":4}")) {
                Headers h = new Headers().put("team", "pricing");
                client.execute("it_js_raw", false, c -> c.jetStream().publish(NatsMessage.builder().subject(subject)
                        .headers(h).data(body.getBytes(StandardCharsets.UTF_8)).build()));
            }
            List<String> bodies = new CopyOnWriteArrayList<>();
            List<Long> sequences = new CopyOnWriteArrayList<>();
            PullConsumerSpec spec = PullConsumerSpec.of(stream, "quotes").withMaxDeliver(3)
                    .withRetryDelay(Duration.ofMillis(50));
            try (EventConsumer consumer = client.consumeMessages(spec, m -> {
                String body = new String(m.getData(), StandardCharsets.UTF_8);
                if (!body.startsWith("{")) {
                    throw new EventHandler.PermanentFailure("not JSON: " + body);
                }
                assertThat(m.getHeaders().getFirst("team")).isEqualTo("pricing");
                bodies.add(body);
                sequences.add(m.metaData().streamSequence());
            })) {
                await().atMost(Duration.ofSeconds(20)).until(() -> consumer.handled() == 3
                        && consumer.deadLettered() == 1);
            }
            assertThat(bodies).containsExactly("{\"px\":1}", "{\"px\":2}", "{\"px\":4}");
            assertThat(sequences).containsExactly(1L, 2L, 4L);
            List<Message> dead = deadLetters(client, stream, spec, 1);
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).getData(), StandardCharsets.UTF_8)).isEqualTo("garbage");
            assertThat(dead.get(0).getHeaders().getFirst(DeadLetters.ATTEMPTS)).isEqualTo("1");
            assertThat(dead.get(0).getHeaders().getFirst(DeadLetters.ERROR_MESSAGE)).contains("not JSON");
        }
    }

    @Test
    void eventBatchesAreAckedWholeAndAFailingBatchIsHandedOverOneAtATime(
            @RealStore(StoreKind.NATS) StoreServer nats) throws Exception {
        try (SuhoClients suho = NatsIT.clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            String stream = "IT_BATCH_" + RUN;
            String subject = "it." + RUN + ".batch.fills";
            client.ensureStream(StreamSpec.of(stream, subject).withMaxAge(Duration.ofHours(1)));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String text = i == 7 ? "poison" : "fill-" + i;
                client.jsPublish(subject, Event.builder("fill.booked").source("nats-it").text(text, "text/plain")
                        .build());
                if (i != 7) {
                    expected.add(text);
                }
            }
            List<List<String>> batches = new CopyOnWriteArrayList<>();
            List<String> handled = new CopyOnWriteArrayList<>();
            PullConsumerSpec spec = PullConsumerSpec.of(stream, "fills").withMaxDeliver(2)
                    .withRetryDelay(Duration.ofMillis(50)).withBatchSize(5);
            try (EventConsumer consumer = client.consumeBatches(spec, events -> {
                List<String> texts = events.stream().map(Event::payloadText).toList();
                batches.add(texts);
                if (texts.contains("poison")) {
                    throw new IllegalArgumentException("cannot book a poison fill");
                }
                handled.addAll(texts);
            })) {
                await().atMost(Duration.ofSeconds(20)).until(() -> consumer.handled() == 11
                        && consumer.deadLettered() == 1);
            }
            assertThat(handled).as("every good event once").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(5));
            assertThat(batches).anySatisfy(b -> assertThat(b.size()).isGreaterThan(1));
            // after its batch failed the poison was handed over alone (delivery 1, nak); its redelivery came in a
            // later fetch, alone or with the last events, failed as a batch and alone again, then went to the DLQ
            assertThat(batches).filteredOn(b -> b.equals(List.of("poison"))).hasSizeBetween(2, 3);
            List<Message> dead = deadLetters(client, stream, spec, 1);
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).getData(), StandardCharsets.UTF_8)).isEqualTo("poison");
        }
    }
}
