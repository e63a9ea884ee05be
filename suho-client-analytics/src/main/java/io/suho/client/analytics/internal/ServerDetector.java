package io.suho.client.analytics.internal;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import io.suho.client.analytics.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SDK knows of the ClickHouse server behind a client: its version (which features such as the insert
 * dedup token depend on) and time zone (how dates are bound and read). Asked once at start and by every health probe;
 * while unknown, a caller's path asks again at most every 2 s and never for longer than a point operation.
 * Thread-safe.
 */
final class ServerDetector {
    private static final Logger LOG = LoggerFactory.getLogger(ServerDetector.class);

    private final Client client;
    private final Duration timeout;
    private final Duration pointTimeout;
    private volatile ServerInfo info = ServerInfo.UNKNOWN;
    private volatile long nextDetectNanos;

    ServerDetector(Client client, Duration timeout, Duration pointTimeout) {
        this.client = client;
        this.timeout = timeout;
        this.pointTimeout = pointTimeout;
    }

    /** Asks the server within the store timeout; returns what is known afterwards. Never throws. */
    ServerInfo detect() {
        return detect(timeout);
    }

    private ServerInfo detect(Duration limit) {
        try {
            return probe(limit);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            nextDetectNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            LOG.debug("ClickHouse version detection failed: {}", ClickHouseFailures.firstLine(e));
            return info;
        }
    }

    /** {@code SELECT version(), timezone()} within {@code limit}. */
    ServerInfo probe(Duration limit) throws Exception {
        QuerySettings settings = new QuerySettings();
        ClickHouseAnalyticsClient.timeouts(settings, limit.toMillis());
        try (QueryResponse r = client.query("SELECT version(), timezone() FORMAT TabSeparated", settings).get(
                limit.toMillis(), TimeUnit.MILLISECONDS)) {
            String text = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String[] parts = text.split("\t");
            ZoneId zone = parts.length > 1 ? ZoneId.of(parts[1].trim()) : ZoneId.of("UTC");
            ServerInfo detected = ServerInfo.of(parts[0], zone);
            if (!detected.equals(info)) {
                LOG.info("ClickHouse server {} (time zone {}); insert dedup token {}", detected.version(), zone,
                        detected.supportsInsertDedupToken() ? "used" : "not supported");
            }
            info = detected;
            return detected;
        }
    }

    /** What is known now, without asking. */
    ServerInfo last() {
        return info;
    }

    /** What is known; while unknown, asks again (at most every 2 s, within a point operation's budget). */
    ServerInfo current() {
        ServerInfo i = info;
        if (!i.known() && System.nanoTime() - nextDetectNanos >= 0) {
            return detect(pointTimeout);
        }
        return i;
    }
}
