package io.suho.client.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A host and port, as the SDK takes lists of them for every store ({@code h1:5432,h2:5432}).
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port 1..65535
 */
public record HostPort(String host, int port) {
    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,252}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile(
            "[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        // a host is only ever a name or an IP literal: nothing that could carry a path, a query or user info into
        // a driver URL built from it (e.g. "db/x?sslmode=disable")
        if (!NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + (host.length() > 60 ? host.substring(0, 60) + "…" : host)
                    + "' is not a host name or IP address (letters, digits, '.', '-', '_'; IPv6 in [brackets])");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or a bare {@code host} (then {@code defaultPort}).
     *
     * @throws IllegalArgumentException with a readable reason
     */
    public static HostPort parse(String text, int defaultPort) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (s.contains("://")) {
            throw new IllegalArgumentException("'" + s + "' is a URL; expected host:port");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + s + "' has an unclosed '['");
            }
            host = s.substring(1, end);
            if (end + 1 < s.length()) {
                if (s.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("'" + s + "' is not [host]:port");
                }
                port = s.substring(end + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                host = s;
            }
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + port + "' in '" + s + "' is not a port number");
            }
        }
        return new HostPort(host, p);
    }

    /** Parses a comma-separated list; empty entries are ignored. */
    public static List<HostPort> parseList(String text, int defaultPort) {
        List<HostPort> out = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    out.add(parse(part, defaultPort));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no host given");
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
