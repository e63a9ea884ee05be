package io.suho.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.hub.HubConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP-speaking stores: ClickHouse ({@code /ping} then {@code SELECT 1}), Weaviate
 * ({@code /v1/.well-known/ready}), ArangoDB ({@code /_api/version}) and NATS (monitor {@code /healthz}, then
 * {@code /jsz} to check JetStream is enabled). One shared {@link HttpClient}; each request carries the timeout.
 */
final class HttpProbe implements Probe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubConfig.Target target;
    private final HttpClient http;

    HttpProbe(HubConfig.Target target, HttpClient http) {
        this.target = target;
        this.http = http;
    }

    @Override
    public Map<String, Object> check(Duration timeout) throws IOException, InterruptedException {
        Map<String, Object> d = new LinkedHashMap<>();
        Store store = target.store();
        switch (store) {
            case ANALYTICS -> {
                URI base = target.url();
                String ping = get(base.resolve("/ping"), timeout, false).body();
                if (!ping.startsWith("Ok.")) {
                    throw new IOException("/ping answered '" + abbreviate(ping) + "'");
                }
                String q = "SELECT 1 FORMAT TabSeparated";
                String one = get(base.resolve("/?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)), timeout,
                        true).body().trim();
                if (!one.equals("1")) {
                    throw new IOException("SELECT 1 answered '" + abbreviate(one) + "'");
                }
                d.put("url", base.toString());
                d.put("database", target.database());
            }
            case VECTOR -> {
                get(withPath(target.url(), "/v1/.well-known/ready"), timeout, true);
                d.put("url", target.url().toString());
            }
            case GRAPH -> {
                JsonNode v = JSON.readTree(get(withPath(target.url(), "/_api/version"), timeout, true).body());
                d.put("url", target.url().toString());
                d.put("serverVersion", v.path("version").asText("?"));
            }
            case NATS -> {
                URI mon = target.monitorUrl();
                get(withPath(mon, "/healthz"), timeout, false);
                JsonNode jsz = JSON.readTree(get(withPath(mon, "/jsz"), timeout, false).body());
                if (jsz.path("disabled").asBoolean(false) || !jsz.has("config")) {
                    throw new IOException("JetStream is not enabled on " + mon + " (/jsz)");
                }
                d.put("monitor", mon.toString());
                d.put("jetstream", true);
                d.put("streams", jsz.path("streams").asLong(0));
                d.put("consumers", jsz.path("consumers").asLong(0));
            }
            default -> throw new IllegalStateException("no HTTP probe for " + store);
        }
        return d;
    }

    private static URI withPath(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    private HttpResponse<String> get(URI uri, Duration timeout, boolean auth) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        Secret pw = target.password();
        if (auth) {
            if (target.store() == Store.VECTOR) {
                if (pw != null) {
                    b.header("Authorization", "Bearer " + pw.reveal());
                }
            } else if (target.user() != null) {
                String cred = target.user() + ":" + (pw == null ? "" : pw.reveal());
                b.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(cred.getBytes(StandardCharsets.UTF_8)));
            }
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri.getPath() + " answered HTTP " + r.statusCode()
                    + (r.statusCode() == 401 || r.statusCode() == 403 ? " (check the user and password)" : ""));
        }
        return r;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}
