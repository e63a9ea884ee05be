package io.suho.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A scripted HTTP endpoint on 127.0.0.1 for testing how a client handles HTTP <em>failures</em> (5xx, a reply that
 * never comes, malformed bodies). It is never a database stand-in: it answers only the routes a test scripts, and a
 * test must not use it to check that data is stored or found — that takes a real server ({@link RealStore}).
 * Thread-safe; close it to release hanging requests.
 */
public final class ScriptedHttpEndpoint implements AutoCloseable {
    /** A scripted answer. */
    public record Answer(int status, String body, boolean hang) {
        public static Answer of(int status, String body) {
            return new Answer(status, body, false);
        }

        public static Answer hanging() {
            return new Answer(0, null, true);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final Map<String, Answer> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    public ScriptedHttpEndpoint() throws IOException {
        this(null, false);
    }

    private ScriptedHttpEndpoint(javax.net.ssl.@Nullable SSLContext tls, boolean needClientAuth) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters params) {
                    javax.net.ssl.SSLParameters p = tls.getDefaultSSLParameters();
                    p.setNeedClientAuth(needClientAuth);
                    params.setSSLParameters(p);
                }
            });
            server = https;
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * The same endpoint serving HTTPS only, with the certificate and key of a PKCS#12 keystore (for example
     * {@link TlsFiles#serverKeystore()}), to test that a client trusts a configured CA and refuses without it.
     */
    public static ScriptedHttpEndpoint https(java.nio.file.Path pkcs12, String password) throws IOException {
        return https(pkcs12, password, null);
    }

    /**
     * {@link #https(java.nio.file.Path, String)} that also requires a client certificate signed by a CA of
     * {@code clientCaPem} (mutual TLS), when that is not {@code null}: a client without one fails the handshake.
     */
    public static ScriptedHttpEndpoint https(java.nio.file.Path pkcs12, String password,
            java.nio.file.@Nullable Path clientCaPem) throws IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(pkcs12)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), clientCaPem == null ? null
                    : io.suho.client.core.spi.PemCertificates.trustManagers(clientCaPem).getTrustManagers(), null);
            return new ScriptedHttpEndpoint(ssl, clientCaPem != null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot use keystore " + pkcs12 + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Scripts {@code METHOD path} (exact path, query ignored). */
    public ScriptedHttpEndpoint on(String method, String path, Answer answer) {
        routes.put(method + " " + path, answer);
        return this;
    }

    /** How many requests {@code METHOD path} received. */
    public int hits(String method, String path) {
        AtomicInteger n = hits.get(method + " " + path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        hits.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        ex.getRequestBody().readAllBytes();
        Answer a = routes.get(key);
        if (a == null) {
            a = Answer.of(404, "{\"error\":[{\"message\":\"not scripted: " + key + "\"}]}");
        }
        if (a.hang()) {
            try {
                // held until the test ends, so the client's own timeout is what fires
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        byte[] body = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
