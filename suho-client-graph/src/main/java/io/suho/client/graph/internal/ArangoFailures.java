package io.suho.client.graph.internal;

import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDBMultipleException;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.HttpFailures;
import java.util.List;

/**
 * The graph failure policy: what an ArangoDB driver failure means. An answer is read from its HTTP status through
 * core's {@link HttpFailures}, refined by ArangoDB's {@code errorNum} (the error code the caller sees when there is
 * one): 1210 (unique constraint violated) is a duplicate key, 21004 (queued too long, not started) is unavailable.
 * "Cannot contact any host" (every host refused, or a read failed everywhere) is unavailable; the driver's request
 * timeout and a connection lost mid-write are left to {@link FailurePolicy#generic}. Stateless; thread-safe.
 */
final class ArangoFailures implements FailurePolicy {
    static final ArangoFailures POLICY = new ArangoFailures();

    static final int FORBIDDEN = 11;
    static final int UNIQUE_CONSTRAINT_VIOLATED = 1210;
    static final int QUEUE_TIME_VIOLATED = 21004;
    private static final String CREDENTIALS = "suho.graph.user / suho.graph.password (ARANGO_USER / ARANGO_PASSWORD)";

    private ArangoFailures() {
    }

    @Override
    public Failure classify(Throwable failure) {
        if (Causes.has(failure, DocumentMappingException.class)) {
            return Failure.of(FailureKind.OPERATION_ERROR, "MAPPING", failure);
        }
        MalformedResponseException garbage = Causes.find(failure, MalformedResponseException.class);
        if (garbage != null) {
            return new Failure(FailureKind.UNAVAILABLE, "MALFORMED_RESPONSE",
                    "the answer is not ArangoDB's JSON (a proxy in the way?): " + garbage.getMessage(), null);
        }
        ArangoDBMultipleException hosts = Causes.find(failure, ArangoDBMultipleException.class);
        if (hosts != null) {
            // the list is not a cause chain: name the last host's failure
            List<Throwable> each = hosts.getExceptions();
            return new Failure(FailureKind.UNAVAILABLE, null, "cannot contact any host"
                    + (each.isEmpty() ? "" : ": " + Causes.describe(each.get(each.size() - 1))), null);
        }
        Throwable answer = Causes.find(failure, t -> t instanceof ArangoDBException a && a.getResponseCode() != null);
        if (answer != null) {
            return answered((ArangoDBException) answer);
        }
        Failure f = FailurePolicy.generic(failure);
        return f.kind() == FailureKind.CALLER_CODE && Causes.has(failure, ArangoDBException.class)
                ? Failure.of(FailureKind.OPERATION_ERROR, failure) : f;
    }

    private static Failure answered(ArangoDBException a) {
        int status = a.getResponseCode();
        String detail = a.getErrorMessage() != null ? a.getErrorMessage()
                : String.valueOf(a.getMessage()).contains("[Unparsable data]") // the driver's words, headers follow
                        ? "HTTP " + status + " with a body that is not ArangoDB's JSON (a proxy in the way?)"
                : a.getMessage();
        Failure http = HttpFailures.of(status, detail, CREDENTIALS);
        Integer num = a.getErrorNum();
        if (num == null) {
            return http;
        }
        FailureKind kind = switch (num) {
            case UNIQUE_CONSTRAINT_VIOLATED -> FailureKind.DUPLICATE_KEY;
            case QUEUE_TIME_VIOLATED -> FailureKind.UNAVAILABLE; // rejected before it ran
            default -> http.kind();
        };
        String hint = num == FORBIDDEN ? "check " + CREDENTIALS : http.hint();
        return new Failure(kind, num.toString(), detail, hint);
    }
}
