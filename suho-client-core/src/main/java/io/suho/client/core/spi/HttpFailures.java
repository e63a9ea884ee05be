package io.suho.client.core.spi;

/**
 * The one mapping from an HTTP status to a {@link FailureKind}, for stores spoken to over HTTP (Weaviate, ArangoDB,
 * ClickHouse): a server that says it will not take the request now (408, 429, 503) or a proxy that could not reach
 * it (502) did not apply it; a proxy that gave up waiting (504) leaves the outcome unknown; 409 is a conflict the
 * module may refine (ArangoDB's unique-constraint 1210 is a {@link FailureKind#DUPLICATE_KEY}); any other status is
 * an answer about this request.
 */
public final class HttpFailures {
    private HttpFailures() {
    }

    /** The kind for an HTTP status code; 2xx/3xx are not failures and map to {@link FailureKind#OPERATION_ERROR}. */
    public static FailureKind kindOf(int status) {
        return switch (status) {
            case 408, 429, 502, 503 -> FailureKind.UNAVAILABLE;
            case 504 -> FailureKind.TIMEOUT;
            default -> FailureKind.OPERATION_ERROR;
        };
    }

    /** A {@link Failure} for an HTTP error answer, with the status as error code and a hint for 401/403. */
    public static Failure of(int status, String detail, String credentialKeys) {
        Failure f = new Failure(kindOf(status), Integer.toString(status), detail, null);
        if ((status == 401 || status == 403) && credentialKeys != null) {
            return f.withHint("check " + credentialKeys);
        }
        return f;
    }
}
