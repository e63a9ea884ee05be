package io.suho.client.core.spi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Walks exception cause chains with a depth bound and a cycle guard, for store modules classifying driver failures
 * (drivers wrap the {@code ConnectException} that matters three or four levels deep). Stateless; thread-safe.
 */
public final class Causes {
    /** Deeper chains than this are not walked: no driver nests more, and a cycle must end somewhere. */
    public static final int MAX_DEPTH = 16;

    private Causes() {
    }

    /** The first throwable in {@code failure}'s cause chain (itself included) of the given type, or {@code null}. */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            Throwable next = t.getCause();
            t = next == t ? null : next;
        }
        return null;
    }

    /** The first throwable in the cause chain (itself included) that matches, or {@code null}. */
    public static Throwable find(Throwable failure, Predicate<Throwable> test) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (test.test(t)) {
                return t;
            }
            Throwable next = t.getCause();
            t = next == t ? null : next;
        }
        return null;
    }

    /** True when the cause chain (itself included) holds an instance of {@code type}. */
    public static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return find(failure, type) != null;
    }

    /** The last throwable of the chain (within {@link #MAX_DEPTH}). */
    public static Throwable root(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            Throwable next = t.getCause();
            if (next == null || next == t) {
                return t;
            }
            t = next;
        }
        return t;
    }

    /**
     * Strips the wrappers that only say where a failure travelled ({@link CompletionException},
     * {@link ExecutionException}, Failsafe's {@code FailsafeException}), returning the failure itself.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; depth < MAX_DEPTH && t.getCause() != null && isWrapper(t); depth++) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof CompletionException || t instanceof ExecutionException
                || t.getClass().getName().equals("dev.failsafe.FailsafeException");
    }

    /**
     * One line for a failure message: the failure's own message (or its class name), followed by the root cause
     * when the driver wrapped it away, e.g. {@code "Failed to connect (caused by ConnectException: Connection
     * refused)"}.
     */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "(no detail)";
        }
        String own = text(failure);
        Throwable root = root(failure);
        if (root == failure || root == null) {
            return own;
        }
        String rootMessage = root.getMessage();
        if (rootMessage != null && own.contains(rootMessage)) {
            return own;
        }
        return own + " (caused by " + root.getClass().getSimpleName()
                + (rootMessage == null ? "" : ": " + rootMessage) + ")";
    }

    private static String text(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** See {@link FailurePolicy#generic(Throwable)}. */
    static Failure networkFailure(Throwable failure) {
        Throwable f = unwrap(failure);
        if (find(f, Causes::notSent) != null) {
            return Failure.of(FailureKind.UNAVAILABLE, f);
        }
        if (find(f, t -> t instanceof SocketTimeoutException || t instanceof TimeoutException
                || t instanceof InterruptedIOException || t instanceof ClosedChannelException
                || t instanceof IOException) != null) {
            return Failure.of(FailureKind.TIMEOUT, f);
        }
        if (f instanceof RuntimeException || f instanceof Error) {
            return Failure.of(FailureKind.CALLER_CODE, f);
        }
        return Failure.of(FailureKind.OPERATION_ERROR, f);
    }

    private static boolean notSent(Throwable t) {
        return t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException || t instanceof PortUnreachableException
                || t instanceof HttpConnectTimeoutException
                // Apache HttpClient's and Netty's connect timeouts: no connection, so nothing was sent
                || t.getClass().getSimpleName().equals("ConnectTimeoutException")
                || t instanceof SocketTimeoutException && t.getMessage() != null
                        && t.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out");
    }
}
