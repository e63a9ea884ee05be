package io.suho.client.cache.internal;

/** A namespace and its key rules: validates user keys and turns them into {@code <namespace>:<key>}. */
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

    /** The stored key for a user key, or IllegalArgumentException naming the operation and the key. */
    String key(String operation, String key) {
        check(operation, key);
        return prefix.concat(key);
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
