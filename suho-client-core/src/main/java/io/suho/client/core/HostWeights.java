package io.suho.client.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * How much of the load each of several interchangeable servers (read replicas) should take, relative to the others.
 * A host that is not listed has weight {@code 1}; {@code 0} drains a host (it gets no new calls); {@code 2} makes a
 * host look half as loaded as it is, so it takes more. Weights are plain numbers from 0 to {@value #MAX_WEIGHT}.
 *
 * <p>Text form, as in {@code suho.postgres.replica.weights} and the hub's {@code POSTGRES_REPLICA_WEIGHTS}:
 * {@code host:port=weight[,host:port=weight…]}, e.g. {@code pg-replica-1:5432=0,pg-replica-2:5432=2}. Immutable.
 *
 * @param weights weight by host; hosts not listed weigh 1
 */
public record HostWeights(Map<HostPort, Double> weights) {
    /** The largest weight accepted. */
    public static final double MAX_WEIGHT = 1000;

    /** No weights: every host weighs 1. */
    public static final HostWeights NONE = new HostWeights(Map.of());

    /**
     * @throws IllegalArgumentException when a weight is negative, not a finite number or above {@value #MAX_WEIGHT}
     */
    public HostWeights {
        Objects.requireNonNull(weights, "weights");
        weights.forEach((host, w) -> check(Objects.requireNonNull(host, "host"), Objects.requireNonNull(w, "weight")));
        weights = Map.copyOf(weights);
    }

    private static void check(HostPort host, double w) {
        if (!Double.isFinite(w) || w < 0 || w > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight of " + host + " must be a number from 0 (drain) to "
                    + (int) MAX_WEIGHT + ", got " + w);
        }
    }

    /** The weight of {@code host}: its listed weight, or 1. */
    public double of(HostPort host) {
        Double w = weights.get(host);
        return w == null ? 1.0 : w;
    }

    /**
     * Parses the text form; blank text is {@link #NONE}. A host without a port gets {@code defaultPort}.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code host:port=weight}
     */
    public static HostWeights parse(@Nullable String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<HostPort, Double> out = new HashMap<>();
        for (String part : text.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("'" + abbreviate(entry) + "' is not host:port=weight"
                        + " (e.g. pg-replica-1:5432=0 to drain it)");
            }
            HostPort host = HostPort.parse(entry.substring(0, eq), defaultPort);
            double w;
            try {
                w = Double.parseDouble(entry.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight '" + abbreviate(entry.substring(eq + 1).trim()) + "' of "
                        + host + " is not a number (0 drains the host, 1 is the default)");
            }
            check(host, w);
            if (out.put(host, w) != null) {
                throw new IllegalArgumentException(host + " has two weights");
            }
        }
        return new HostWeights(out);
    }

    /** The text form, hosts in order, so equal weights always print alike. */
    @Override
    public String toString() {
        return weights.entrySet().stream().sorted(Map.Entry.comparingByKey(
                        java.util.Comparator.comparing(HostPort::host).thenComparingInt(HostPort::port)))
                .map(e -> e.getKey() + "=" + format(e.getValue())).collect(Collectors.joining(","));
    }

    private static String format(double w) {
        return w == Math.rint(w) ? Long.toString((long) w) : Double.toString(w);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
