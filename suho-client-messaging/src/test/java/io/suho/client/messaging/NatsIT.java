package io.suho.client.messaging;

import io.suho.events.DeadLetters;
import io.suho.events.EventCodec;
import io.suho.events.Event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NatsIT {
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    static SuhoClients clients(StoreServer nats) {
        return nats.configure(SuhoClients.builder().serviceName("nats-it")).build();
    }

    /** How many calls {@code suho.client.requests} counted for a store, operation and outcome. */
    static long requests(SuhoClients suho, Store store, String operation, String outcome) {
        Timer t = suho.meterRegistry().find("suho.client.requests").tags("store", store.id(), "operation", operation,
                "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void coreRequestReplyAndSubscribeSurviveAThrowingHandler(@RealStore(StoreKind.NATS) StoreServer nats)
            throws Exception {
        try (SuhoClients suho = clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            String subject = "it." + RUN + ".echo";
            try (AutoCloseable sub = client.subscribe(subject, null, m -> {
                if (new String(m.getData(), StandardCharsets.UTF_8).equals("boom")) {
                    throw new IllegalStateException("handler failure must not stop delivery");
                }
                client.connection().publish(m.getReplyTo(), m.getData());
            })) {
                client.connection().flush(Duration.ofSeconds(2));
                client.publish(subject, "boom".getBytes(StandardCharsets.UTF_8));
                Message reply = client.request(subject, "hi".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("hi");
            }
            assertThat(suho.health(Store.NATS).status()).isEqualTo(HealthStatus.UP);
            assertThat(suho.health(Store.NATS).detail()).containsKey("jetstream_streams");
        }
    }

    @Test
    void subjectsAreCheckedBeforeAnythingIsSent(@RealStore(StoreKind.NATS) StoreServer nats) throws Exception {
        try (SuhoClients suho = clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            String base = "it." + RUN + ".wild";
            List<String> got = new CopyOnWriteArrayList<>();
            try (AutoCloseable sub = client.subscribe(base + ".*", null, m -> got.add(m.getSubject()))) {
                client.connection().flush(Duration.ofSeconds(2));
                // a wildcard publish would reach every subscriber of the pattern's subjects: refused, nothing sent
                assertThatThrownBy(() -> client.publish(base + ".*", new byte[0]))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("'" + base + ".*'").hasMessageContaining("wildcard");
                assertThatThrownBy(() -> client.publish(base + ".a b", new byte[0]))
                        .hasMessageContaining("whitespace");
                assertThatThrownBy(() -> client.request(base + "..x", new byte[0]))
                        .hasMessageContaining("empty token");
                assertThatThrownBy(() -> client.subscribe(base + ".a*", null, m -> { }))
                        .hasMessageContaining("mixes a wildcard");
                assertThatThrownBy(() -> client.subscribe(base + ".*", "q g", m -> { }))
                        .hasMessageContaining("queue group 'q g'");
                client.publish(base + ".a", "x".getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(5)).until(() -> got.contains(base + ".a"));
                client.connection().flush(Duration.ofSeconds(2));
                assertThat(got).as("only the valid publish arrived").containsExactly(base + ".a");
            }
            assertThat(requests(suho, Store.NATS, "publish", "error")).isZero();
        }
    }

    @Test
    void requestWithoutResponderIsAnAnswerNotATimeout(@RealStore(StoreKind.NATS) StoreServer nats) {
        try (SuhoClients suho = clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            long start = System.nanoTime();
            // the server answers "no responders" at once: nothing processed it, and NATS itself is fine
            assertThatThrownBy(() -> client.request("it." + RUN + ".nobody", new byte[0], Duration.ofSeconds(5)))
                    .isInstanceOf(StoreOperationException.class)
                    .hasMessageContaining("request").hasMessageContaining("no responders");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(suho.breakerStates().get(Store.NATS)).isEqualTo("CLOSED");
        }
    }

    @Test
    void executeRunsANativeCallCountedUnderItsOperation(@RealStore(StoreKind.NATS) StoreServer nats)
            throws Exception {
        try (SuhoClients suho = nats.configure(SuhoClients.builder().serviceName("nats-it")
                .meterRegistry(new SimpleMeterRegistry())).build()) {
            NatsClient client = suho.get(NatsClient.class);
            String subject = "it." + RUN + ".native";
            List<String> got = new CopyOnWriteArrayList<>();
            try (AutoCloseable sub = client.subscribe(subject, null,
                    m -> got.add(new String(m.getData(), StandardCharsets.UTF_8)))) {
                // a core NATS publish and flush on the jnats connection itself
                client.execute("it_publish_flush", false, c -> {
                    c.flush(Duration.ofSeconds(2)); // the subscription is registered on the server
                    c.publish(subject, "native".getBytes(StandardCharsets.UTF_8));
                    c.flush(Duration.ofSeconds(2));
                    return null;
                });
                String version = client.execute("it_server_info", true, c -> c.getServerInfo().getVersion());
                assertThat(version).isNotBlank();
                await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("native"));
            }
            assertThat(requests(suho, Store.NATS, "it_publish_flush", "success")).isEqualTo(1);
            assertThat(requests(suho, Store.NATS, "it_server_info", "success")).isEqualTo(1);
        }
    }

    @Test
    void anOpenBreakerRejectsExecuteWithoutRunningTheCall() {
        // no server needed: port 1 refuses, and jnats keeps reconnecting in the background
        try (SuhoClients suho = SuhoClients.builder().serviceName("nats-it-refused")
                .meterRegistry(new SimpleMeterRegistry()).endpoint(Store.NATS, "127.0.0.1:1")
                .set("suho.nats.timeout", "300ms").set("suho.nats.breaker.failure-threshold", "2")
                .set("suho.nats.breaker.window", "2").set("suho.nats.breaker.delay", "1m").build()) {
            NatsClient client = suho.get(NatsClient.class);
            Event e = Event.builder("order.created").source("nats-it").build();
            // a JetStream publish while not connected: refused before anything was queued
            assertThatThrownBy(() -> client.jsPublish("it.refused", e))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            u -> assertThat(u.breakerOpen()).isFalse())
                    .hasMessageContaining("js_publish was not sent").hasMessageContaining("not connected");
            // a native flush the server never confirmed: outcome unknown
            assertThatThrownBy(() -> client.execute("it_flush", false, c -> {
                c.flush(Duration.ofMillis(200));
                return null;
            })).isInstanceOf(StoreTimeoutException.class).hasMessageContaining("it_flush got no answer");
            assertThat(suho.breakerStates().get(Store.NATS)).isEqualTo("OPEN");

            AtomicBoolean ran = new AtomicBoolean();
            assertThatThrownBy(() -> client.execute("it_flush", false, c -> {
                ran.set(true);
                return null;
            })).isInstanceOfSatisfying(StoreUnavailableException.class, u -> assertThat(u.breakerOpen()).isTrue());
            assertThat(ran).isFalse();
            assertThat(requests(suho, Store.NATS, "it_flush", "rejected")).isEqualTo(1);
            assertThat(requests(suho, Store.NATS, "it_flush", "timeout")).isEqualTo(1);
        }
    }

    @Test
    void ensureStreamIsIdempotentAndUpdatesChangedSettings(@RealStore(StoreKind.NATS) StoreServer nats) {
        try (SuhoClients suho = clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            StreamSpec spec = StreamSpec.of("IT_ENSURE_" + RUN, "it." + RUN + ".ensure.>")
                    .withMaxAge(Duration.ofHours(1));
            assertThat(client.ensureStream(spec)).isTrue();
            assertThat(client.ensureStream(spec)).isFalse();
            assertThat(client.ensureStream(spec.withMaxAge(Duration.ofHours(2)))).isTrue();
            assertThatThrownBy(() -> client.ensureStream(spec.withMaxAge(Duration.ofHours(2)).withMemoryStorage(true)))
                    .isInstanceOf(StoreOperationException.class).hasMessageContaining("storage");
        }
    }

    @Test
    void republishOfTheSameEventIsStoredOnce(@RealStore(StoreKind.NATS) StoreServer nats) throws Exception {
        try (SuhoClients suho = clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            String stream = "IT_DEDUP_" + RUN;
            String subject = "it." + RUN + ".dedup.orders";
            client.ensureStream(StreamSpec.of(stream, "it." + RUN + ".dedup.>").withMaxAge(Duration.ofHours(1)));
            Event e = Event.builder("order.created").source("nats-it").key("o-1").json(List.of(1, 2)).build();
            JsAck first = client.jsPublish(subject, e);
            JsAck second = client.jsPublish(subject, e);
            JsAck third = client.jsPublishAsync(subject, e).toCompletableFuture().get();
            assertThat(first.duplicate()).isFalse();
            assertThat(second.duplicate()).isTrue();
            assertThat(third.duplicate()).isTrue();
            assertThat(second.sequence()).isEqualTo(first.sequence());
            assertThat(client.connection().jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount())
                    .isEqualTo(1);
            // and it reads back as the same event
            JetStreamSubscription sub = client.connection().jetStream().subscribe(subject,
                    PullSubscribeOptions.builder().stream(stream)
                            .configuration(ConsumerConfiguration.builder().build()).build());
            Message m = sub.fetch(1, Duration.ofSeconds(2)).get(0);
            assertThat(EventCodec.fromNats(m)).isEqualTo(e);
        }
    }

    @Test
    void jsPublishWithoutStreamIsACallerError(@RealStore(StoreKind.NATS) StoreServer nats) {
        try (SuhoClients suho = clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            Event e = Event.builder("x").source("nats-it").build();
            assertThatThrownBy(() -> client.jsPublish("it." + RUN + ".nostream", e))
                    .isInstanceOf(StoreOperationException.class);
            assertThat(suho.breakerStates().get(Store.NATS)).isEqualTo("CLOSED");
        }
    }

    @Test
    void consumerAcksSuccessRetriesFailureAndDeadLettersAfterMaxDeliver(@RealStore(StoreKind.NATS) StoreServer nats)
            throws Exception {
        try (SuhoClients suho = clients(nats)) {
            NatsClient client = suho.get(NatsClient.class);
            String stream = "IT_DLQ_" + RUN;
            String subject = "it." + RUN + ".dlq.orders";
            client.ensureStream(StreamSpec.of(stream, "it." + RUN + ".dlq.orders").withMaxAge(Duration.ofHours(1)));
            Event good = Event.builder("order.created").source("nats-it").text("good", "text/plain").build();
            Event bad = Event.builder("order.created").source("nats-it").text("bad", "text/plain").build();
            client.jsPublish(subject, good);
            client.jsPublish(subject, bad);
            Set<String> ok = ConcurrentHashMap.newKeySet();
            AtomicInteger badAttempts = new AtomicInteger();
            PullConsumerSpec spec = PullConsumerSpec.of(stream, "orders").withMaxDeliver(3)
                    .withRetryDelay(Duration.ofMillis(50)).withAckWait(Duration.ofSeconds(5));
            try (EventConsumer consumer = client.consume(spec, ev -> {
                if (ev.payloadText().equals("bad")) {
                    badAttempts.incrementAndGet();
                    throw new IllegalArgumentException("cannot book order " + ev.id());
                }
                ok.add(ev.id().toString());
            })) {
                await().atMost(Duration.ofSeconds(20)).until(() -> consumer.deadLettered() == 1);
                assertThat(ok).containsExactly(good.id().toString());
                assertThat(badAttempts.get()).isEqualTo(3);
            }
            // the dead letter carries the event and the error
            JetStreamSubscription dlq = client.connection().jetStream().subscribe(spec.effectiveDeadLetterSubject(),
                    PullSubscribeOptions.builder().stream(stream + "_DLQ")
                            .configuration(ConsumerConfiguration.builder().build()).build());
            List<Message> dead = new CopyOnWriteArrayList<>(dlq.fetch(10, Duration.ofSeconds(2)));
            assertThat(dead).hasSize(1);
            Message d = dead.get(0);
            assertThat(EventCodec.fromNats(d).id()).isEqualTo(bad.id());
            assertThat(d.getHeaders().getFirst(DeadLetters.ERROR_CLASS)).isEqualTo(
                    IllegalArgumentException.class.getName());
            assertThat(d.getHeaders().getFirst(DeadLetters.ERROR_MESSAGE)).contains("cannot book order");
            assertThat(d.getHeaders().getFirst(DeadLetters.ATTEMPTS)).isEqualTo("3");
            assertThat(d.getHeaders().getFirst(DeadLetters.ORIGINAL_TOPIC)).isEqualTo(subject);
        }
    }
}
