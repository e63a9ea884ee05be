package io.suho.client.core;

import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A store module for core's own tests: its "client" is an in-memory greeter, no database involved. It records
 * start/close order so lifecycle behaviour can be asserted.
 */
final class TestModule implements StoreModule {
    /** The client type this module serves. */
    interface Greeter {
        String greet(String name);

        String configuredHosts();
    }

    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    private final Store store;
    private final Class<?> type;
    private final Duration closeDelay;

    TestModule(Store store, Class<?> type, Duration closeDelay) {
        this.store = store;
        this.type = type;
        this.closeDelay = closeDelay;
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(type);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(ConfigKey.of(store.keyPrefix() + "greeting", "Greeting word.", "hello"),
                ConfigKey.integer(store.keyPrefix() + "greeting.repeat", "Times the greeting is said.", 1, 1, 5));
    }

    @Override
    public StartedStore start(StoreContext ctx) {
        String hosts = ctx.config().hosts(store).toString();
        String greeting = ctx.config().require(store.keyPrefix() + "greeting");
        EVENTS.add("start " + store.id());
        Greeter greeter = new Greeter() {
            @Override
            public String greet(String name) {
                return ctx.executor().call("greet", true, () -> greeting + " " + name);
            }

            @Override
            public String configuredHosts() {
                return hosts;
            }
        };
        return new StartedStore() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T client(Class<T> t) {
                return (T) greeter;
            }

            @Override
            public ProbeResult probe() {
                return ProbeResult.up(Map.of("hosts", hosts));
            }

            @Override
            public FailurePolicy failurePolicy() {
                return FailurePolicy::generic;
            }

            @Override
            public void close() {
                try {
                    Thread.sleep(closeDelay.toMillis()); // simulates a slow driver close
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    EVENTS.add("interrupted " + store.id());
                    return;
                }
                EVENTS.add("close " + store.id());
            }
        };
    }
}
