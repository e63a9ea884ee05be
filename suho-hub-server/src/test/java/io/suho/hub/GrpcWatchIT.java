package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.suho.hub.api.v1.EndpointCatalog;
import io.suho.hub.api.v1.HubGrpc;
import io.suho.hub.api.v1.WatchEndpointsRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * WatchEndpoints over a real HTTP/2 connection: the current catalog first, then each change as it is published
 * (the time from publish to receipt is printed, never asserted); the per-client watcher cap; the hub's shutdown ending
 * the stream with UNAVAILABLE.
 */
class GrpcWatchIT {

    /** One watch stream's messages and its end, in order. */
    static final class Recorder implements StreamObserver<EndpointCatalog> {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onNext(EndpointCatalog c) {
            events.add(new Received(c, System.nanoTime()));
        }

        @Override
        public void onError(Throwable t) {
            events.add(t);
        }

        @Override
        public void onCompleted() {
            events.add("completed");
        }

        Received next() throws InterruptedException {
            Object e = events.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("a catalog within 5 s").isInstanceOf(Received.class);
            return (Received) e;
        }

        Throwable error() throws InterruptedException {
            Object e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("the stream's end within 10 s").isInstanceOf(Throwable.class);
            return (Throwable) e;
        }
    }

    record Received(EndpointCatalog catalog, long atNanos) {
    }

    /** The hub's config with the vector store's URL set to {@code url} (a catalog change the probes do not need). */
    static HubConfig withVector(Map<String, String> env, String url) {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("WEAVIATE_URL", url);
        return HubConfig.from(e);
    }

