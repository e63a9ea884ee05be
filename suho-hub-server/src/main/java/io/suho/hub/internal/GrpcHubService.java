package io.suho.hub.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.suho.client.core.hub.Heartbeat;
import io.suho.hub.api.v1.DeregisterRequest;
import io.suho.hub.api.v1.DeregisterResponse;
import io.suho.hub.api.v1.EndpointCatalog;
import io.suho.hub.api.v1.GetEndpointsRequest;
import io.suho.hub.api.v1.GetHealthRequest;
import io.suho.hub.api.v1.HealthResponse;
import io.suho.hub.api.v1.HeartbeatRequest;
import io.suho.hub.api.v1.HeartbeatResponse;
import io.suho.hub.api.v1.HubGrpc;
import io.suho.hub.api.v1.ListServicesRequest;
import io.suho.hub.api.v1.ListServicesResponse;
import io.suho.hub.api.v1.RegisterRequest;
import io.suho.hub.api.v1.RegisterResponse;
import io.suho.hub.api.v1.Service;
import io.suho.hub.api.v1.WatchEndpointsRequest;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's gRPC API ({@code suho.hub.v1.Hub}) over the same registry, endpoint publisher and health view as the HTTP
 * API, with the same rules: {@link HubAccess} for tokens (its checks are {@link BearerAuth}'s), {@link Registration}
 * for a registration's fields (the request is read through the very parser of {@code POST /v1/instances}), core's
 * {@link Heartbeat} for reports, the instance's lease secret for heartbeat and deregistration. A refusal is the HTTP
 * API's {@link ApiException} turned into a gRPC status ({@link GrpcStatus}); only a bug is INTERNAL. Thread-safe.
 */
final class GrpcHubService extends HubGrpc.HubImplBase {
    private static final Logger log = LoggerFactory.getLogger(GrpcHubService.class);

    private final HubHandler.Deps deps;
    private final HubAccess access;
    private final EndpointWatches watches;
    private final ObjectMapper json = new ObjectMapper();
    /** The last catalog turned into its message (GetEndpoints is the hot read). */
    private volatile EndpointCatalog catalog;

    GrpcHubService(HubHandler.Deps deps, HubAccess access, EndpointWatches watches) {
        this.deps = deps;
        this.access = access;
        this.watches = watches;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> out) {
        unary("Register", out, () -> {
            GrpcCaller caller = GrpcCaller.current();
            access.authorizeRegistration(caller.authorization(), caller.peerCertificates());
            // one set of rules for both transports: the request goes through POST /v1/instances' own parser
            ObjectNode body = json.createObjectNode();
            body.put("service", request.getService());
            body.put("host", request.getHost());
            body.put("port", Integer.toUnsignedLong(request.getPort()));
            if (request.getTtlSeconds() != 0) {
                body.put("ttlSeconds", Integer.toUnsignedLong(request.getTtlSeconds()));
            }
            ObjectNode meta = body.putObject("meta");
            request.getMetaMap().forEach(meta::put);
            Registration r = Registration.parse(body, deps.defaultTtl(), deps.maxTtl());
            InstanceRegistry.Lease lease = deps.registry().lease(r.service(), r.host(), r.port(), r.ttlSeconds(),
                    r.meta());
            Instance i = lease.instance();
            return RegisterResponse.newBuilder().setInstanceId(i.id()).setLeaseSecret(lease.secret())
                    .setLeaseExpiresAt(GrpcMessages.timestamp(i.leaseExpiresAt())).setTtlSeconds(i.ttlSeconds())
                    .build();
        });
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
        unary("Heartbeat", out, () -> {
            String id = leased(request.getInstanceId(), request.getLeaseSecret());
            Heartbeat beat;
            try {
                beat = GrpcMessages.heartbeat(request);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            Instance i = deps.registry().heartbeat(id, beat).orElseThrow(() -> unknown(id));
            return HeartbeatResponse.newBuilder().setInstanceId(i.id())
                    .setLeaseExpiresAt(GrpcMessages.timestamp(i.leaseExpiresAt()))
                    .setEndpointsVersion(deps.endpoints().current().version()).build();
        });
    }

    @Override
    public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> out) {
        unary("Deregister", out, () -> {
            String id = leased(request.getInstanceId(), request.getLeaseSecret());
            if (!deps.registry().deregister(id)) {
                throw unknown(id);
            }
            return DeregisterResponse.getDefaultInstance();
        });
    }

    @Override
    public void getEndpoints(GetEndpointsRequest request, StreamObserver<EndpointCatalog> out) {
        unary("GetEndpoints", out, () -> {
            access.authorizeRead(GrpcCaller.current().authorization());
            EndpointPublisher.Snapshot now = deps.endpoints().current();
            EndpointCatalog c = catalog;
            if (c == null || c.getVersion() != now.version()) {
                c = GrpcMessages.catalog(now.catalog());
                catalog = c;
            }
            return c;
        });
    }

    @Override
    public void watchEndpoints(WatchEndpointsRequest request, StreamObserver<EndpointCatalog> out) {
        GrpcCaller caller = GrpcCaller.current();
        try {
            access.authorizeRead(caller.authorization());
        } catch (ApiException e) {
            out.onError(GrpcStatus.of(e));
            return;
        }
        watches.watch((ServerCallStreamObserver<EndpointCatalog>) out, caller.client());
    }

    @Override
    public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> out) {
        unary("ListServices", out, () -> {
            access.authorizeRead(GrpcCaller.current().authorization());
            ListServicesResponse.Builder b = ListServicesResponse.newBuilder()
                    .setRegistryVersion(deps.registry().version());
            if (!request.getName().isEmpty()) {
                String name = RequestInput.serviceName(request.getName(), "name");
                List<Instance> live = deps.registry().instancesOf(name);
                if (live.isEmpty()) {
                    throw ApiException.notFound("no live instance of service '" + name + "'");
                }
                b.addServices(service(name, live));
                return b.build();
            }
            for (String name : deps.registry().serviceNames()) {
                List<Instance> live = deps.registry().instancesOf(name);
                if (!live.isEmpty()) {
                    b.addServices(service(name, live));
                }
            }
            return b.build();
        });
    }

    private Service service(String name, List<Instance> live) {
        Service.Builder s = Service.newBuilder().setName(name);
        live.forEach(i -> s.addInstances(GrpcMessages.instance(deps.health().instance(i))));
        return s.build();
    }

    @Override
    public void getHealth(GetHealthRequest request, StreamObserver<HealthResponse> out) {
        unary("GetHealth", out, () -> GrpcMessages.health(deps.health().health(),
                access.mayRead(GrpcCaller.current().authorization())));
    }

    /** The instance id, once the request presents that instance's lease secret. */
    private String leased(String instanceId, String secret) {
        String id = RequestInput.instanceId(instanceId);
        Instance i = deps.registry().live(id).orElseThrow(() -> unknown(id));
        if (!i.secretMatches(secret)) {
            throw new ApiException(403, "forbidden", "heartbeat and deregistration need the instance's lease secret"
                    + " (field lease_secret, returned by Register)");
        }
        return id;
    }

    private static ApiException unknown(String id) {
        return ApiException.notFound("instance '" + id + "' is not registered or its lease expired; register again");
    }

    /** Answers one unary call: the value, or the refusal as its status; a bug is INTERNAL without detail. */
    private static <T> void unary(String method, StreamObserver<T> out, Supplier<T> body) {
        T answer;
        try {
            answer = body.get();
        } catch (ApiException e) {
            out.onError(GrpcStatus.of(e));
            return;
        } catch (RuntimeException e) {
            log.error("unexpected failure serving gRPC {}", method, e);
            out.onError(Status.INTERNAL.withDescription("internal error; see the hub's log").asRuntimeException());
            return;
        }
        out.onNext(answer);
        out.onCompleted();
    }
}
