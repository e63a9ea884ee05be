package io.suho.client.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A documented, typed configuration key: its name, its meaning, how its text is parsed into a {@code T} (range
 * checks included) and its default — written once, here. Modules declare theirs through
 * {@link io.suho.client.core.spi.StoreModule#configKeys()} and read them with {@link SuhoConfig#get(ConfigKey)}.
 *
 * <p>The SDK resolves each key from, in order, the builder, the system property of the same name, the environment
 * variable ({@link #envName()} and then each of {@link #envAliases()}), the hub, the last-known-good endpoint file
 * and finally the default: the key's own ({@link #defaultValue()}) or, for a key made with
 * {@link #withDefaultFrom(ConfigKey)}, whatever another key resolves to. A blank value counts as unset. Secret keys
 * are never taken from the hub or the endpoint file, may be given as a file ({@code <KEY>_FILE}) and are masked
 * wherever they are printed.
 *
 * <p>Factories cover the types the SDK uses: {@link #string}, {@link #integer}, {@link #longNumber}, {@link #bool},
 * {@link #duration} (one rule for the whole product, see {@link SuhoConfig#parseDuration}), {@link #hosts},
 * {@link #oneOf} and {@link #custom}. Keys are immutable and thread-safe; the {@code with…}/{@code as…} methods
 * return changed copies.
 *
 * @param <T> the type a value is parsed into
 */
public final class ConfigKey<T> {

    /**
     * Turns a (non-blank) configuration text into a value. Throws {@link IllegalArgumentException} whose message says
     * what was expected (e.g. "expected a whole number between 1 and 200"), optionally followed by
     * {@code "; fix: …"} when there is a better fix than "change it where it is set".
     *
     * @param <T> the parsed type
     */
    @FunctionalInterface
    public interface Parser<T> {
        /** Parses {@code text}, which is never blank. */
        T parse(String text);
    }

    private final String name;
    private final String description;
    private final Parser<T> parser;
    private final Function<? super T, String> formatter;
    private final T defaultValue;
    private final ConfigKey<T> defaultFrom;
    private final boolean secret;
    private final boolean required;
    private final List<String> envAliases;

    private ConfigKey(String name, String description, Parser<T> parser, Function<? super T, String> formatter,
            T defaultValue, ConfigKey<T> defaultFrom, boolean secret, boolean required, List<String> envAliases) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9]*(\\.[a-z0-9][a-z0-9-]*)+")) {
            throw new IllegalArgumentException("config key must be dotted lower-case: " + name);
        }
        this.parser = Objects.requireNonNull(parser, "parser");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
        this.defaultValue = defaultValue;
        this.defaultFrom = defaultFrom;
        this.secret = secret;
        this.required = required;
        this.envAliases = envAliases == null ? List.of() : List.copyOf(envAliases);
    }

    // ---------------------------------------------------------------- factories

    /** A text key; {@code defaultValue} may be {@code null} (no default). The text is taken as given. */
    public static ConfigKey<String> string(String name, String description, String defaultValue) {
        return new ConfigKey<>(name, description, text -> text, s -> s, defaultValue, null, false, false, List.of());
    }

    /** A whole number in {@code min..max} (inclusive). */
    public static ConfigKey<Integer> integer(String name, String description, int defaultValue, int min, int max) {
        return integer(name, description, min, max).withDefault(defaultValue);
    }

    /** A whole number in {@code min..max} (inclusive) without a default. */
    public static ConfigKey<Integer> integer(String name, String description, int min, int max) {
        Parser<Long> whole = wholeNumber(min, max);
        return new ConfigKey<>(name, description, text -> whole.parse(text).intValue(), String::valueOf, null, null,
                false, false, List.of());
    }

    /** A long whole number in {@code min..max} (inclusive). */
    public static ConfigKey<Long> longNumber(String name, String description, long defaultValue, long min, long max) {
        return new ConfigKey<>(name, description, wholeNumber(min, max), String::valueOf, defaultValue, null, false,
                false, List.of());
    }

    /** {@code true/false/yes/no/on/off/1/0}, case-insensitive. */
    public static ConfigKey<Boolean> bool(String name, String description, boolean defaultValue) {
        return new ConfigKey<>(name, description, ConfigKey::parseBoolean, String::valueOf, defaultValue, null, false,
                false, List.of());
    }

    /**
     * A duration written as {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601 {@code PT2S};
     * a bare number is refused with a message that proposes the unit ({@link SuhoConfig#parseDuration}).
     * {@code defaultValue} may be {@code null} (no default).
     */
    public static ConfigKey<Duration> duration(String name, String description, Duration defaultValue) {
        return new ConfigKey<>(name, description, ConfigKey::parseDurationValue, ConfigKey::formatDuration,
                defaultValue, null, false, false, List.of());
    }

    /** A duration in {@code min..max} (inclusive). */
    public static ConfigKey<Duration> duration(String name, String description, Duration defaultValue, Duration min,
            Duration max) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        return new ConfigKey<>(name, description, text -> {
            Duration d = parseDurationValue(text);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("expected a duration between " + formatDuration(min) + " and "
                        + formatDuration(max));
            }
            return d;
        }, ConfigKey::formatDuration, defaultValue, null, false, false, List.of());
    }

    /**
     * A comma-separated {@code host:port} list; a bare host gets {@code defaultPort}, IPv6 is written
     * {@code [::1]:5432}. No default (use {@link #withDefault} for one, e.g. an empty list).
     */
    public static ConfigKey<List<HostPort>> hosts(String name, String description, int defaultPort) {
        return new ConfigKey<>(name, description, text -> {
            try {
                return HostPort.parseList(text, defaultPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + "; expected host:port[,host:port…]", e);
            }
        }, list -> list.stream().map(HostPort::toString).collect(Collectors.joining(",")), null, null, false, false,
                List.of());
    }

    /** One constant of an enum, by name, case-insensitive ({@code "both"} → {@code BOTH}). */
    public static <E extends Enum<E>> ConfigKey<E> oneOf(String name, String description, Class<E> type,
            E defaultValue) {
        E[] constants = type.getEnumConstants();
        String allowed = Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
        return new ConfigKey<>(name, description, text -> {
            String t = text.trim();
            for (E e : constants) {
                if (e.name().equalsIgnoreCase(t)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("expected one of " + allowed);
        }, Enum::name, defaultValue, null, false, false, List.of());
    }

    /**
     * One of a fixed set of words, case-insensitive; the value is returned in lower case as listed in
     * {@code allowed}.
     */
    public static ConfigKey<String> oneOf(String name, String description, String defaultValue, String... allowed) {
        List<String> words = List.of(allowed);
        return new ConfigKey<>(name, description, text -> {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (w.toLowerCase(Locale.ROOT).equals(t)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("expected one of " + String.join(", ", words));
        }, s -> s, defaultValue, null, false, false, List.of());
    }

    /** A key with its own parser; {@code formatter} writes a value back as text (for docs and messages). */
    public static <T> ConfigKey<T> custom(String name, String description, Parser<T> parser,
            Function<? super T, String> formatter, T defaultValue) {
        return new ConfigKey<>(name, description, parser, formatter, defaultValue, null, false, false, List.of());
    }

    /** A text key without a default. */
    public static ConfigKey<String> of(String name, String description, String defaultValue) {
        return string(name, description, defaultValue);
    }

    /** A text key the store cannot start without. */
    public static ConfigKey<String> required(String name, String description, String... envAliases) {
        return string(name, description, null).asRequired().withEnvAliases(envAliases);
    }

    /**
     * A secret text key (password, token), never printed. A value still holding the example env file's
     * {@code CHANGE-ME…} placeholder is refused.
     */
    public static ConfigKey<Secret> secret(String name, String description, String... envAliases) {
        return new ConfigKey<>(name, description, ConfigKey::realSecret, s -> "****", null, null, true, false,
                List.of(envAliases));
    }

    private static Secret realSecret(String text) {
        if (text.strip().startsWith("CHANGE-ME")) {
            throw new IllegalArgumentException("expected a real secret, not the example file's CHANGE-ME placeholder;"
                    + " fix: set the real value (openssl rand -hex 32 makes a new one)");
        }
        return Secret.of(text);
    }

    // ---------------------------------------------------------------- copies

    /** A copy with another default ({@code null}: none). */
    public ConfigKey<T> withDefault(T value) {
        return new ConfigKey<>(name, description, parser, formatter, value, null, secret, required, envAliases);
    }

    /**
     * A copy whose default is whatever {@code other} resolves to (its set value or its own default), e.g.
     * {@code suho.postgres.replica.pool.max-size} defaults to {@code suho.postgres.pool.max-size}.
     */
    public ConfigKey<T> withDefaultFrom(ConfigKey<T> other) {
        Objects.requireNonNull(other, "other");
        return new ConfigKey<>(name, description, parser, formatter, null, other, secret, required, envAliases);
    }

    /** A copy with these seed environment aliases (replacing any). */
    public ConfigKey<T> withEnvAliases(String... aliases) {
        return new ConfigKey<>(name, description, parser, formatter, defaultValue, defaultFrom, secret, required,
                List.of(aliases));
    }

    /** A copy marked required: the store cannot start without a value. */
    public ConfigKey<T> asRequired() {
        return new ConfigKey<>(name, description, parser, formatter, defaultValue, defaultFrom, secret, true,
                envAliases);
    }

    /** A copy marked secret: read only from the builder, system properties, environment or a file; masked. */
    public ConfigKey<T> asSecret() {
        return new ConfigKey<>(name, description, parser, formatter, defaultValue, defaultFrom, true, required,
                envAliases);
    }

    // ---------------------------------------------------------------- accessors

    /** Dotted lower-case key, e.g. {@code suho.postgres.hosts}. */
    public String name() {
        return name;
    }

    /** One sentence for {@code docs/configuration.md} and error messages. */
    public String description() {
        return description;
    }

    /**
     * The default written as configuration text ({@code "2s"}, {@code "10"}), or {@code null} when the key has
     * no default of its own (none, or one taken from another key: see {@link #defaultFrom()}).
     */
    public String defaultValue() {
        return defaultValue == null ? null : formatter.apply(defaultValue);
    }

    /** The typed default, or {@code null} when there is none of its own. */
    public T typedDefault() {
        return defaultValue;
    }

    /** The key whose value is this key's default, or {@code null}. */
    public ConfigKey<T> defaultFrom() {
        return defaultFrom;
    }

    /** True for passwords and tokens. */
    public boolean secret() {
        return secret;
    }

    /** True when the store cannot start without a value. */
    public boolean required() {
        return required;
    }

    /** Environment variables the seed deployment already uses (e.g. {@code POSTGRES_DB}). */
    public List<String> envAliases() {
        return envAliases;
    }

    /** Parses a non-blank text; see {@link Parser} for the exception it throws. */
    public T parse(String text) {
        return parser.parse(text);
    }

    /** Writes a value as configuration text (secrets as {@code ****}). */
    public String format(T value) {
        return formatter.apply(value);
    }

    /** The environment variable for this key: {@code suho.postgres.pool.max-size} → {@code SUHO_POSTGRES_POOL_MAX_SIZE}. */
    public String envName() {
        return envName(name);
    }

    /** The environment variable name of any dotted key. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return name;
    }

    // ---------------------------------------------------------------- parsers

    private static Parser<Long> wholeNumber(long min, long max) {
        String expectation = "expected a whole number between " + min + " and " + max;
        return text -> {
            long n;
            try {
                n = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(expectation, e);
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(expectation);
            }
            return n;
        };
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static Duration parseDurationValue(String text) {
        return SuhoConfig.parseDuration(text);
    }

    /** {@code 250ms}, {@code 2s}, {@code 30m}, {@code 72h}: the largest unit that divides the duration. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
