package io.suho.hub.internal;

import static io.suho.hub.internal.ApiException.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated registration ({@code POST /v1/instances}): which service, where it listens, the lease it asks for and
 * up to 32 string labels ({@code meta}) that must not look like credentials, since the hub stores none.
 *
 * <pre>{@code
 * {"service": "order-service", "host": "10.0.0.7", "port": 8080, "ttlSeconds": 30, "meta": {"sdk": "suho-java"}}
 * }</pre>
 *
 * @param service the service name (see {@link RequestInput#serviceName})
 * @param host a host name or IP address
 * @param port 0 to 65535 (0: the instance serves no port)
 * @param ttlSeconds the lease, 1 to the hub's maximum
 * @param meta labels, in the order given
 */
record Registration(String service, String host, int port, int ttlSeconds, Map<String, String> meta) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]{1,253}");
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");

    /**
     * Reads and validates a registration body.
     *
     * @param defaultTtl the lease when the body names none
     * @param maxTtl the longest lease the hub grants
     * @throws ApiException 400 naming the field at fault
     */
    static Registration parse(JsonNode body, int defaultTtl, int maxTtl) {
        String service = RequestInput.serviceName(text(body, "service"), "service");
        String host = text(body, "host");
        if (!HOST.matcher(host).matches()) {
            throw ApiException.badRequest("host: '" + abbreviate(host) + "' is not a host name or IP address");
        }
        int port = (int) integer(body, "port", 0, 65535, null);
        int ttl = (int) integer(body, "ttlSeconds", 1, maxTtl, (long) defaultTtl);
        return new Registration(service, host, port, ttl, meta(body.get("meta")));
    }

    private static Map<String, String> meta(JsonNode m) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (m == null || m.isNull()) {
            return meta;
        }
        if (!m.isObject()) {
            throw ApiException.badRequest("meta: expected an object of strings");
        }
        if (m.size() > 32) {
            throw ApiException.badRequest("meta: at most 32 entries");
        }
        Iterator<Map.Entry<String, JsonNode>> it = m.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (!META_KEY.matcher(k).matches()) {
                throw ApiException.badRequest("meta: key '" + abbreviate(k) + "' is invalid (letters, digits, "
                        + "._/-; up to 64)");
            }
            String lower = k.toLowerCase(Locale.ROOT);
            if (lower.contains("password") || lower.contains("secret") || lower.contains("token")) {
                throw ApiException.badRequest("meta: key '" + k + "' looks like a credential; the hub stores "
                        + "no credentials");
            }
            if (!e.getValue().isTextual() || e.getValue().asText().length() > 256) {
                throw ApiException.badRequest("meta." + k + ": expected a string of up to 256 characters");
            }
            meta.put(k, e.getValue().asText());
        }
        return meta;
    }

    /** A required string field. */
    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest(field + ": required");
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + ": expected a string, got " + v.getNodeType().name().toLowerCase(
                    Locale.ROOT));
        }
        return v.asText();
    }

    /** A whole-number field in {@code min..max}; required when {@code def} is {@code null}. */
    private static long integer(JsonNode body, String field, long min, long max, Long def) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw ApiException.badRequest(field + ": required");
            }
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw ApiException.badRequest(field + ": expected a whole number in " + min + ".." + max);
        }
        return v.asLong();
    }
}
