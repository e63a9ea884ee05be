package io.suho.client.core.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A classified store failure: its {@link FailureKind}, the store's own error code where it has one (a SQLState, a
 * ClickHouse or ArangoDB error number, an HTTP status), a one-line detail for the message (the root cause the driver
 * may have wrapped away, never a credential), and an optional hint telling the user what to do. Immutable.
 *
 * @param kind what the failure means
 * @param errorCode the store's error code, or {@code null}
 * @param detail what went wrong, in the driver's words; never {@code null}
 * @param hint what to do about it (e.g. "check suho.postgres.username"), or {@code null}
 */
public record Failure(FailureKind kind, @Nullable String errorCode, String detail, @Nullable String hint) {

    public Failure {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null || detail.isBlank() ? "(no detail)" : detail;
    }

    public static Failure of(FailureKind kind, Throwable cause) {
        return new Failure(kind, null, Causes.describe(cause), null);
    }

    public static Failure of(FailureKind kind, String errorCode, Throwable cause) {
        return new Failure(kind, errorCode, Causes.describe(cause), null);
    }

    /** The same failure with a hint appended to the message the caller sees. */
    public Failure withHint(String newHint) {
        return new Failure(kind, errorCode, detail, newHint);
    }

    /** The same failure with another detail text. */
    public Failure withDetail(String newDetail) {
        return new Failure(kind, errorCode, newDetail, hint);
    }

    /** {@code detail}, then {@code [code]} and {@code ; hint} where present: the tail of every failure message. */
    public String describe() {
        StringBuilder sb = new StringBuilder(detail);
        if (errorCode != null) {
            sb.append(" [").append(errorCode).append(']');
        }
        if (hint != null) {
            sb.append("; ").append(hint);
        }
        return sb.toString();
    }
}
