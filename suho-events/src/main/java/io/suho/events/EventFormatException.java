package io.suho.events;

import io.suho.client.core.SuhoException;

/**
 * Thrown when an event cannot be built or read: a payload Jackson cannot serialise, a reserved or malformed header
 * name, or a message on the wire that lacks the envelope headers. Nothing has been sent when it is thrown.
 */
public class EventFormatException extends SuhoException {
    private static final long serialVersionUID = 1L;

    public EventFormatException(String message) {
        super(message);
    }

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
