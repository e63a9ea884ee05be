package io.suho.client.core;

/**
 * A configuration value is missing or invalid. The message names the key, where the bad value came from
 * and how to fix it; the value itself is shown only when the key is not a secret.
 */
public class ConfigurationException extends SuhoException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    public ConfigurationException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The config key at fault (e.g. {@code suho.postgres.hosts}); several keys are comma-separated. */
    public String key() {
        return key;
    }
}
