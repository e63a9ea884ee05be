package io.suho.client.cache.internal;

/**
 * A namespace and its key rules: validates user keys and turns them into {@code <namespace>:<key>}; user keys may
 * not enter the helpers' key spaces ({@link #RESERVED}).
 */
final class KeySpace {
    private final String namespace;
    private final String prefix;
    private final int maxLength;

    KeySpace(String namespace, int maxLength) {
        if (namespace == null || namespace.isBlank() || namespace.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("cache namespace must be non-empty without whitespace: '"
                    + namespace + "'");
        }
        this.namespace = namespace;
        this.prefix = namespace + ":";
        this.maxLength = maxLength;
    }

    String namespace() {
        return namespace;
    }

    int maxLength() {
        return maxLength;
    }

    /**
     * Where the SDK's own helpers keep their data under the namespace: a user key starting with one of these would
     * read, overwrite or delete a session, a lock or a rate limit (for example a user-controlled key
     * {@code session:<id>} deleting someone's session), so user keys may not.
     */
    static final java.util.List<String> RESERVED = java.util.List.of("session:", "session-user:", "lock:",
            "lock-fence:", "ratelimit:", "prices");

    /** The stored key for a user key, or IllegalArgumentException naming the operation and the key. */
    String key(String operation, String key) {
        check(operation, key);
        for (String r : RESERVED) {
            if (r.endsWith(":") ? key.startsWith(r) : key.equals(r)) {
                throw new IllegalArgumentException(operation + ": cache key '" + abbreviate(key) + "' is in the key"
                        + " space the SDK keeps for its sessions, locks, rate limits and prices (" + RESERVED
                        + "); choose another key");
            }
        }
        return prefix.concat(key);
    }

    private static String abbreviate(String key) {
        return key.length() > 40 ? key.substring(0, 40) + "…" : key;
    }

    /** The stored key for a helper's own key space, e.g. {@code ns:session:<id>}. */
    String key(String operation, String kind, String key) {
        check(operation, key);
        return prefix + kind + ":" + key;
    }

    void check(String operation, String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(operation + ": cache key must not be " + (key == null ? "null" : "empty"));
        }
        if (key.length() > maxLength) {
            throw new IllegalArgumentException(operation + ": cache key '" + key.substring(0, 40) + "…' is "
                    + key.length() + " characters; the limit is " + maxLength + " (suho.cache.key.max-length)");
        }
    }

    /** The user key of a stored key of this namespace. */
    String strip(String stored) {
        return stored.substring(prefix.length());
    }
}
