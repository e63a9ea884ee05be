package io.suho.client.graph.internal;

/**
 * A response body that is not JSON at all: something other than ArangoDB (a proxy, a captive portal) answered, so
 * the path to the store is broken. Counted as unavailable.
 */
public final class MalformedResponseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
