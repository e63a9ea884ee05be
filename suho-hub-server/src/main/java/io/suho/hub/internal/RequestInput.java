package io.suho.hub.internal;

import static io.suho.hub.internal.ApiException.abbreviate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * Reads what a request carries outside its JSON fields, strictly: the body (size limit, media type, one JSON object
 * without duplicate keys or trailing tokens), the query string (known parameters only, each at most once) and the
 * path parameters (service names, instance ids). Every refusal is an {@link ApiException} whose message names the
 * part at fault and quotes caller input only {@linkplain ApiException#abbreviate abbreviated}. Thread-safe.
 */
final class RequestInput {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    /** How much of an oversize body the hub reads and discards so the client sees its 413 (see {@link #drain}). */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private final ObjectMapper json;
    private final int maxBodyBytes;

    /** @param json the hub's mapper; a strict copy of it (no trailing tokens, no duplicate keys) reads bodies */
    RequestInput(ObjectMapper json, int maxBodyBytes) {
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The strict mapper, also used to write answers. */
    ObjectMapper json() {
        return json;
    }

    /**
     * Whether the request carries a body: a Content-Length above 0, or a chunked one (a request with neither has
     * none, RFC 9112 6.3).
     */
    static boolean hasBody(Request request) {
        long length = request.getLength();
        return length > 0 || length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /**
     * The request's JSON object; an empty body is an empty object unless {@code required}.
     *
     * @throws ApiException 413 over the size limit, 415 for a non-JSON content type, 400 for anything unreadable
     */
    JsonNode body(Exchange ex, boolean required) {
        String type = ex.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        long declared = ex.request.getLength();
        if (declared > maxBodyBytes) {
            drain(ex);
            throw new ApiException(413, "payload_too_large", "request body is " + declared + " bytes; the limit is "
                    + maxBodyBytes);
        }
        byte[] bytes;
        try (InputStream in = Request.asInputStream(ex.request)) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getClass().getSimpleName());
        }
        if (bytes.length > maxBodyBytes) {
            drain(ex);
            throw new ApiException(413, "payload_too_large", "request body exceeds the limit of "
                    + maxBodyBytes + " bytes");
        }
        if (bytes.length == 0) {
            if (required) {
                throw ApiException.badRequest("a JSON body is required");
            }
            return json.createObjectNode();
        }
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith(Exchange.JSON_TYPE)) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        JsonNode n;
        try {
            n = json.readTree(bytes);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : "unreadable";
            throw ApiException.badRequest("body is not valid JSON: " + abbreviate(msg));
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        return n;
    }

    /**
     * Reads and discards what is left of a body the hub refuses, up to {@link #DRAIN_LIMIT} bytes, so a client that
     * is still writing it gets the answer (413, or a 401 sent before the body was read) instead of a connection
     * reset (a server that answers early and closes makes most HTTP clients report "no response"). A body beyond
     * that bound is not worth reading: the connection is closed after the answer, as before.
     */
    static void drain(Exchange ex) {
        try (InputStream in = Request.asInputStream(ex.request)) {
            long left = DRAIN_LIMIT;
            byte[] sink = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client gave up or the connection broke: nothing left to protect, the answer may still reach it
        }
    }

    /** The query parameters, refusing any not in {@code allowed} and any given twice. */
    static Fields query(Exchange ex, Set<String> allowed) {
        Fields q;
        try {
            q = Request.extractQueryParameters(ex.request);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("query string is malformed");
        }
        for (String name : q.getNames()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown query parameter '" + abbreviate(name) + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            List<String> values = q.getValues(name);
            if (values.size() > 1) {
                throw ApiException.badRequest("query parameter '" + name + "' is given more than once");
            }
        }
        return q;
    }

    /** Refuses any query parameter. */
    static void noQuery(Exchange ex) {
        query(ex, Set.of());
    }

    /** A query parameter's whole number within {@code min..max}. */
    static long parseLong(String text, String name, long min, long max) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": '" + abbreviate(text) + "' is not a whole number in " + min + ".."
                    + max);
        }
    }

    /** A service name (letters, digits, {@code ._-}; 1 to 64, starting with a letter or digit); {@code what} names it. */
    static String serviceName(String s, String what) {
        if (s == null || !SERVICE.matcher(s).matches()) {
            throw ApiException.badRequest(what + ": '" + abbreviate(String.valueOf(s)) + "' is invalid (letters, "
                    + "digits, '.', '_', '-'; 1 to 64, starting with a letter or digit)");
        }
        return s;
    }

    /** An instance id as the registry hands them out. */
    static String instanceId(String s) {
        if (!ID.matcher(s).matches()) {
            throw ApiException.badRequest("instance id '" + abbreviate(s) + "' is invalid");
        }
        return s;
    }
}
