package io.suho.client.core.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The keys of the SDK itself ({@code suho.service.name}, {@code suho.hub.*}, …), each with its one default. */
public final class ClientKeys {
    private ClientKeys() {
    }

    public static final ConfigKey<String> SERVICE_NAME = ConfigKey.custom("suho.service.name",
            "Name of this application, e.g. order-service (tags metrics).", ClientKeys::serviceName, s -> s, null)
            .asRequired();
    public static final ConfigKey<URI> HUB_URL = ConfigKey.custom("suho.hub.url",
            "Base URL of the hub, e.g. http://suho-central-hub:7000; unset = no hub.", ClientKeys::hubUri,
            URI::toString, null);
    public static final ConfigKey<List<URI>> HUB_URLS = ConfigKey.custom("suho.hub.urls",
            "Several hubs sharing one registry, comma-separated, e.g. https://hub-a:7000,https://hub-b:7000: the SDK"
                    + " uses the first that answers and moves to the next on a failure; when set it wins over"
                    + " suho.hub.url.", ClientKeys::hubUris, ClientKeys::formatUris, null);
    public static final ConfigKey<String> HUB_TRANSPORT = ConfigKey.custom("suho.hub.transport",
            "How the SDK talks to the hub: http (built in) or grpc (needs io.suho:suho-hub-grpc on the classpath;"
                    + " the hub URLs then name the hub's gRPC port).", ClientKeys::transportName, s -> s, "http");
    public static final ConfigKey<Secret> HUB_TOKEN = ConfigKey.secret("suho.hub.token",
            "Bearer token for registering with the hub (reads need none).");
    public static final ConfigKey<Secret> HUB_READ_TOKEN = ConfigKey.secret("suho.hub.read-token",
            "Bearer token for reading endpoints when the hub requires one (SUHO_HUB_READ_TOKEN on the hub);"
                    + " default: suho.hub.token.");
    public static final ConfigKey<Boolean> HUB_ALLOW_INSECURE = ConfigKey.bool("suho.hub.allow-insecure",
            "Allow an http:// hub although a hub token is set (the token and the endpoint catalog then travel"
                    + " unencrypted and unauthenticated); for local development only.", false);
    public static final ConfigKey<String> HUB_TLS_CA_FILE = ConfigKey.string("suho.hub.tls.ca-file",
            "PEM file of the CA certificate(s) an https:// hub's certificate must chain to (default: the JVM's"
                    + " trust store).", null);
    public static final ConfigKey<String> HUB_TLS_KEYSTORE = ConfigKey.string("suho.hub.tls.keystore",
            "PKCS#12 keystore with this service's client certificate, for a hub that requires one to register"
                    + " (mutual TLS).", null);
    public static final ConfigKey<Secret> HUB_TLS_KEYSTORE_PASSWORD = ConfigKey.secret(
            "suho.hub.tls.keystore-password", "Password of suho.hub.tls.keystore.");
    public static final ConfigKey<Duration> HUB_TIMEOUT = ConfigKey.duration("suho.hub.timeout",
            "How long build() waits for the hub's endpoints.", Duration.ofSeconds(2));
    public static final ConfigKey<Duration> HEARTBEAT_INTERVAL = ConfigKey.duration("suho.hub.heartbeat-interval",
            "How often this instance heartbeats to the hub.", Duration.ofSeconds(10));
    public static final ConfigKey<Duration> LEASE_TTL = ConfigKey.duration("suho.hub.lease-ttl",
            "Lease the hub grants this instance; renewed by heartbeats.", Duration.ofSeconds(30));
    public static final ConfigKey<Boolean> HUB_WATCH = ConfigKey.bool("suho.hub.watch",
            "Long-poll the hub for endpoint changes (true/false).", false);
    public static final ConfigKey<String> ENDPOINT_CACHE_FILE = ConfigKey.string("suho.endpoint-cache.file",
            "Last-known-good endpoint file (default ~/.suho/endpoints/<service>.json).", null);
    public static final ConfigKey<Boolean> EAGER_START = ConfigKey.bool("suho.eager-start",
            "Start every store module in build() (true/false).", false);
    public static final ConfigKey<Duration> CLOSE_TIMEOUT = ConfigKey.duration("suho.close-timeout",
            "Upper bound for close() across all stores.", Duration.ofSeconds(10));
    public static final ConfigKey<String> INSTANCE_HOST = ConfigKey.string("suho.instance.host",
            "Host this instance registers under (default: local host name).", null);
    public static final ConfigKey<Integer> INSTANCE_PORT = ConfigKey.integer("suho.instance.port",
            "Port this instance registers under (0 = none).", 0, 0, 65535);

    /** Every key of the SDK itself, for validation and docs. */
    public static final List<ConfigKey<?>> ALL = List.of(SERVICE_NAME, HUB_URL, HUB_URLS, HUB_TRANSPORT, HUB_TOKEN, HUB_READ_TOKEN,
            HUB_ALLOW_INSECURE, HUB_TLS_CA_FILE, HUB_TLS_KEYSTORE, HUB_TLS_KEYSTORE_PASSWORD, HUB_TIMEOUT,
            HEARTBEAT_INTERVAL, LEASE_TTL, HUB_WATCH, ENDPOINT_CACHE_FILE, EAGER_START, CLOSE_TIMEOUT, INSTANCE_HOST,
            INSTANCE_PORT);

    private static String serviceName(String text) {
        String name = text.trim();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException(
                    "expected 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    private static List<URI> hubUris(String text) {
        List<URI> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            URI u = hubUri(part);
            if (out.contains(u)) {
                throw new IllegalArgumentException(u + " is listed twice");
            }
            out.add(u);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("expected one or more http(s) URLs, comma-separated");
        }
        return List.copyOf(out);
    }

    private static String formatUris(List<URI> uris) {
        return String.join(",", uris.stream().map(URI::toString).toList());
    }

    private static String transportName(String text) {
        String name = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException("expected a transport name such as http or grpc");
        }
        return name;
    }

    private static URI hubUri(String text) {
        String expected = "expected an http(s) URL such as http://suho-central-hub:7000";
        URI u;
        try {
            u = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected, e);
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null) {
            throw new IllegalArgumentException(expected);
        }
        return u;
    }
}
