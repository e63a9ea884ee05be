package io.suho.hub.internal;

/**
 * A request the hub refuses, carrying the HTTP status and the {@code {"error": code, "message": …}} body. The
 * message is shown to the caller, so it names the field at fault and never contains secrets or stack traces.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /**
     * Makes caller input safe to quote in a message: control characters become {@code ?} and anything beyond 80
     * characters is cut, so a hostile value can neither forge log lines nor blow up an answer.
     */
    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}
