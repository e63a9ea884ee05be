package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Store;
import io.suho.hub.api.v1.BreakerState;
import io.suho.hub.api.v1.DeregisterRequest;
import io.suho.hub.api.v1.GetEndpointsRequest;
import io.suho.hub.api.v1.GetHealthRequest;
import io.suho.hub.api.v1.HealthResponse;
import io.suho.hub.api.v1.HealthStatus;
import io.suho.hub.api.v1.HeartbeatRequest;
import io.suho.hub.api.v1.HeartbeatResponse;
import io.suho.hub.api.v1.HubGrpc;
import io.suho.hub.api.v1.ListServicesRequest;
import io.suho.hub.api.v1.ListServicesResponse;
import io.suho.hub.api.v1.RegisterRequest;
import io.suho.hub.api.v1.RegisterResponse;
import io.suho.hub.api.v1.StoreReport;
import io.suho.hub.api.v1.StoreReports;
import io.suho.hub.api.v1.WatchEndpointsRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hub's gRPC API ({@code SUHO_HUB_GRPC_PORT}) over a real HTTP/2 connection, with the hub probing the real local
 * stores: the same token, lease-secret and input rules as the HTTP API, each refusal a proper status; the catalog
 * equal to {@code GET /v1/endpoints}; WatchEndpoints streaming each change; the standard health service following
 * the stores; server reflection.
 */
