package io.suho.client.core.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigSource;
import io.suho.client.core.SuhoConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds settings given to the SDK that no key reads — a misspelled {@code suho.postgres.pool.max-sise} or
 * {@code SUHO_HUB_TIME_OUT} would otherwise be ignored in silence — and words one warning for each, naming the
 * closest known key by edit distance. Keys of stores whose module is not on the classpath are left alone (they may
 * be meant for another service sharing the environment). Stateless.
 */
final class UnknownKeys {
    /**
     * Reserved for the project's test harness ({@code suho.test.require}, {@code SUHO_TEST_PREFER_CONTAINERS}, read by
     * suho-test-support): never an SDK setting, never warned about.
     */
    static final String TEST_PREFIX = "suho.test.";

    private UnknownKeys() {
    }

    /**
     * One warning per unknown setting, in the order {@link SuhoConfig#givenNames()} lists them.
     *
     * @param passThroughPrefixes key prefixes modules read wholesale ({@code suho.kafka.producer.}); builder and
     *     system properties only, as {@link SuhoConfig#withPrefix} reads them
     * @param absentStorePrefixes {@code suho.<store>.} of each store without a module
     */
    static List<String> warnings(SuhoConfig config, Collection<String> passThroughPrefixes,
            Collection<String> absentStorePrefixes) {
        Collection<ConfigKey<?>> known = config.knownKeys();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ConfigSource> given : config.givenNames().entrySet()) {
            String name = given.getKey();
            if (given.getValue() == ConfigSource.ENVIRONMENT) {
                if (!knownEnv(name, known, absentStorePrefixes)) {
                    ConfigKey<?> closest = closest(name, known, true);
                    out.add("environment variable " + name + " is not a Suho setting and is ignored"
                            + (closest == null ? "" : "; did you mean " + closest.envName() + " ("
                                    + closest.name() + ")?"));
                }
            } else if (!knownKey(name, known, passThroughPrefixes, absentStorePrefixes)) {
                ConfigKey<?> closest = closest(name, known, false);
                out.add("configuration key " + name + " from " + given.getValue().description()
                        + " is not a Suho setting and is ignored"
                        + (closest == null ? "" : "; did you mean " + closest.name() + "?"));
            }
        }
        return out;
    }

    private static boolean knownKey(String name, Collection<ConfigKey<?>> known, Collection<String> prefixes,
            Collection<String> absent) {
        if (!name.startsWith("suho.") || name.startsWith(TEST_PREFIX)) {
            return true;
        }
        for (ConfigKey<?> k : known) {
            if (k.name().equals(name) || k.secret() && name.equals(k.name() + ".file")) {
                return true;
            }
        }
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        for (String p : absent) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean knownEnv(String name, Collection<ConfigKey<?>> known, Collection<String> absent) {
        if (name.startsWith(ConfigKey.envName(TEST_PREFIX))) {
            return true;
        }
        for (ConfigKey<?> k : known) {
            if (k.envName().equals(name) || k.secret() && name.equals(k.envName() + "_FILE")) {
                return true;
            }
        }
        for (String p : absent) {
            if (name.startsWith(ConfigKey.envName(p))) {
                return true;
            }
        }
        return false;
    }

    private static ConfigKey<?> closest(String name, Collection<ConfigKey<?>> known, boolean env) {
        ConfigKey<?> best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey<?> k : known) {
            int d = distance(name, env ? k.envName() : k.name());
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions, each costing one. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
