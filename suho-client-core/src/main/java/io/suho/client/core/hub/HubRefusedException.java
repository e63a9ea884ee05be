package io.suho.client.core.hub;

import java.io.IOException;

/**
 * The hub answered and refused a request (HTTP 4xx, or the gRPC equivalent): another hub would answer the same, so
 * the SDK does not fail over on it. Other {@link IOException}s from a {@link HubTransport} mean the hub could not
 * be reached or failed.
 */
public class HubRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status the refusal maps to (400, 401, 403, 404, 409, ...)
     * @param message what was refused and why, without secrets
     */
    public HubRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the refusal maps to. */
    public int status() {
        return status;
    }
}