    @Test
    void theFirstMessageIsTheCurrentCatalogThenOneMessagePerChange() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_GRPC_PORT", "0");
        env.put("SUHO_HUB_REQUIRED_STORES", "postgres");
        try (TestHub hub = TestHub.start(env)) {
            ManagedChannel ch = GrpcApiIT.channel(hub);
            try {
                Recorder watch = new Recorder();
                HubGrpc.newStub(ch).watchEndpoints(WatchEndpointsRequest.getDefaultInstance(), watch);
                Received first = watch.next();
                assertThat(first.catalog().getVersion()).isEqualTo(hub.server.endpointsVersion());
                assertThat(first.catalog().getStoresMap()).containsKey("postgres").doesNotContainKey("vector");

                int rounds = 50;
                long[] micros = new long[rounds];
                for (int i = 0; i < rounds; i++) {
                    long before = hub.server.endpointsVersion();
                    HubConfig next = withVector(env, "http://127.0.0.1:" + (1 + i % 2));
                    long t0 = System.nanoTime();
                    hub.server.reconfigure(next);
                    Received r = watch.next();
                    micros[i] = (r.atNanos() - t0) / 1000;
                    assertThat(r.catalog().getVersion()).isNotEqualTo(before).isEqualTo(hub.server.endpointsVersion());
                    assertThat(r.catalog().getStoresMap().get("vector").getHostsList())
                            .containsExactly("127.0.0.1:" + (1 + i % 2));
                }
                assertThat(watch.events).as("no message without a change").isEmpty();
                long[] sorted = micros.clone();
                Arrays.sort(sorted);
                System.out.printf("gRPC WatchEndpoints: publish -> received over %d changes: p50 %d us, p90 %d us,"
                        + " max %d us%n", rounds, sorted[rounds / 2], sorted[rounds * 9 / 10], sorted[rounds - 1]);
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void aThousandWatchersEachGetTheChange() throws Exception {
        int watchers = 1000;
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_GRPC_PORT", "0");
        env.put("SUHO_HUB_REQUIRED_STORES", "postgres");
        env.put("SUHO_HUB_MAX_WAITERS_PER_CLIENT", Integer.toString(2 * watchers)); // all from 127.0.0.1 here
        try (TestHub hub = TestHub.start(env)) {
            List<ManagedChannel> channels = new ArrayList<>();
            try {
                java.util.concurrent.CountDownLatch current = new java.util.concurrent.CountDownLatch(watchers);
                java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(watchers);
                long v0 = hub.server.endpointsVersion();
                long[] seen = new long[watchers];
                for (int i = 0; i < 20; i++) {
                    channels.add(GrpcApiIT.channel(hub)); // 20 connections, 50 streams each
                }
                for (int i = 0; i < watchers; i++) {
                    int k = i;
                    HubGrpc.newStub(channels.get(i % channels.size())).watchEndpoints(
                            WatchEndpointsRequest.getDefaultInstance(), new StreamObserver<>() {
                                @Override
                                public void onNext(EndpointCatalog c) {
                                    if (c.getVersion() == v0) {
                                        current.countDown();
                                    } else {
                                        seen[k] = System.nanoTime();
                                        changed.countDown();
                                    }
                                }

                                @Override
                                public void onError(Throwable t) {
                                }

                                @Override
                                public void onCompleted() {
                                }
                            });
                }
                assertThat(current.await(20, TimeUnit.SECONDS)).as("every watcher got the current catalog").isTrue();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                        hub.get("/metrics").body().contains("suho_hub_grpc_watchers " + watchers + ".0"));
                HubConfig next = withVector(env, "http://127.0.0.1:3");
                long t0 = System.nanoTime();
                hub.server.reconfigure(next);
                assertThat(changed.await(20, TimeUnit.SECONDS)).as("every watcher got the change").isTrue();
                long last = Arrays.stream(seen).max().orElseThrow();
                System.out.printf("gRPC WatchEndpoints: %d watchers on 20 connections got the change %.1f ms after"
                        + " publish (the last one)%n", watchers, (last - t0) / 1e6);
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
    }

    @Test
    void watchersCountAgainstThePerClientCapAndFreeTheirSlotWhenCancelled() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_GRPC_PORT", "0");
        env.put("SUHO_HUB_MAX_WAITERS_PER_CLIENT", "2");
        try (TestHub hub = TestHub.start(env)) {
            ManagedChannel ch = GrpcApiIT.channel(hub);
            try {
                List<io.grpc.Context.CancellableContext> held = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
                    Recorder r = new Recorder();
                    ctx.run(() -> HubGrpc.newStub(ch).watchEndpoints(WatchEndpointsRequest.getDefaultInstance(), r));
                    r.next();
                    held.add(ctx);
                }
                Recorder third = new Recorder();
                HubGrpc.newStub(ch).watchEndpoints(WatchEndpointsRequest.getDefaultInstance(), third);
                third.next(); // the current catalog is sent before parking
                StatusRuntimeException refused = (StatusRuntimeException) third.error();
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(refused.getStatus().getDescription()).contains("SUHO_HUB_MAX_WAITERS_PER_CLIENT");

                held.get(0).cancel(null);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
                    Recorder again = new Recorder();
                    io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
                    try {
                        ctx.run(() -> HubGrpc.newStub(ch).watchEndpoints(WatchEndpointsRequest.getDefaultInstance(),
                                again));
                        again.next();
                        assertThat(again.events.poll(300, TimeUnit.MILLISECONDS)).as("no refusal").isNull();
                    } finally {
                        ctx.cancel(null);
                    }
                });
                held.forEach(c -> c.cancel(null));
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void theHubsShutdownEndsTheStreamWithUnavailable() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_GRPC_PORT", "0");
        TestHub hub = TestHub.start(env);
        ManagedChannel ch = GrpcApiIT.channel(hub);
        try {
            Recorder watch = new Recorder();
            HubGrpc.newStub(ch).watchEndpoints(WatchEndpointsRequest.getDefaultInstance(), watch);
            watch.next();
            hub.close();
            Throwable end = watch.error();
            assertThat(Status.fromThrowable(end).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            ch.shutdownNow();
            hub.close();
        }
    }
}
