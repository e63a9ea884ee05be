package io.suho.client.core.internal;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.StoreExecutor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The Micrometer {@link Observation} of every call a {@link CallPipeline} runs — only built when the application
 * gave {@code SuhoClients} an {@link ObservationRegistry}; without one the pipeline never reaches this class.
 *
 * <p>A store call is observed as {@value #CALL} with the low-cardinality keys {@code store}, {@code operation},
 * {@code outcome} ({@code success}, {@code error}, {@code rejected}, {@code timeout}) and {@code db.system} or
 * {@code messaging.system}, and the high-cardinality {@code service}, {@code db.namespace}, {@code server.address},
 * {@code messaging.destination.name} and, when {@code suho.observation.statements=true}, {@code db.query.text}
 * (OpenTelemetry semantic-convention names). A sending call is a producer observation whose propagation writes the
 * trace headers into its {@link CallDetail}; a received message's handler is a consumer observation ({@value #PROCESS})
 * that continues the trace of the headers it came with, with {@code traceId}/{@code spanId} in the SLF4J MDC while it
 * runs (the tracer's own MDC support wins when it has one). Thread-safe.
 */
final class CallObserver {
    /** The observation name of store calls. */
    static final String CALL = "suho.client.call";
    /** The observation name of received-message handlers. */
    static final String PROCESS = "suho.client.process";

    private final ObservationRegistry registry;
    private final Store store;
    private final KeyValues low;
    private final KeyValues high;
    private final boolean statements;

    CallObserver(ObservationRegistry registry, Store store, String service, SuhoConfig config) {
        this.registry = registry;
        this.store = store;
        boolean messaging = store == Store.KAFKA || store == Store.NATS;
        this.low = KeyValues.of(KeyValue.of("store", store.id()),
                KeyValue.of(messaging ? "messaging.system" : "db.system", system(store)));
        KeyValues h = KeyValues.of(KeyValue.of("service", service));
        String namespace = namespace(store, config);
        if (namespace != null) {
            h = h.and("db.namespace", namespace);
        }
        String server = server(store, config);
        if (server != null) {
            h = h.and("server.address", server);
        }
        this.high = h;
        this.statements = config.get(ObservationKeys.STATEMENTS);
    }

    /** The OpenTelemetry {@code db.system} / {@code messaging.system} value of a store. */
    static String system(Store store) {
        return switch (store) {
            case POSTGRES -> "postgresql";
            case CACHE -> "redis";
            case ANALYTICS -> "clickhouse";
            case VECTOR -> "weaviate";
            case GRAPH -> "arangodb";
            case NATS -> "nats";
            case KAFKA -> "kafka";
        };
    }

    private static String namespace(Store store, SuhoConfig config) {
        try {
            return store == Store.POSTGRES || store == Store.ANALYTICS || store == Store.GRAPH
                    ? config.get(StoreKeys.databaseKey(store)) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String server(Store store, SuhoConfig config) {
        try {
            List<HostPort> hosts = config.optional(StoreKeys.hostsKey(store)).orElse(List.of());
            return hosts.isEmpty() ? null : hosts.get(0).host();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Observation start(String operation, CallDetail detail) {
        Observation.Context context;
        String name = store.id() + " " + operation;
        if (detail != null && detail.isSending()) {
            SenderContext<Map<String, String>> sender = new SenderContext<>(
                    (carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
            sender.setCarrier(detail.traceHeaders());
            sender.setRemoteServiceName(store.id());
            context = sender;
            name = (detail.destination() == null ? store.id() : detail.destination()) + " publish";
        } else {
            context = new Observation.Context();
        }
        Observation o = Observation.createNotStarted(CALL, () -> context, registry).contextualName(name)
                .lowCardinalityKeyValues(low).lowCardinalityKeyValue("operation", operation)
                .highCardinalityKeyValues(high);
        describe(o, detail);
        return o.start();
    }

    private void describe(Observation o, CallDetail detail) {
        if (detail == null) {
            return;
        }
        if (detail.destination() != null) {
            o.highCardinalityKeyValue("messaging.destination.name", detail.destination());
        }
        if (statements && detail.statement() != null) {
            o.highCardinalityKeyValue("db.query.text", detail.statement());
        }
    }

    /** Runs one pipeline call (retries included) inside its observation. */
    <T> T call(String operation, CallDetail detail, Supplier<T> pipelineCall) {
        Observation o = start(operation, detail);
        try (Observation.Scope scope = o.openScope()) {
            T result = pipelineCall.get();
            o.lowCardinalityKeyValue("outcome", "success");
            return result;
        } catch (RuntimeException | Error e) {
            o.lowCardinalityKeyValue("outcome", outcome(e));
            o.error(e);
            throw e;
        } finally {
            o.stop();
        }
    }

    /** Runs {@code work} (a step inside another call) as an observation of its own. */
    <T> T observe(String operation, CallDetail detail, StoreExecutor.Call<T> work) throws Exception {
        Observation o = start(operation, detail);
        try (Observation.Scope scope = o.openScope()) {
            T result = work.call();
            o.lowCardinalityKeyValue("outcome", "success");
            return result;
        } catch (Exception | Error e) {
            o.lowCardinalityKeyValue("outcome", outcome(e));
            o.error(e);
            throw e;
        } finally {
            o.stop();
        }
    }

    /** Starts one async pipeline call inside its observation, which stops when the call's stage completes. */
    <T> CompletionStage<T> callAsync(String operation, CallDetail detail,
            Supplier<CompletionStage<T>> pipelineCall) {
        Observation o = start(operation, detail);
        CompletionStage<T> stage;
        try (Observation.Scope scope = o.openScope()) {
            stage = pipelineCall.get();
        } catch (RuntimeException | Error e) {
            o.lowCardinalityKeyValue("outcome", outcome(e));
            o.error(e);
            o.stop();
            throw e;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        stage.whenComplete((r, e) -> {
            if (e == null) {
                o.lowCardinalityKeyValue("outcome", "success");
                o.stop();
                out.complete(r);
            } else {
                Throwable cause = Causes.unwrap(e);
                o.lowCardinalityKeyValue("outcome", outcome(cause));
                o.error(cause);
                o.stop();
                out.completeExceptionally(cause);
            }
        });
        return out;
    }

    /** Runs the handler of a received message as a consumer observation continuing the sender's trace. */
    <T> T process(String operation, CallDetail detail, StoreExecutor.Call<T> handler) throws Exception {
        Map<String, String> headers = detail.traceHeaders();
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key),
                Kind.CONSUMER);
        context.setCarrier(headers);
        context.setRemoteServiceName(store.id());
        Observation o = Observation.createNotStarted(PROCESS, () -> context, registry)
                .contextualName((detail.destination() == null ? store.id() : detail.destination()) + " process")
                .lowCardinalityKeyValues(low).lowCardinalityKeyValue("operation", operation)
                .highCardinalityKeyValues(high);
        describe(o, detail);
        o.start();
        try (Observation.Scope scope = o.openScope(); TraceMdc mdc = TraceMdc.from(headers)) {
            T result = handler.call();
            o.lowCardinalityKeyValue("outcome", "success");
            return result;
        } catch (Exception | Error e) {
            o.lowCardinalityKeyValue("outcome", "error");
            o.error(e);
            throw e;
        } finally {
            o.stop();
        }
    }

    static String outcome(Throwable e) {
        if (e instanceof StoreUnavailableException u && u.breakerOpen()) {
            return "rejected";
        }
        return e instanceof StoreTimeoutException ? "timeout" : "error";
    }

    /**
     * {@code traceId}/{@code spanId} in the MDC from a {@code traceparent} header while a handler runs — only when
     * the tracer did not put its own there (Brave's {@code MDCScopeDecorator}, the OTel bridge's event listener).
     */
    static final class TraceMdc implements AutoCloseable {
        private static final TraceMdc NONE = new TraceMdc(false);
        private final boolean set;

        private TraceMdc(boolean set) {
            this.set = set;
        }

        static TraceMdc from(Map<String, String> headers) {
            if (MDC.get("traceId") != null) {
                return NONE;
            }
            String tp = headers.get("traceparent");
            // version-traceid(32 hex)-spanid(16 hex)-flags
            if (tp == null || tp.length() < 55 || tp.charAt(2) != '-' || tp.charAt(35) != '-'
                    || tp.charAt(52) != '-') {
                return NONE;
            }
            MDC.put("traceId", tp.substring(3, 35));
            MDC.put("spanId", tp.substring(36, 52));
            return new TraceMdc(true);
        }

        @Override
        public void close() {
            if (set) {
                MDC.remove("traceId");
                MDC.remove("spanId");
            }
        }
    }
}