class GrpcApiIT {
    private static TestHub hub;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_GRPC_PORT", "0");
        hub = TestHub.start(env);
        channel = channel(hub);
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static ManagedChannel channel(TestHub hub) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", hub.server.grpcPort().orElseThrow(),
                InsecureChannelCredentials.create()).build();
    }

    /** {@code authorization: Bearer <token>} on every call of a stub. */
    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(m);
            }
        };
    }

    static HubGrpc.HubBlockingStub hubStub(ManagedChannel channel) {
        return HubGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static HubGrpc.HubBlockingStub writer(ManagedChannel channel) {
        return hubStub(channel).withCallCredentials(bearer(TestHub.TOKEN));
    }

    static RegisterRequest registration(String service) {
        return RegisterRequest.newBuilder().setService(service).setHost("10.1.2.3").setPort(8080).setTtlSeconds(30)
                .putMeta("version", "1.4.2").build();
    }

    /** The refusal of a call, with its trailer {@code suho-error}. */
    static StatusRuntimeException refusal(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call must be refused").isNotNull();
        return e;
    }

    static String errorCode(StatusRuntimeException e) {
        return e.getTrailers() == null ? null
                : e.getTrailers().get(Metadata.Key.of("suho-error", Metadata.ASCII_STRING_MARSHALLER));
    }

    @Test
    void registerHeartbeatAndDeregisterWithTheTokenAndTheLeaseSecret() {
        RegisterResponse lease = writer(channel).register(registration("grpc-orders"));
        assertThat(lease.getInstanceId()).isNotBlank();
        assertThat(lease.getLeaseSecret()).hasSize(43);
        assertThat(lease.getTtlSeconds()).isEqualTo(30);
        assertThat(hub.server.instances()).isPositive();

        HeartbeatResponse beat = hubStub(channel).heartbeat(HeartbeatRequest.newBuilder()
                .setInstanceId(lease.getInstanceId()).setLeaseSecret(lease.getLeaseSecret())
                .setReports(StoreReports.newBuilder().putStores("cache", StoreReport.newBuilder()
                        .setBreaker(BreakerState.BREAKER_STATE_OPEN).setCalls(40).setErrorRate(0.5).build()))
                .build());
        assertThat(beat.getInstanceId()).isEqualTo(lease.getInstanceId());
        assertThat(beat.getEndpointsVersion()).isEqualTo(hub.server.endpointsVersion());

        // the report is what the HTTP API shows too
        ListServicesResponse listed = hubStub(channel).listServices(ListServicesRequest.newBuilder()
                .setName("grpc-orders").build());
        assertThat(listed.getServicesList()).singleElement().satisfies(s -> {
            assertThat(s.getInstancesList()).singleElement().satisfies(i -> {
                assertThat(i.getHost()).isEqualTo("10.1.2.3");
                assertThat(i.getMetaMap()).containsEntry("version", "1.4.2");
                assertThat(i.getStoresMap().get("cache").getBreaker()).isEqualTo(BreakerState.BREAKER_STATE_OPEN);
            });
        });

        // another caller with the shared token but not the lease secret renews and deletes nothing
        StatusRuntimeException wrongSecret = refusal(() -> writer(channel).heartbeat(HeartbeatRequest.newBuilder()
                .setInstanceId(lease.getInstanceId()).setLeaseSecret("not-the-secret").build()));
        assertThat(wrongSecret.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(errorCode(wrongSecret)).isEqualTo("forbidden");
        assertThat(refusal(() -> writer(channel).deregister(DeregisterRequest.newBuilder()
                .setInstanceId(lease.getInstanceId()).build())).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);

        hubStub(channel).deregister(DeregisterRequest.newBuilder().setInstanceId(lease.getInstanceId())
                .setLeaseSecret(lease.getLeaseSecret()).build());
        StatusRuntimeException gone = refusal(() -> hubStub(channel).heartbeat(HeartbeatRequest.newBuilder()
                .setInstanceId(lease.getInstanceId()).setLeaseSecret(lease.getLeaseSecret()).build()));
        assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(gone.getStatus().getDescription()).contains("register again");
    }

    @Test
    void registrationWithoutOrWithAWrongTokenIsUnauthenticated() {
        StatusRuntimeException none = refusal(() -> hubStub(channel).register(registration("grpc-anon")));
        assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(errorCode(none)).isEqualTo("unauthorized");
        StatusRuntimeException wrong = refusal(() -> hubStub(channel).withCallCredentials(
                bearer("wrong-token-0123456789abcdef0123456789")).register(registration("grpc-anon")));
        assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(wrong.getStatus().getDescription()).isEqualTo("the bearer token is not valid");
    }

    @Test
    void badInputIsInvalidArgumentNamingTheField() {
        Map<RegisterRequest, String> cases = Map.of(
                registration("grpc-bad").toBuilder().setPort(70_000).build(), "port: expected a whole number",
                registration("grpc-bad").toBuilder().setService("").build(), "service: '' is invalid",
                registration("grpc-bad").toBuilder().setHost("a b").build(), "host: 'a b' is not a host name",
                registration("grpc-bad").toBuilder().setTtlSeconds(999_999).build(), "ttlSeconds: expected",
                registration("grpc-bad").toBuilder().putMeta("db-password", "x").build(), "looks like a credential");
        cases.forEach((request, message) -> {
            StatusRuntimeException e = refusal(() -> writer(channel).register(request));
            assertThat(e.getStatus().getCode()).as(message).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(message);
            assertThat(errorCode(e)).isEqualTo("bad_request");
        });

        RegisterResponse lease = writer(channel).register(registration("grpc-bad-reports"));
        Map<StoreReports, String> reports = Map.of(
                StoreReports.newBuilder().putStores("cache", StoreReport.newBuilder().build()).build(),
                "reports.stores.cache.breaker: required",
                StoreReports.newBuilder().putStores("mongo", StoreReport.newBuilder()
                        .setBreaker(BreakerState.BREAKER_STATE_CLOSED).build()).build(), "reports.stores: ",
                StoreReports.newBuilder().putStores("cache", StoreReport.newBuilder()
                        .setBreaker(BreakerState.BREAKER_STATE_CLOSED).setErrorRate(1.5).build()).build(),
                "reports.stores.cache.errorRate: expected a number in 0..1");
        reports.forEach((r, message) -> {
            StatusRuntimeException e = refusal(() -> hubStub(channel).heartbeat(HeartbeatRequest.newBuilder()
                    .setInstanceId(lease.getInstanceId()).setLeaseSecret(lease.getLeaseSecret()).setReports(r)
                    .build()));
            assertThat(e.getStatus().getCode()).as(message).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
        assertThat(refusal(() -> hubStub(channel).heartbeat(HeartbeatRequest.newBuilder()
                .setInstanceId("../etc").build())).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> hubStub(channel).listServices(ListServicesRequest.newBuilder().setName("no such!")
                .build())).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> hubStub(channel).listServices(ListServicesRequest.newBuilder().setName("nobody")
                .build())).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);

        // a message over the body limit (64 KiB) is refused by gRPC itself, before any parsing
        RegisterRequest.Builder huge = registration("grpc-huge").toBuilder();
        for (int i = 0; i < 400; i++) {
            huge.putMeta("k" + i, "v".repeat(250));
        }
        assertThat(refusal(() -> writer(channel).register(huge.build())).getStatus().getCode())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void getEndpointsIsTheHttpCatalog() throws Exception {
        EndpointCatalog http = EndpointCatalog.fromJson(hub.get("/v1/endpoints").body());
        io.suho.hub.api.v1.EndpointCatalog grpc = hubStub(channel).getEndpoints(GetEndpointsRequest
                .getDefaultInstance());

        assertThat(grpc.getVersion()).isEqualTo(http.version());
        assertThat(grpc.getStoresMap().keySet()).containsExactlyInAnyOrderElementsOf(http.stores().keySet().stream()
                .map(Store::id).toList());
        var pg = grpc.getStoresMap().get("postgres");
        assertThat(pg.getHostsList()).containsExactlyElementsOf(http.stores().get(Store.POSTGRES).hosts().stream()
                .map(Object::toString).toList());
        assertThat(pg.getDatabase()).isEqualTo("suho_trading");
        assertThat(grpc.getStoresMap().get("cache").hasDatabase()).isFalse();
        assertThat(grpc.toString()).doesNotContainIgnoringCase("password");
    }

    @Test
    void healthDetailAndTheStandardHealthServiceFollowTheStores() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HealthResponse h = hubStub(channel).getHealth(GetHealthRequest.getDefaultInstance());
            assertThat(h.getStatus()).isIn(HealthStatus.HEALTH_STATUS_UP, HealthStatus.HEALTH_STATUS_DEGRADED);
            assertThat(h.getStoresMap()).hasSize(Store.values().length);
            assertThat(h.getStoresMap().get("postgres").getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
            assertThat(h.getStoresMap().get("vector").getConfigured()).isFalse();
        });
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
            assertThat(health.check(HealthCheckRequest.newBuilder().setService("suho.hub.v1.Hub").build())
                    .getStatus()).isEqualTo(ServingStatus.SERVING);
        });
        assertThat(refusal(() -> health.check(HealthCheckRequest.newBuilder().setService("nope").build()))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aRequiredStoreDownMakesTheHealthServiceNotServing() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once the socket is closed
        }
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_GRPC_PORT", "0");
        env.put("DRAGONFLY_PORT", Integer.toString(closed));
        env.put("SUHO_HUB_REQUIRED_STORES", "cache");
        try (TestHub down = TestHub.start(env)) {
            ManagedChannel ch = channel(down);
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(10, TimeUnit.SECONDS);
                // Watch streams the change: the first answer, then NOT_SERVING once the cache probe has failed
                List<ServingStatus> seen = new CopyOnWriteArrayList<>();
                CountDownLatch notServing = new CountDownLatch(1);
                HealthGrpc.newStub(ch).watch(HealthCheckRequest.getDefaultInstance(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(io.grpc.health.v1.HealthCheckResponse r) {
                                seen.add(r.getStatus());
                                if (r.getStatus() == ServingStatus.NOT_SERVING) {
                                    notServing.countDown();
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                            }
                        });
                assertThat(notServing.await(15, TimeUnit.SECONDS)).as("statuses seen: %s", seen).isTrue();
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                            .isEqualTo(ServingStatus.NOT_SERVING);
                    assertThat(hubStub(ch).getHealth(GetHealthRequest.getDefaultInstance()).getStoresMap()
                            .get("cache").getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
                });
                assertThat(hubStub(ch).getHealth(GetHealthRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void reflectionListsTheServices() throws Exception {
        List<String> services = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
                                .forEach(services::add);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(services).contains("suho.hub.v1.Hub", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    }

    @Test
    void callsAndWatchersAreOnMetrics() throws Exception {
        hubStub(channel).getEndpoints(GetEndpointsRequest.getDefaultInstance());
        io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
        GrpcWatchIT.Recorder watch = new GrpcWatchIT.Recorder();
        try {
            ctx.run(() -> HubGrpc.newStub(channel).watchEndpoints(WatchEndpointsRequest.getDefaultInstance(), watch));
            watch.next();
            String metrics = hub.get("/metrics").body();
            assertThat(metrics).contains("grpc_server_processing_duration_seconds_count{method=\"GetEndpoints\"")
                    .contains("grpc_server_requests_received_messages_total{")
                    .containsPattern("(?m)^suho_hub_grpc_watchers [1-9]");
        } finally {
            ctx.cancel(null);
        }
    }

    @Test
    void aHubWithoutATokenRefusesRegistrationsAndOneWithAReadTokenGuardsReads() throws Exception {
        Map<String, String> env = TestHub.env();
        env.remove("SUHO_HUB_TOKEN");
        env.put("SUHO_HUB_GRPC_PORT", "0");
        env.put("SUHO_HUB_READ_TOKEN", "read-token-7c1d9e2f4a6b8c0d1e3f5a7b9c");
        try (TestHub readOnly = TestHub.start(env)) {
            ManagedChannel ch = channel(readOnly);
            try {
                StatusRuntimeException e = refusal(() -> writer(ch).register(registration("grpc-ro")));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(errorCode(e)).isEqualTo("read_only");

                assertThat(refusal(() -> hubStub(ch).getEndpoints(GetEndpointsRequest.getDefaultInstance()))
                        .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(refusal(() -> hubStub(ch).listServices(ListServicesRequest.getDefaultInstance()))
                        .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                var watch = HubGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .watchEndpoints(WatchEndpointsRequest.getDefaultInstance());
                assertThat(refusal(watch::hasNext).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                // without the read token the health is the status only, as GET /v1/health
                HealthResponse bare = hubStub(ch).getHealth(GetHealthRequest.getDefaultInstance());
                assertThat(bare.getStatus()).isNotEqualTo(HealthStatus.HEALTH_STATUS_UNSPECIFIED);
                assertThat(bare.getStoresMap()).isEmpty();

                HubGrpc.HubBlockingStub reader = hubStub(ch).withCallCredentials(
                        bearer("read-token-7c1d9e2f4a6b8c0d1e3f5a7b9c"));
                assertThat(reader.getEndpoints(GetEndpointsRequest.getDefaultInstance()).getVersion())
                        .isEqualTo(readOnly.server.endpointsVersion());
                assertThat(reader.getHealth(GetHealthRequest.getDefaultInstance()).getStoresMap()).isNotEmpty();
            } finally {
                ch.shutdownNow();
            }
        }
    }
}
