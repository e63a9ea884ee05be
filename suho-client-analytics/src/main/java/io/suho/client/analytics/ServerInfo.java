package io.suho.client.analytics;

import java.time.ZoneId;

/**
 * The ClickHouse server as detected with {@code SELECT version(), timezone()}: its version, time zone, and which
 * faster or safer paths the SDK uses on it. {@link #UNKNOWN} until the server has answered once.
 *
 * @param version the version string, e.g. {@code 18.16.1} or {@code 25.8.2.29}
 * @param major first version number (0 when unknown)
 * @param minor second version number
 * @param timeZone the server's time zone (DateTime text is in it)
 */
public record ServerInfo(String version, int major, int minor, ZoneId timeZone) {

    /** Not detected yet; behaves like the oldest supported server. */
    public static final ServerInfo UNKNOWN = new ServerInfo("unknown", 0, 0, ZoneId.of("UTC"));

    /** Parses a {@code version()} string. */
    public static ServerInfo of(String version, ZoneId timeZone) {
        String[] parts = version.trim().split("\\.");
        int major = 0;
        int minor = 0;
        try {
            major = Integer.parseInt(parts[0]);
            minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            // leave 0.0: treated as the oldest server
        }
        return new ServerInfo(version.trim(), major, minor, timeZone);
    }

    public boolean known() {
        return major > 0;
    }

    /** {@code insert_deduplication_token} (ClickHouse 22.2 and later). */
    public boolean supportsInsertDedupToken() {
        return atLeast(22, 2);
    }

    /** This server's version is at least {@code major.minor}. */
    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }
}
