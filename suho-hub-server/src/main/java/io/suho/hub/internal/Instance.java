package io.suho.hub.internal;

import io.suho.client.core.Store;
import io.suho.client.core.hub.Heartbeat.StoreReport;
import java.time.Instant;
import java.util.Map;

/**
 * One registered service instance and its lease. Identity fields are fixed; the lease and the last client-side
 * store report are replaced on each heartbeat (volatile, so readers see a consistent snapshot per field). With the
 * NATS KV registry ({@link NatsKvRegistry}) the instance also carries the bucket revision of its latest entry, which
 * every write of it must name, and the hub keeps only the SHA-256 of the lease secret, never the secret.
 */
public final class Instance {

    private final String id;
    private final String service;
    private final String host;
    private final int port;
    private final int ttlSeconds;
    private final Map<String, String> meta;
    private final Instant registeredAt;
    private volatile Instant lastHeartbeat;
    private volatile Instant leaseExpiresAt;
    private volatile Map<Store, StoreReport> reports = Map.of();
    private final byte[] secretDigest;
    /** The KV revision of the entry this state came from; 0 in the in-memory registry. */
    private volatile long revision;

    Instance(String id, String service, String host, int port, int ttlSeconds, Map<String, String> meta,
            Instant now) {
        this(id, service, host, port, ttlSeconds, meta, now, null);
    }

    /** @param secret the lease secret heartbeats and deregistration must present, or {@code null} for none */
    Instance(String id, String service, String host, int port, int ttlSeconds, Map<String, String> meta,
            Instant now, String secret) {
        this(id, service, host, port, ttlSeconds, meta, now, secret == null ? null : sha256(secret), now,
                now.plusSeconds(ttlSeconds), Map.of());
    }

    /** An instance as a shared registry stored it: the secret's digest and the lease as last written. */
    Instance(String id, String service, String host, int port, int ttlSeconds, Map<String, String> meta,
            Instant registeredAt, byte[] secretDigest, Instant lastHeartbeat, Instant leaseExpiresAt,
            Map<Store, StoreReport> reports) {
        this.secretDigest = secretDigest == null ? null : secretDigest.clone();
        this.id = id;
        this.service = service;
        this.host = host;
        this.port = port;
        this.ttlSeconds = ttlSeconds;
        this.meta = Map.copyOf(meta);
        this.registeredAt = registeredAt;
        this.lastHeartbeat = lastHeartbeat;
        this.leaseExpiresAt = leaseExpiresAt;
        this.reports = Map.copyOf(reports);
    }

    /**
     * Takes the lease and reports of {@code newer}, the same instance as a later registry entry stored it; returns
     * whether the reports changed (as {@link #renew} does).
     */
    boolean adopt(Instance newer, long newRevision) {
        lastHeartbeat = newer.lastHeartbeat;
        leaseExpiresAt = newer.leaseExpiresAt;
        revision = newRevision;
        if (!newer.reports.equals(reports)) {
            reports = newer.reports;
            return true;
        }
        return false;
    }

    long revision() {
        return revision;
    }

    void revision(long r) {
        revision = r;
    }

    /** The SHA-256 of the lease secret (a copy), or {@code null} when the instance has none. */
    byte[] secretDigest() {
        return secretDigest == null ? null : secretDigest.clone();
    }

    /**
     * Extends the lease from {@code now}; {@code newReports} replace the last ones unless {@code null}. Returns
     * whether the reports changed (the lease alone is not a change readers are told about, see
     * {@link InstanceRegistry#heartbeat}).
     */
    boolean renew(Instant now, Map<Store, StoreReport> newReports) {
        lastHeartbeat = now;
        leaseExpiresAt = now.plusSeconds(ttlSeconds);
        if (newReports != null && !newReports.equals(reports)) {
            reports = Map.copyOf(newReports);
            return true;
        }
        return false;
    }

    /**
     * Whether {@code presented} is this instance's lease secret; compared as SHA-256 digests in constant time.
     * An instance registered without a secret accepts none.
     */
    boolean secretMatches(String presented) {
        return secretDigest != null && presented != null
                && java.security.MessageDigest.isEqual(secretDigest, sha256(presented));
    }

    static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean expiredAt(Instant now) {
        return now.isAfter(leaseExpiresAt);
    }

    public String id() {
        return id;
    }

    public String service() {
        return service;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    public Map<String, String> meta() {
        return meta;
    }

    public Instant registeredAt() {
        return registeredAt;
    }

    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    /** What the instance's SDK reported per store in its last heartbeat that carried reports. */
    public Map<Store, StoreReport> reports() {
        return reports;
    }
}
