package io.suho.client.cache;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A user session as stored by {@link SessionStore}.
 *
 * @param id opaque random session id (the value a cookie or token carries)
 * @param userId the user it belongs to
 * @param createdAt when it was created
 * @param lastSeen when it was last created or touched
 * @param attributes application attributes; immutable
 */
public record Session(String id, String userId, Instant createdAt, Instant lastSeen, Map<String, String> attributes) {
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
