package io.suho.client.core;

/**
 * A resolved configuration value and where it came from.
 *
 * @param key the dotted key
 * @param value the raw string value (for secrets, see {@link #toString()}: it is masked)
 * @param source the layer it came from
 * @param origin the exact name it was found under (e.g. {@code POSTGRES_PORT}, a file path)
 * @param secret whether the value must never be printed
 */
public record ConfigValue(String key, String value, ConfigSource source, String origin, boolean secret) {

    /** "from the environment (POSTGRES_PORT)" — for error messages. */
    public String describeSource() {
        return source.description() + (origin == null || origin.isEmpty() ? "" : " (" + origin + ")");
    }

    /** The value for messages: secrets masked. */
    public String printable() {
        return secret ? "****" : value;
    }

    @Override
    public String toString() {
        return key + "=" + printable() + " from " + describeSource();
    }
}
