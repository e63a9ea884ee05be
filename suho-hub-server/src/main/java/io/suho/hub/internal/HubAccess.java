package io.suho.hub.internal;

import io.suho.client.core.Secret;
import java.security.cert.Certificate;

/**
 * Who may do what at the hub, for a transport that is not the HTTP handler (the gRPC API): registrations need the
 * write token ({@link BearerAuth}, the current or the previous one) and, with {@code SUHO_HUB_TLS_CLIENT_CA}, a client
 * certificate; reads need the read token (or the write token) only when one is configured. The checks and their
 * messages are {@link BearerAuth}'s, so both transports refuse the same callers with the same words. Immutable;
 * thread-safe.
 */
public final class HubAccess {
    private final BearerAuth write;
    private final BearerAuth read;
    private final boolean clientCertificateForWrites;

    /** The rules of the HTTP API built from the same settings ({@link HubHandler.Deps}). */
    public HubAccess(HubHandler.Deps deps) {
        this(deps.token(), deps.previousToken(), deps.readToken(), deps.clientCertificateForWrites());
    }

    HubAccess(Secret token, Secret previousToken, Secret readToken,
            boolean clientCertificateForWrites) {
        this.write = new BearerAuth(token, previousToken);
        this.read = readToken == null ? null : new BearerAuth(readToken);
        this.clientCertificateForWrites = clientCertificateForWrites;
    }

    /**
     * Lets a registration through or refuses it.
     *
     * @param authorization the caller's {@code Authorization} value ({@code Bearer <token>}), or {@code null}
     * @param peerCertificates the TLS client's certificate chain, or {@code null} / empty without one
     * @throws ApiException 403 {@code read_only} without a configured token, 401 for a missing or wrong token, 403
     *     {@code client_certificate_required} when mutual TLS is required and no certificate was presented
     */
    void authorizeRegistration(String authorization, Certificate[] peerCertificates) {
        write.authorize(authorization);
        if (clientCertificateForWrites && (peerCertificates == null || peerCertificates.length == 0)) {
            throw new ApiException(403, "client_certificate_required", "registration needs a client certificate"
                    + " signed by the hub's SUHO_HUB_TLS_CLIENT_CA (mutual TLS)");
        }
    }

    /** Whether reads are open or {@code authorization} carries the read (or write) token. */
    boolean mayRead(String authorization) {
        return read == null || read.accepts(authorization) || write.accepts(authorization);
    }

    /** @throws ApiException 401 when the hub has a read token and the caller did not present it */
    void authorizeRead(String authorization) {
        if (!mayRead(authorization)) {
            throw new ApiException(401, "unauthorized", "this hub requires 'Authorization: Bearer <read token>'"
                    + " (SUHO_HUB_READ_TOKEN) for reads");
        }
    }
}
