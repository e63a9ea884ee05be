package io.suho.client.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A password or token. {@link #toString()} is always masked, so a secret can sit in a config object that gets
 * logged. Call {@link #reveal()} only where the value is handed to a driver.
 */
public final class Secret {
    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.toCharArray());
    }

    /** The plain value, for handing to a driver. Never log it. */
    public String reveal() {
        return new String(value);
    }

    /** The plain value as chars (a copy). */
    public char[] revealChars() {
        return value.clone();
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                new String(value).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new String(s.value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
