package io.suho.client.core;

import io.suho.client.core.internal.SeedEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved configuration of one {@link SuhoClients} instance: every key looked up through the layers
 * builder &gt; system properties ({@code suho.*}) &gt; environment ({@code SUHO_*}, then the seed's names such
 * as {@code POSTGRES_HOST}) &gt; hub &gt; last-known-good endpoint file &gt; the key's default. Secrets are read
 * only from the first three layers (or from a file named by {@code <KEY>_FILE} / {@code <key>.file}) and are
 * masked in every message. Immutable and thread-safe.
 *
 * <p>Read a value with {@link #get(ConfigKey)} (or {@link #optional(ConfigKey)}): the key parses and range-checks
 * it and carries its one default; a bad value throws {@link ConfigurationException} naming the key, the (masked)
 * value, its source (environment variable, system property, builder, file) and the fix. The raw accessors
 * ({@link #get(String)}, {@link #find(String)}, {@link #secret(String)}) return text as given.
 */
public final class SuhoConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern BARE_NUMBER = Pattern.compile("\\d+");
    private static final String DURATION_EXPECTED = "expected a duration such as 500ms, 2s, 5m or PT2S";

    private final Map<String, String> builder;
    private final Properties system;
    private final Map<String, String> env;
    private final Map<String, ConfigValue> seed;
    private final Map<String, String> hub;
    private final Map<String, String> cache;
    private final Map<String, ConfigKey<?>> keys;

    private SuhoConfig(Map<String, String> builder, Properties system, Map<String, String> env,
            Map<String, String> hub, Map<String, String> cache, Map<String, ConfigKey<?>> keys) {
        this.builder = builder;
        this.system = system;
        this.env = env;
        this.seed = SeedEnvironment.derive(env);
        this.hub = hub;
        this.cache = cache;
        this.keys = keys;
    }

    /**
     * Creates a config from explicit layers. {@code system} and {@code env} are usually
     * {@link System#getProperties()} and {@link System#getenv()}; tests pass their own.
     */
    public static SuhoConfig create(Map<String, String> builder, Properties system, Map<String, String> env,
            Collection<? extends ConfigKey<?>> knownKeys) {
        Map<String, ConfigKey<?>> k = new TreeMap<>();
        for (ConfigKey<?> key : knownKeys) {
            k.put(key.name(), key);
        }
        return new SuhoConfig(Map.copyOf(builder), copy(system), Map.copyOf(env), Map.of(), Map.of(), k);
    }

    /** The same config with new hub and endpoint-file layers (secrets in them are ignored). */
    public SuhoConfig withRemoteLayers(Map<String, String> hubValues, Map<String, String> cacheValues) {
        return new SuhoConfig(builder, system, env, Map.copyOf(hubValues), Map.copyOf(cacheValues), keys);
    }

    /** The same config knowing more keys (defaults, aliases and secrecy come from the key definitions). */
    public SuhoConfig withKeys(Collection<? extends ConfigKey<?>> more) {
        Map<String, ConfigKey<?>> k = new TreeMap<>(keys);
        for (ConfigKey<?> key : more) {
            k.put(key.name(), key);
        }
        return new SuhoConfig(builder, system, env, hub, cache, k);
    }

    private static Properties copy(Properties p) {
        Properties out = new Properties();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("suho.")) {
                out.setProperty(name, p.getProperty(name));
            }
        }
        return out;
    }

    /**
     * The names under which settings were given to the SDK, with where: builder keys, {@code suho.*} system
     * properties, and {@code SUHO_*} environment variables (by variable name); blank values (unset) are left out,
     * and so are the hub's and the endpoint file's layers. For spotting misspelled keys.
     */
    public Map<String, ConfigSource> givenNames() {
        Map<String, ConfigSource> out = new LinkedHashMap<>();
        new TreeMap<>(builder).forEach((k, v) -> {
            if (!v.isBlank()) {
                out.put(k, ConfigSource.BUILDER);
            }
        });
        new TreeMap<>(system).forEach((k, v) -> {
            if (!v.toString().isBlank()) {
                out.putIfAbsent(k.toString(), ConfigSource.SYSTEM_PROPERTY);
            }
        });
        new TreeMap<>(env).forEach((k, v) -> {
            if (k.startsWith("SUHO_") && !v.isBlank()) {
                out.putIfAbsent(k, ConfigSource.ENVIRONMENT);
            }
        });
        return out;
    }

    /** Every key this config knows a definition of, sorted. */
    public Collection<ConfigKey<?>> knownKeys() {
        return keys.values();
    }

    /** The definition of a key, if one was declared. */
    public Optional<ConfigKey<?>> definition(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    /**
     * Resolves a key through all layers, or empty when no layer has it and it has no default. A key whose default
     * is another key's value ({@link ConfigKey#withDefaultFrom}) resolves to that key's value, renamed.
     */
    public Optional<ConfigValue> find(String key) {
        ConfigKey<?> def = keys.get(key);
        Optional<ConfigValue> set = findSet(key, def);
        if (set.isPresent()) {
            return set;
        }
        return defaultOf(key, def);
    }

    private Optional<ConfigValue> defaultOf(String key, ConfigKey<?> def) {
        if (def == null) {
            return Optional.empty();
        }
        if (def.defaultFrom() != null) {
            ConfigKey<?> other = def.defaultFrom();
            Optional<ConfigValue> v = findSet(other.name(), keys.getOrDefault(other.name(), other));
            if (v.isEmpty()) {
                v = defaultOf(other.name(), keys.getOrDefault(other.name(), other));
            }
            return v.map(o -> new ConfigValue(key, o.value(), o.source(),
                    other.name() + (o.origin() == null ? "" : ", " + o.origin()), def.secret()));
        }
        if (def.defaultValue() != null) {
            return Optional.of(new ConfigValue(key, def.defaultValue(), ConfigSource.DEFAULT, null, def.secret()));
        }
        return Optional.empty();
    }

    /** The value of a key from every layer but the default, or empty. */
    private Optional<ConfigValue> findSet(String key, ConfigKey<?> def) {
        boolean secret = def != null && def.secret();
        String v = builder.get(key);
        if (v != null) {
            return Optional.of(new ConfigValue(key, v, ConfigSource.BUILDER, null, secret));
        }
        v = system.getProperty(key);
        if (v != null) {
            return Optional.of(new ConfigValue(key, v, ConfigSource.SYSTEM_PROPERTY, key, secret));
        }
        String envName = ConfigKey.envName(key);
        v = env.get(envName);
        if (v != null) {
            return Optional.of(new ConfigValue(key, v, ConfigSource.ENVIRONMENT, envName, secret));
        }
        if (secret) {
            Optional<ConfigValue> fromFile = secretFile(key, def);
            if (fromFile.isPresent()) {
                return fromFile;
            }
        }
        if (def != null) {
            for (String alias : def.envAliases()) {
                v = env.get(alias);
                if (v != null) {
                    return Optional.of(new ConfigValue(key, v, ConfigSource.ENVIRONMENT, alias, secret));
                }
            }
        }
        ConfigValue derived = seed.get(key);
        if (derived != null) {
            return Optional.of(derived);
        }
        if (!secret) {
            v = hub.get(key);
            if (v != null) {
                return Optional.of(new ConfigValue(key, v, ConfigSource.HUB, null, false));
            }
            v = cache.get(key);
            if (v != null) {
                return Optional.of(new ConfigValue(key, v, ConfigSource.ENDPOINT_CACHE, null, false));
            }
        }
        return Optional.empty();
    }

    /**
     * The typed value of a key: the first layer that sets it (blank counts as unset), parsed and range-checked by the
     * key, else its default (its own, or the key it defaults from).
     *
     * @throws ConfigurationException when the value is invalid (naming the key, the masked value, where it was set
     *     and the fix) or when no layer sets it and it has no default (naming every way to set it)
     */
    public <T> T get(ConfigKey<T> key) {
        return optional(key).orElseThrow(() -> missing(key.name()));
    }

    /**
     * Like {@link #get(ConfigKey)} but empty instead of throwing when no layer sets the key and it has no default.
     *
     * @throws ConfigurationException when a value is present but invalid
     */
    public <T> Optional<T> optional(ConfigKey<T> key) {
        Optional<ConfigValue> v = findSet(key.name(), key);
        if (v.isPresent() && !v.get().value().isBlank()) {
            return Optional.of(parse(key, v.get()));
        }
        if (key.defaultFrom() != null) {
            return optional(key.defaultFrom());
        }
        return Optional.ofNullable(key.typedDefault());
    }

    /** True when a layer other than the default sets the key to a non-blank value. */
    public boolean isSet(String key) {
        return findSet(key, keys.get(key)).filter(v -> !v.value().isBlank()).isPresent();
    }

    private <T> T parse(ConfigKey<T> key, ConfigValue v) {
        try {
            return key.parse(v.value());
        } catch (IllegalArgumentException e) {
            throw invalid(v, e.getMessage() == null ? "cannot be parsed" : e.getMessage());
        }
    }

    private Optional<ConfigValue> secretFile(String key, ConfigKey<?> def) {
        String fileKey = key + ".file";
        String path = builder.get(fileKey);
        String origin = fileKey;
        if (path == null) {
            path = system.getProperty(fileKey);
        }
        if (path == null) {
            origin = ConfigKey.envName(key) + "_FILE";
            path = env.get(origin);
        }
        if (path == null) {
            for (String alias : def.envAliases()) {
                origin = alias + "_FILE";
                path = env.get(origin);
                if (path != null) {
                    break;
                }
            }
        }
        if (path == null) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
            return Optional.of(new ConfigValue(key, stripNewline(text), ConfigSource.FILE, origin + "=" + path, true));
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException(key, "cannot read the secret file for " + key + " named by " + origin
                    + " (" + path + "): " + e.getClass().getSimpleName()
                    + "; fix: point it at a readable file holding only the value");
        }
    }

    private static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The raw text of a key (blank counts as unset); prefer {@link #get(ConfigKey)}, which parses and checks it. */
    public Optional<String> get(String key) {
        return find(key).map(ConfigValue::value).filter(v -> !v.isBlank());
    }

    /** The raw text of a key, or {@code defaultValue}; prefer {@link #get(ConfigKey)}, whose key carries the default. */
    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /** A value that must be present, or a {@link ConfigurationException} listing every way to set it. */
    public String require(String key) {
        return get(key).orElseThrow(() -> missing(key));
    }

    /** The exception for a missing key, naming the system property and environment variables that set it. */
    public ConfigurationException missing(String key) {
        return new ConfigurationException(key, key + " is not set; fix: " + howToSet(key));
    }

    /** "set system property X, environment variable Y (or Z), or the builder" — for error messages. */
    public String howToSet(String key) {
        ConfigKey<?> def = keys.get(key);
        StringBuilder sb = new StringBuilder("set the environment variable ").append(ConfigKey.envName(key));
        if (def != null) {
            for (String alias : def.envAliases()) {
                sb.append(" or ").append(alias);
            }
            if (key.endsWith(".hosts")) {
                String seedName = SeedEnvironment.seedHostsName(key);
                if (seedName != null) {
                    sb.append(" or ").append(seedName);
                }
            }
            if (def.secret()) {
                sb.append(" (or ").append(ConfigKey.envName(key)).append("_FILE naming a file)");
            }
        }
        sb.append(", the system property ").append(key).append(", or the SuhoClients builder");
        if (def != null && !def.secret()) {
            sb.append(", or let the hub provide it");
        }
        return sb.toString();
    }

    /** A secret key's value; prefer {@link #optional(ConfigKey)} with the key from {@code ConfigKey.secret}. */
    public Optional<Secret> secret(String key) {
        return get(key).map(Secret::of);
    }

    /**
     * The product's one duration rule: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601
     * {@code PT2S}, never negative. A bare number has no unit and is refused with a message that proposes one
     * ({@code "5"} → "add a unit: 5s").
     *
     * @throws IllegalArgumentException whose message says what was expected and, for a bare number, the fix
     */
    public static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (BARE_NUMBER.matcher(s).matches()) {
            throw new IllegalArgumentException("a duration needs a unit (ms, s, m, h or d); fix: add a unit: " + s
                    + "s (or " + s + "ms)");
        }
        Matcher m = DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            Duration d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new IllegalArgumentException(DURATION_EXPECTED + " (not negative)");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(DURATION_EXPECTED, e);
        }
    }

    /** The {@code suho.<store>.hosts} list, or a {@link ConfigurationException} saying how to set it. */
    public List<HostPort> hosts(Store store) {
        return get(StoreKeys.hostsKey(store));
    }

    /**
     * Every key under a prefix from the builder and system properties, with the prefix removed — for pass-through
     * driver settings such as {@code suho.kafka.producer.linger.ms}.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), system.getProperty(name));
            }
        }
        builder.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** An exception for a present but invalid value: names key, (masked) value, source and fix. */
    public ConfigurationException invalid(ConfigValue v, String expectation) {
        String fix = expectation.contains("; fix: ") ? "" : "; fix: change it where it is set";
        return new ConfigurationException(v.key(), v.key() + " = '" + v.printable() + "' from " + v.describeSource()
                + " is invalid: " + expectation + fix);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SuhoConfig{");
        boolean first = true;
        for (String key : keys.keySet()) {
            Optional<ConfigValue> v = find(key);
            if (v.isPresent() && v.get().source() != ConfigSource.DEFAULT) {
                sb.append(first ? "" : ", ").append(key).append('=').append(v.get().printable());
                first = false;
            }
        }
        return sb.append('}').toString();
    }
}
