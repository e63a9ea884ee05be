package io.suho.client.cache;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * User sessions in the cache: each session is a hash ({@code <namespace>:session:<id>}) that expires after
 * {@link #ttl()} without a {@link #touch}, and each user has an index set ({@code <namespace>:session-user:<userId>})
 * so all of a user's sessions can be revoked at once. Session ids are 256-bit random, URL-safe. Thread-safe.
 */
public interface SessionStore {

    /** How long a session lives after its creation or last touch. */
    Duration ttl();

    /** The same store with another sliding TTL. */
    SessionStore withTtl(Duration ttl);

    /** Creates a session for the user with the given attributes (atomically, with its index entry). */
    Session create(String userId, Map<String, String> attributes);

    /** The session, or empty when it does not exist (expired or revoked). Does not extend it. */
    Optional<Session> get(String sessionId);

    /** Extends the session by {@link #ttl()} from now and records {@code lastSeen}; false when it no longer exists. */
    boolean touch(String sessionId);

    /** Ends a session; true when it existed. */
    boolean revoke(String sessionId);

    /** Ends every session of the user; how many existed. */
    int revokeAll(String userId);
}
