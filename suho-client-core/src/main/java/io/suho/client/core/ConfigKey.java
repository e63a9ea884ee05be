package io.suho.client.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A documented configuration key. Modules declare theirs through
 * {@link io.suho.client.core.spi.StoreModule#configKeys()}; the SDK resolves each key from, in order, the
 * builder, the system property of the same name, the environment variable ({@link #envName()} and then each
 * of {@link #envAliases()}), the hub, the last-known-good endpoint file and finally {@link #defaultValue()}.
 * Secret keys are never taken from the hub or the endpoint file, may be given as a file ({@code <KEY>_FILE})
 * and are masked wherever they are printed.
 *
 * @param name dotted lower-case key, e.g. {@code suho.postgres.hosts}
 * @param description one sentence for {@code docs/configuration.md} and error messages
 * @param defaultValue the default, or {@code null} when there is none
 * @param secret true for passwords and tokens
 * @param required true when the store cannot start without a value
 * @param envAliases environment variables the seed deployment already uses (e.g. {@code POSTGRES_DB})
 */
public record ConfigKey(String name, String description, String defaultValue, boolean secret, boolean required,
        List<String> envAliases) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9]*(\\.[a-z0-9][a-z0-9-]*)+")) {
            throw new IllegalArgumentException("config key must be dotted lower-case: " + name);
        }
        envAliases = envAliases == null ? List.of() : List.copyOf(envAliases);
    }

    public static ConfigKey of(String name, String description, String defaultValue) {
        return new ConfigKey(name, description, defaultValue, false, false, List.of());
    }

    public static ConfigKey required(String name, String description, String... envAliases) {
        return new ConfigKey(name, description, null, false, true, List.of(envAliases));
    }

    public static ConfigKey secret(String name, String description, String... envAliases) {
        return new ConfigKey(name, description, null, true, false, List.of(envAliases));
    }

    /** Returns a copy with extra seed environment aliases. */
    public ConfigKey withEnvAliases(String... aliases) {
        return new ConfigKey(name, description, defaultValue, secret, required, List.of(aliases));
    }

    /** The environment variable for this key: {@code suho.postgres.pool.max-size} → {@code SUHO_POSTGRES_POOL_MAX_SIZE}. */
    public String envName() {
        return envName(name);
    }

    /** The environment variable name of any dotted key. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
