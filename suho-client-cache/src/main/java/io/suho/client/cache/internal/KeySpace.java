package io.suho.client.cache.internal;

/**
 * A namespace and its key rules: validates user keys and turns them into {@code <namespace>:k:<key>}. User keys live
 * in their own sub-namespace ({@link #USER}), so no user-chosen key can name a key of the SDK's helpers (sessions,
 * locks, rate limits, prices, order books), which keep {@code <namespace>:<kind>:…} with a kind other than {@code k}.
 */
final class KeySpace {
    /** The sub-namespace of user keys: {@code <namespace>:k:<key>}. No helper uses this kind. */
    static final String USER = "k";

    private final String namespace;
    private final String prefix;
    private final String userPrefix;
    private final int maxLength;

    KeySpace(String namespace, int maxLength) {
        if (namespace == null || namespace.isBlank() || namespace.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("cache namespace must be non-empty without whitespace: '"
                    + namespace + "'");
        }
        this.namespace = namespace;
        this.prefix = namespace + ":";
        this.userPrefix = prefix + USER + ":";
        this.maxLength = maxLength;
    }

    String namespace() {
        return namespace;
    }

    int maxLength() {
        return maxLength;
    }

    /**
     * The stored key for a user key ({@code <namespace>:k:<key>}), or IllegalArgumentException naming the operation
     * and the key. Any key is allowed, {@code session:x} included: it is stored as {@code <namespace>:k:session:x},
     * never as the session {@code <namespace>:session:x}.
     */
    String key(String operation, String key) {
        check(operation, key);
        return userPrefix.concat(key);
    }

    /** The stored key for a helper's own key space, e.g. {@code ns:session:<id>}; {@code kind} is never {@link #USER}. */
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

    /** The user key of a stored user key of this namespace. */
    String strip(String stored) {
        return stored.substring(userPrefix.length());
    }
}
