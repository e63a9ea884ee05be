package io.suho.hub.internal;

import io.suho.client.core.HostPort;
import io.suho.hub.HubConfig;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dragonfly/Redis: a minimal RESP exchange on a plain socket — {@code AUTH} when a password is set, then
 * {@code PING} expecting {@code +PONG}. No client library: the probe needs two commands, and a socket with
 * connect and read timeouts is exactly bounded.
 */
final class RedisProbe implements Probe {
    private final HubConfig.Target target;

    RedisProbe(HubConfig.Target target) {
        this.target = target;
    }

    @Override
    public Map<String, Object> check(Duration timeout) throws IOException {
        IOException last = null;
        for (HostPort hp : target.hosts()) {
            try {
                return checkOne(hp, (int) Math.max(1, timeout.toMillis()));
            } catch (IOException e) {
                last = new IOException(hp + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    private static Socket tls(Socket plain, HostPort hp) throws IOException {
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) ((javax.net.ssl.SSLSocketFactory)
                javax.net.ssl.SSLSocketFactory.getDefault()).createSocket(plain, hp.host(), hp.port(), true);
        javax.net.ssl.SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private Map<String, Object> checkOne(HostPort hp, int timeoutMs) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(hp.host(), hp.port()), timeoutMs);
            plain.setSoTimeout(timeoutMs);
            plain.setTcpNoDelay(true);
            // DRAGONFLY_TLS: the probe speaks TLS too (AUTH never crosses the network in clear), verifying the
            // server's certificate against the JVM's trust store and its host name
            Socket s = target.tls() ? tls(plain, hp) : plain;
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            if (target.password() != null) {
                List<String> auth = new ArrayList<>();
                auth.add("AUTH");
                if (target.user() != null) {
                    auth.add(target.user());
                }
                auth.add(target.password().reveal());
                out.write(command(auth));
                out.flush();
                String reply = readLine(in);
                if (!reply.equals("+OK")) {
                    // the server's error text names no credential, but keep only its error kind to be safe
                    throw new IOException("AUTH refused (" + firstWord(reply) + ")");
                }
            }
            out.write(command(List.of("PING")));
            out.flush();
            String reply = readLine(in);
            if (!reply.equals("+PONG")) {
                throw new IOException("PING answered '" + (reply.startsWith("-") ? firstWord(reply) : reply) + "'");
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("host", hp.toString());
            return d;
        }
    }

    private static String firstWord(String reply) {
        String r = reply.startsWith("-") ? reply.substring(1) : reply;
        int sp = r.indexOf(' ');
        return sp < 0 ? r : r.substring(0, sp);
    }

    private static byte[] command(List<String> parts) {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(parts.size()).append("\r\n");
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(p).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read(); // '\n'
                return sb.toString();
            }
            if (sb.length() > 512) {
                throw new IOException("reply line too long");
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed by server");
    }
}
