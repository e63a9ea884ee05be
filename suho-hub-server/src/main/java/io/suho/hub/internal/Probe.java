package io.suho.hub.internal;

import java.time.Duration;
import java.util.Map;

/**
 * A native health check of one store: a real protocol exchange (SQL, RESP, HTTP, Kafka admin), bounded by the
 * given timeout through the client's own timeouts. Returns details to show (server version, answering host) or
 * throws with a readable reason. Called from one thread at a time.
 */
public interface Probe extends AutoCloseable {

    Map<String, Object> check(Duration timeout) throws Exception;

    @Override
    default void close() {
    }
}
