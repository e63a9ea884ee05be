package io.suho.client.core;

/** Where a configuration value came from, highest precedence first. */
public enum ConfigSource {
    BUILDER("the SuhoClients builder"),
    SYSTEM_PROPERTY("a system property"),
    ENVIRONMENT("the environment"),
    FILE("a secret file"),
    HUB("the hub"),
    ENDPOINT_CACHE("the last-known-good endpoint file"),
    DEFAULT("the default");

    private final String description;

    ConfigSource(String description) {
        this.description = description;
    }

    /** Human wording for error messages, e.g. "the environment". */
    public String description() {
        return description;
    }
}
