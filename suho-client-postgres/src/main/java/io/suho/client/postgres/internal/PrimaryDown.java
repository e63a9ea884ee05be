package io.suho.client.postgres.internal;

import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreUnavailableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known-down state: the last probe found no writable primary among {@link #candidates()}. Calls on the primary are
 * refused without I/O until a probe sees it answer, and the refusal is made cheap — its messages are built once (per
 * operation name) and its exceptions carry no stack trace, since they say nothing about the caller's code that the
 * rejected call site would not. Thread-safe.
 */
final class PrimaryDown {
    static final String SQL_STATE = "08001";

    private final Set<HostPort> candidates;
    private final String reason;
    private final ConcurrentHashMap<String, String> messages = new ConcurrentHashMap<>();

    PrimaryDown(Set<HostPort> candidates) {
        this.candidates = Set.copyOf(candidates);
        this.reason = "no writable PostgreSQL primary answers among " + candidates + " (re-probing every "
                + Topology.REPROBE_MILLIS + " ms)";
    }

    Set<HostPort> candidates() {
        return candidates;
    }

    /** The driver-level failure a refused call throws: SQLState 08001 (no connection was made, nothing was sent). */
    Rejection rejection() {
        return new Rejection(this);
    }

    /** What the caller sees for a refused call: a {@link StoreUnavailableException} naming the operation. */
    StoreUnavailableException unavailable(String operation, Rejection cause) {
        String m = messages.get(operation);
        if (m == null) {
            m = messages.computeIfAbsent(operation, op -> op + " failed [" + SQL_STATE + "]: " + reason);
        }
        return new PrimaryDownException(m, cause);
    }

    /** A stackless 08001 refusal carrying its down state. */
    static final class Rejection extends SQLTransientConnectionException {
        private static final long serialVersionUID = 1L;
        private final transient PrimaryDown down;

        Rejection(PrimaryDown down) {
            super(down.reason, SQL_STATE);
            this.down = down;
        }

        PrimaryDown down() {
            return down;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** A stackless {@link StoreUnavailableException} for a call refused because the primary is known down. */
    static final class PrimaryDownException extends StoreUnavailableException {
        private static final long serialVersionUID = 1L;

        PrimaryDownException(String message, Rejection cause) {
            super(Store.POSTGRES, message, false, cause);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
