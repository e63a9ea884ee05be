package io.suho.client.postgres.internal;

import java.time.Duration;

/**
 * How the store timeout is split between the pool, the socket and the server so that one call, overhead included,
 * returns within the timeout even when the server hangs. A margin (a tenth of the timeout, 20..250 ms) is kept back:
 * waiting for a pooled connection and a socket read each get {@code timeout - margin}; the server-side
 * {@code statement_timeout} gets one margin less, so a merely slow statement is cancelled cleanly by the server
 * ({@code 57014}, connection kept) before the socket gives up on a hung one. Immutable.
 *
 * @param acquire Hikari {@code connectionTimeout}: the longest a caller waits for a pooled connection
 * @param network socket read timeout of every connection (milliseconds precision, set with
 *     {@link java.sql.Connection#setNetworkTimeout}); PgJDBC's own {@code socketTimeout} only has whole seconds
 * @param validation Hikari {@code validationTimeout}: the alive-check of a connection idle for a while
 * @param statement server-side {@code statement_timeout}; {@link Duration#ZERO} = none
 */
record CallTimeouts(Duration acquire, Duration network, Duration validation, Duration statement) {
    /** Hikari refuses connection and validation timeouts below this. */
    static final Duration HIKARI_MIN = Duration.ofMillis(250);

    /**
     * @param timeout the store timeout ({@code suho.postgres.timeout})
     * @param statementTimeout an explicit {@code suho.postgres.statement-timeout}, {@code null} when unset,
     *     {@link Duration#ZERO} for none
     */
    static CallTimeouts of(Duration timeout, Duration statementTimeout) {
        Duration margin = margin(timeout);
        Duration acquire = max(HIKARI_MIN, timeout.minus(margin));
        Duration network = acquire;
        Duration statement;
        if (statementTimeout == null) {
            statement = max(Duration.ofMillis(1), acquire.minus(margin));
        } else {
            statement = statementTimeout;
            if (!statement.isZero() && statement.plus(margin).compareTo(network) > 0) {
                network = statement.plus(margin); // a longer explicit statement timeout must not be cut by the socket
            }
        }
        Duration validation = max(HIKARI_MIN, acquire.dividedBy(3));
        return new CallTimeouts(acquire, network, validation, statement);
    }

    static Duration margin(Duration timeout) {
        Duration tenth = timeout.dividedBy(10);
        return tenth.compareTo(Duration.ofMillis(20)) < 0 ? Duration.ofMillis(20)
                : tenth.compareTo(Duration.ofMillis(250)) > 0 ? Duration.ofMillis(250) : tenth;
    }

    /** Whole seconds, rounded up, for PgJDBC's second-granular connect/login timeouts. */
    static int ceilSeconds(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
