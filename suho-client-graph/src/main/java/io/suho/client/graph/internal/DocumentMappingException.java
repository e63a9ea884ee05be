package io.suho.client.graph.internal;

/**
 * A document, edge or bind variable could not be mapped to or from JSON: a caller error (wrong type, missing
 * constructor), never a reason to retry or to open the breaker.
 */
public final class DocumentMappingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DocumentMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
