package io.suho.hub.internal;

import io.suho.client.core.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The check every write passes: {@code Authorization: Bearer <token>} against the hub's {@code SUHO_HUB_TOKEN}.
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken reveals neither the
 * token's content nor its length. Without a configured token the hub is read-only and refuses every write with 403.
 * Immutable; thread-safe.
 */
final class BearerAuth {
    private final byte[] tokenDigest;
    private final byte[] previousDigest;

    /** @param token the write token, or {@code null} for a read-only hub */
    BearerAuth(Secret token) {
        this(token, null);
    }

    /** @param previous a token being rotated out, accepted as well, or {@code null} */
    BearerAuth(Secret token, Secret previous) {
        this.tokenDigest = token == null ? null : sha256(token.reveal());
        this.previousDigest = previous == null ? null : sha256(previous.reveal());
    }

    /**
     * Lets the request through or refuses it.
     *
     * @param authorization the request's {@code Authorization} header, or {@code null}
     * @throws ApiException 403 when the hub is read-only, 401 when the header is missing, malformed or wrong
     */
    void authorize(String authorization) {
        if (tokenDigest == null) {
            throw new ApiException(403, "read_only", "this hub runs read-only (no SUHO_HUB_TOKEN configured); "
                    + "registrations are refused");
        }
        String h = authorization;
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "unauthorized", "writes need 'Authorization: Bearer <token>'");
        }
        // compare fixed-length digests in constant time, so timing reveals neither content nor length
        byte[] given = sha256(h.substring(7).trim());
        boolean current = MessageDigest.isEqual(tokenDigest, given);
        boolean previous = previousDigest != null && MessageDigest.isEqual(previousDigest, given);
        if (!current && !previous) {
            throw new ApiException(401, "unauthorized", "the bearer token is not valid");
        }
    }

    /** True when {@code authorization} is {@code Bearer <token>} with this token (constant-time). */
    boolean accepts(String authorization) {
        return tokenDigest != null && authorization != null && authorization.length() > 7
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
