package io.suho.client.cache.internal;

import com.fasterxml.jackson.core.JacksonException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.suho.client.cache.CacheValueException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import java.util.Locale;
import java.util.Set;

/**
 * The cache's failure policy: what a Lettuce failure means. Lettuce reports most connection states as a plain
 * {@link RedisException} told apart only by its message, so those messages are matched here. Stateless; thread-safe.
 */
final class CacheFailures implements FailurePolicy {
    /** The policy the cache's call pipeline uses. */
    static final CacheFailures POLICY = new CacheFailures();

    /** Error replies meaning the server does not serve commands right now: nothing was executed. */
    private static final Set<String> NOT_SERVING = Set.of("LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN",
            "CLUSTERDOWN");
    private static final Set<String> LOGIN_CODES = Set.of("NOAUTH", "WRONGPASS", "NOPERM");
    private static final String LOGIN_HINT = "check " + StoreKeys.user(Store.CACHE) + " and "
            + StoreKeys.password(Store.CACHE);
    /** What Lettuce says when it refuses a command before writing it (queues are unbounded in the SDK's options). */
    private static final String[] NOT_WRITTEN = {"Currently not connected", "Connection is closed"};
    private static final String SERIALIZATION = "SERIALIZATION";

    private CacheFailures() {
    }

    /**
     * A refused or failed connect ({@link RedisConnectionException}, also a wrong password) and a command Lettuce
     * refused to write while disconnected are UNAVAILABLE; the command timeout and a connection lost with the command
     * on the wire ("Connection disconnected", a reset) are TIMEOUT; an error reply is an OPERATION_ERROR with its
     * prefix as the code, except the replies of a server that is not serving yet ({@code LOADING}, {@code BUSY},
     * {@code READONLY}, …), which are UNAVAILABLE.
     */
    @Override
    public Failure classify(Throwable failure) {
        RedisCommandExecutionException reply = Causes.find(failure, RedisCommandExecutionException.class);
        String code = errorCode(reply);
        if (Causes.has(failure, RedisConnectionException.class)) {
            Failure f = Failure.of(FailureKind.UNAVAILABLE, code, failure);
            return code != null && LOGIN_CODES.contains(code) ? f.withHint(LOGIN_HINT) : f;
        }
        if (Causes.has(failure, RedisCommandTimeoutException.class)) {
            return Failure.of(FailureKind.TIMEOUT, failure);
        }
        if (reply != null) {
            boolean notServing = code != null && NOT_SERVING.contains(code);
            return Failure.of(notServing ? FailureKind.UNAVAILABLE : FailureKind.OPERATION_ERROR, code, reply);
        }
        if (Causes.has(failure, JacksonException.class)) {
            return Failure.of(FailureKind.OPERATION_ERROR, SERIALIZATION, failure);
        }
        Throwable plain = Causes.find(failure, t -> t instanceof RedisException && t.getCause() == null);
        if (plain != null) {
            return Failure.of(lettuceKind(plain), failure);
        }
        Failure f = FailurePolicy.generic(failure);
        if (f.kind() == FailureKind.CALLER_CODE && failure instanceof RedisException) {
            // Lettuce's own failure without a network cause (an interrupted wait, an encoding problem): it concerns
            // this call, not the store, and the caller gets a StoreOperationException rather than a Lettuce type
            return Failure.of(FailureKind.OPERATION_ERROR, failure);
        }
        return f;
    }

    /** A plain {@link RedisException}: was the command written before the connection went away? */
    private static FailureKind lettuceKind(Throwable e) {
        String m = String.valueOf(e.getMessage());
        for (String notWritten : NOT_WRITTEN) {
            if (m.startsWith(notWritten)) {
                return FailureKind.UNAVAILABLE;
            }
        }
        // "Connection disconnected" / "Connection closed": commands in flight when the connection dropped
        return m.startsWith("Connection ") ? FailureKind.TIMEOUT : FailureKind.OPERATION_ERROR;
    }

    /** A JSON problem inside a call (only native calls parse there) is a {@link CacheValueException} too. */
    @Override
    public StoreOperationException operationError(String operation, Failure failure, Throwable cause) {
        return SERIALIZATION.equals(failure.errorCode()) ? new CacheValueException(operation, failure.detail(), cause)
                : null;
    }

    /** The server's error prefix ({@code WRONGTYPE}, {@code ERR}, {@code NOSCRIPT}), or null. */
    static String errorCode(RedisCommandExecutionException e) {
        if (e == null || e.getMessage() == null) {
            return null;
        }
        String m = e.getMessage().trim();
        int space = m.indexOf(' ');
        String first = space < 0 ? m : m.substring(0, space);
        return !first.isEmpty() && first.equals(first.toUpperCase(Locale.ROOT)) ? first : null;
    }
}
