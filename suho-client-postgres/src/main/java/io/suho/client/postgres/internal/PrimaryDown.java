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
 * operation name, in core's "was not sent" wording) and its exceptions carry no stack trace, since they say nothing
 * about the caller's code that the rejected call site would not. Thread-safe.
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

    /**
     * What a call on the primary throws while it is known down: a stackless {@link StoreUnavailableException} (the
     * call was not sent) naming the operation, caused by a stackless 08001 {@link Rejection} so that code reading the
     * SQLState sees "no connection was made". Core passes an SDK exception thrown inside a call through by its type.
     */
    StoreUnavailableException unavailable(String operation) {
        String m = messages.get(operation);
        if (m == null) {
            m = messages.computeIfAbsent(operation, op -> op + " was not sent: " + reason + " [" + SQL_STATE + "]");
        }
        return new PrimaryDownException(m, new Rejection(this));
    }

    /** A stackless 08001 refusal: the driver-level view of a call refused while the primary is known down. */
    static final class Rejection extends SQLTransientConnectionException {
        private static final long serialVersionUID = 1L;

        Rejection(PrimaryDown down) {
            super(down.reason, SQL_STATE);
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
