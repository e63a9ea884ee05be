package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.core.SuhoClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes {@link SuhoClients} when the application context stops, after the web server's graceful shutdown and after
 * the application's own lifecycle beans (consumers, relays, sinks at the default phase) have stopped: stop runs from
 * the highest phase to the lowest, and this one sits below the web server's.
 */
public final class SuhoClientsLifecycle implements SmartLifecycle {
    /** Below Boot's web server start/stop phase ({@code DEFAULT_PHASE - 2048}): stopped after it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
    private static final Logger log = LoggerFactory.getLogger(SuhoClientsLifecycle.class);

    private final SuhoClients suho;
    private volatile boolean running;

    public SuhoClientsLifecycle(SuhoClients suho) {
        this.suho = suho;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            log.info("closing Suho clients of {}", suho.serviceName());
            suho.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
