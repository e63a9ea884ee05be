package io.suho.client.cache.internal;

import com.fasterxml.jackson.core.JacksonException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor.ExceptionTranslator;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** How Lettuce's exceptions count for the breaker and what the caller sees instead. */
public final class CacheFailures {
    private CacheFailures() {
    }

    /**
     * Connection refused/closed and commands rejected while disconnected are UNAVAILABLE; the command timeout is
     * TIMEOUT; an error reply from the server (WRONGTYPE, a script error, …) and (de)serialisation problems are the
     * caller's. Replies that say the server is not serving yet (LOADING, BUSY, READONLY) count as UNAVAILABLE.
     */
    public static FailureKind classify(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof RedisCommandTimeoutException || e instanceof TimeoutException) {
            return FailureKind.TIMEOUT;
        }
        if (e instanceof RedisConnectionException || e instanceof RedisLoadingException
                || e instanceof RedisBusyException || e instanceof RedisReadOnlyException) {
            return FailureKind.UNAVAILABLE;
        }
        if (e instanceof RedisCommandExecutionException || e instanceof RedisCommandInterruptedException
                || e instanceof JacksonException || e instanceof SuhoException) {
            return FailureKind.CALLER_ERROR;
        }
        if (e instanceof RedisException || e instanceof IOException) {
            // "Connection closed", "Currently not connected. Commands are rejected.", channel errors
            return FailureKind.UNAVAILABLE;
        }
        return FailureKind.CALLER_ERROR;
    }

    /** The translator handed to the executor. */
    public static ExceptionTranslator translator() {
        return CacheFailures::translate;
    }

    static RuntimeException translate(String operation, Throwable failure, FailureKind kind) {
        Throwable e = unwrap(failure);
        if (e instanceof SuhoException s) {
            return s;
        }
        return switch (kind) {
            case UNAVAILABLE -> new StoreUnavailableException(Store.CACHE, operation + " failed: " + describe(e),
                    false, e);
            case TIMEOUT -> new StoreUnavailableException(Store.CACHE, operation
                    + " timed out (outcome unknown): " + describe(e), false, e);
            case CALLER_ERROR -> new StoreOperationException(Store.CACHE, operation, errorCode(e),
                    String.valueOf(e.getMessage()), e);
        };
    }

    /** The server's error prefix ({@code WRONGTYPE}, {@code ERR}, {@code NOSCRIPT}), or null. */
    static String errorCode(Throwable e) {
        if (!(e instanceof RedisCommandExecutionException) || e.getMessage() == null) {
            return null;
        }
        String m = e.getMessage().trim();
        int space = m.indexOf(' ');
        String first = space < 0 ? m : m.substring(0, space);
        return first.equals(first.toUpperCase(Locale.ROOT)) && !first.isEmpty() ? first : null;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
