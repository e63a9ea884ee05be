package io.suho.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValuePurgeOptions;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.Store;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.hub.Heartbeat.StoreReport;
import io.suho.hub.HubConfig;
import io.suho.hub.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry shared by several hubs in a NATS JetStream key-value bucket ({@code SUHO_HUB_REGISTRY=nats}). One
 * key per instance (its id); the value is the instance as JSON with its lease ({@code leaseExpiresAt}) and the
 * SHA-256 of its lease secret, never the secret. The bucket keeps one value per key.
 *
 * <p>Consistency rules:
 * <ul>
 *   <li>Every write names the revision it replaces (KV create / update with the expected revision / delete with the
 *       expected revision), so of two hubs writing one instance at once exactly one wins; the loser re-reads.</li>
 *   <li>NATS 2.9 has no per-key TTL, so hubs expire leases themselves: each hub's reaper deletes an expired
 *       instance with the revision it saw expire. A heartbeat that renewed it (on any hub) moved the revision on,
 *       so the delete fails and nothing is resurrected or lost; two hubs expiring one lease: one delete succeeds,
 *       and only that hub logs and counts the expiry ({@code suho.hub.leases.expired}).</li>
 *   <li>Every hub watches the whole bucket and applies each entry, in bucket order, to its in-memory view
 *       ({@link InstanceRegistry}), which serves every read. A write returns once this hub's view has applied it
 *       (read-your-writes on the hub that took the write); other hubs see it when their watch delivers it
 *       (milliseconds on one network).</li>
 *   <li>Lease times are absolute instants written by the hub that took the heartbeat: hubs need synchronized
 *       clocks (NTP); a skew of S seconds makes leases look S seconds longer or shorter on the other hubs.</li>
 * </ul>
 * When NATS cannot take a write the request fails with 503 {@code registry_unavailable} (the SDK moves to another
 * hub, or retries with its next heartbeat); reads keep being served from the view as it was. Thread-safe.
 */
final class NatsKvRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NatsKvRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JetStream's "wrong last sequence": the key's revision is not the one the write expected. */
    private static final int WRONG_LAST_SEQUENCE = 10071;
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    private static final Duration INITIAL_LOAD = Duration.ofSeconds(30);

    private final Connection nats;
    private final KeyValue kv;
    private final InstanceRegistry view;
    private final String bucket;
    private final long timeoutMs;
    private final Object appliedLock = new Object();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private long appliedRevision; // guarded by appliedLock
    private volatile NatsKeyValueWatchSubscription watch;
    private volatile long lastPurgeMs = System.currentTimeMillis();

    private NatsKvRegistry(Connection nats, KeyValue kv, InstanceRegistry view, String bucket, Duration timeout) {
        this.nats = nats;
        this.kv = kv;
        this.view = view;
        this.bucket = bucket;
        this.timeoutMs = timeout.toMillis();
    }

    /**
     * Connects to NATS, creates the bucket when it does not exist (one value per key, file storage, the configured
     * replicas), loads every entry into {@code view} and keeps following the bucket.
     *
     * @throws ConfigurationException when NATS cannot be reached or the bucket cannot be created or read, naming
     *     the variables to check
     */
    static NatsKvRegistry open(HubConfig config, InstanceRegistry view) {
        RegistrySettings s = config.registry();
        Options.Builder o = new Options.Builder().servers(s.natsServers().toArray(String[]::new))
                .connectionName("suho-hub-registry").connectionTimeout(s.timeout()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250));
        if (s.user() != null) {
            o.userInfo(s.user(), s.password() == null ? "" : s.password().reveal());
        } else if (s.password() != null) {
            o.token(s.password().revealChars());
        }
        if (s.credsFile() != null) {
            o.authHandler(Nats.credentials(s.credsFile().toString()));
        }
        if (s.natsServers().stream().anyMatch(u -> u.startsWith("tls://"))) {
            try {
                o.sslContext(javax.net.ssl.SSLContext.getDefault()); // the JVM's trust store, never trust-all
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        Connection nc = null;
        try {
            nc = Nats.connect(o.build());
            KeyValueOptions kvo = KeyValueOptions.builder()
                    .jetStreamOptions(JetStreamOptions.builder().requestTimeout(s.timeout()).build()).build();
            ensureBucket(nc.keyValueManagement(kvo), s);
            NatsKvRegistry r = new NatsKvRegistry(nc, nc.keyValue(s.bucket(), kvo), view, s.bucket(), s.timeout());
            r.follow();
            log.info("registry: NATS KV bucket {} on {} ({} instances loaded, revision {})", s.bucket(),
                    s.natsServers(), view.size(), r.applied());
            return r;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            closeQuietly(nc);
            throw new ConfigurationException("NATS_URL", "SUHO_HUB_REGISTRY=nats: cannot use the NATS KV bucket "
                    + s.bucket() + " on " + s.natsServers() + ": " + e.getMessage() + "; fix: check NATS_URL (and its"
                    + " credentials or SUHO_HUB_REGISTRY_NATS_CREDS), that the servers run JetStream, and"
                    + " SUHO_HUB_REGISTRY_BUCKET / SUHO_HUB_REGISTRY_REPLICAS", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(nc);
            throw new ConfigurationException("NATS_URL", "interrupted while connecting to the registry on NATS", e);
        }
    }

    private static void ensureBucket(KeyValueManagement kvm, RegistrySettings s)
            throws IOException, JetStreamApiException {
        try {
            kvm.getStatus(s.bucket());
            return;
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
        }
        try {
            kvm.create(KeyValueConfiguration.builder().name(s.bucket()).maxHistoryPerKey(1)
                    .storageType(StorageType.File).replicas(s.replicas()).build());
            log.info("registry: created NATS KV bucket {} ({} replica(s))", s.bucket(), s.replicas());
        } catch (JetStreamApiException e) {
            // another hub created it between our look and our create: use theirs
            kvm.getStatus(s.bucket());
        }
    }

    private void follow() throws IOException, JetStreamApiException, InterruptedException {
        watch = kv.watchAll(new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                apply(entry);
            }

            @Override
            public void endOfData() {
                loaded.countDown();
            }
        });
        if (!loaded.await(INITIAL_LOAD.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("the bucket's entries did not arrive within " + INITIAL_LOAD.toSeconds() + " s");
        }
    }

    /** One bucket entry, in bucket order, on the watch's one thread. */
    private void apply(KeyValueEntry e) {
        long revision = e.getRevision();
        try {
            if (e.getOperation() == KeyValueOperation.PUT) {
                view.applyPut(decode(e.getKey(), e.getValue()), revision);
            } else {
                view.applyRemove(e.getKey(), revision);
            }
        } catch (RuntimeException bad) {
            log.warn("registry: skipping the bucket's entry {} (revision {}): {}", e.getKey(), revision,
                    bad.toString());
        }
        synchronized (appliedLock) {
            appliedRevision = Math.max(appliedRevision, revision);
            appliedLock.notifyAll();
        }
    }

    long applied() {
        synchronized (appliedLock) {
            return appliedRevision;
        }
    }

    /** Writes a new instance; returns it as this hub's view holds it once the watch applied the write. */
    Instance register(Instance i) {
        long rev = write("register", () -> kv.create(i.id(), encode(i)));
        awaitView(() -> applied() >= rev, "registration of " + i.id());
        Instance held = view.held(i.id());
        return held != null ? held : i;
    }

    /**
     * Renews a lease from {@code now} with the heartbeat's reports (or the last ones); empty when the instance was
     * deleted or its lease ran out meanwhile (the caller registers again), never writing an expired instance back.
     */
    Optional<Instance> renew(Instance seen, Heartbeat heartbeat) {
        Instance base = seen;
        long expected = seen.revision();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = view.clock().instant();
            Map<Store, StoreReport> reports = heartbeat.stores() != null ? heartbeat.stores() : base.reports();
            Instance next = new Instance(base.id(), base.service(), base.host(), base.port(), base.ttlSeconds(),
                    base.meta(), base.registeredAt(), base.secretDigest(), now, now.plusSeconds(base.ttlSeconds()),
                    reports);
            long rev = expected;
            try {
                long written = write("heartbeat", () -> kv.update(next.id(), encode(next), rev));
                awaitView(() -> applied() >= written, "heartbeat of " + next.id());
                Instance held = view.held(next.id());
                return Optional.of(held != null ? held : next);
            } catch (RevisionMoved moved) {
                KeyValueEntry latest = latest(next.id());
                if (latest == null) {
                    return Optional.empty();
                }
                base = decode(latest.getKey(), latest.getValue());
                if (base.expiredAt(view.clock().instant())) {
                    return Optional.empty();
                }
                expected = latest.getRevision();
            }
        }
        throw busy(seen.id());
    }

    /** Deletes a live instance (deregistration); false when it was gone already. */
    boolean remove(Instance seen) {
        long expected = seen.revision();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long rev = expected;
            try {
                write("deregister", () -> {
                    kv.delete(seen.id(), rev);
                    return rev;
                });
                awaitView(() -> view.held(seen.id()) == null, "deregistration of " + seen.id());
                return true;
            } catch (RevisionMoved moved) {
                KeyValueEntry latest = latest(seen.id());
                if (latest == null) {
                    return false;
                }
                expected = latest.getRevision();
            }
        }
        throw busy(seen.id());
    }

    /**
     * Deletes an instance this hub saw expire, only if its entry is still the one that expired; true when this hub's
     * delete removed it (so this hub alone reports the expiry), false when another hub expired it first or a
     * heartbeat renewed it meanwhile. Also drops old delete markers now and then.
     */
    boolean expire(Instance seen) {
        purgeOldMarkers();
        try {
            kv.delete(seen.id(), seen.revision());
            return true;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                log.warn("registry: cannot expire instance {}: {}", seen.id(), e.getMessage());
            }
            return false;
        } catch (IOException e) {
            log.debug("registry: cannot expire instance {} now: {}", seen.id(), e.toString());
            return false;
        }
    }

    private void purgeOldMarkers() {
        long now = System.currentTimeMillis();
        if (now - lastPurgeMs < PURGE_EVERY.toMillis()) {
            return;
        }
        lastPurgeMs = now;
        try {
            kv.purgeDeletes(KeyValuePurgeOptions.builder().deleteMarkersThreshold(PURGE_EVERY).build());
        } catch (IOException | JetStreamApiException e) {
            log.debug("registry: purging old delete markers failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The key's current value, or {@code null} when it was deleted. */
    private KeyValueEntry latest(String id) {
        try {
            KeyValueEntry e = kv.get(id);
            return e == null || e.getOperation() != KeyValueOperation.PUT ? null : e;
        } catch (IOException | JetStreamApiException e) {
            throw unavailable("read", e);
        }
    }

    @FunctionalInterface
    private interface Write {
        long run() throws IOException, JetStreamApiException;
    }

    /** A revision-checked write lost to another write of the same key. */
    private static final class RevisionMoved extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RevisionMoved() {
            super(null, null, false, false);
        }
    }

    private long write(String what, Write w) {
        try {
            return w.run();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                throw new RevisionMoved();
            }
            throw unavailable(what, e);
        } catch (IOException e) {
            throw unavailable(what, e);
        }
    }

    /** Waits (bounded) until this hub's view shows a write; past the bound the write stands and the view follows. */
    private void awaitView(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (appliedLock) {
            while (!done.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    log.warn("registry: the bucket's watch has not delivered the {} after {} ms", what, timeoutMs);
                    return;
                }
                try {
                    appliedLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private ApiException unavailable(String what, Exception e) {
        return new ApiException(503, "registry_unavailable", "the shared registry (NATS KV bucket " + bucket
                + ") did not take the " + what + ": " + e.getMessage() + "; retry (another hub may answer)");
    }

    private static ApiException busy(String id) {
        return new ApiException(503, "registry_busy", "instance '" + id + "' was written by other hubs "
                + MAX_ATTEMPTS + " times while this hub tried; retry");
    }

    // ------------------------------------------------------------------ the entry format

    static byte[] encode(Instance i) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", i.id()).put("service", i.service()).put("host", i.host()).put("port", i.port())
                .put("ttlSeconds", i.ttlSeconds());
        ObjectNode meta = n.putObject("meta");
        i.meta().forEach(meta::put);
        n.put("registeredAt", i.registeredAt().toString()).put("lastHeartbeat", i.lastHeartbeat().toString())
                .put("leaseExpiresAt", i.leaseExpiresAt().toString());
        byte[] digest = i.secretDigest();
        if (digest != null) {
            n.put("secretSha256", HexFormat.of().formatHex(digest));
        }
        n.set("reports", new Heartbeat(i.reports()).toJson());
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instance decode(String key, byte[] value) {
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        String id = n.path("id").asText(key);
        if (!id.equals(key)) {
            throw new IllegalArgumentException("entry id " + id + " under key " + key);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.path("meta").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            meta.put(m.getKey(), m.getValue().asText());
        }
        String digest = n.path("secretSha256").asText(null);
        Map<Store, StoreReport> reports = n.hasNonNull("reports") ? Heartbeat.fromJson(n.get("reports")).stores()
                : null;
        return new Instance(id, n.path("service").asText(), n.path("host").asText(), n.path("port").asInt(),
                n.path("ttlSeconds").asInt(), meta, Instant.parse(n.path("registeredAt").asText()),
                digest == null ? null : HexFormat.of().parseHex(digest), Instant.parse(n.path("lastHeartbeat")
                        .asText()), Instant.parse(n.path("leaseExpiresAt").asText()),
                reports == null ? Map.of() : reports);
    }

    @Override
    public void close() {
        NatsKeyValueWatchSubscription w = watch;
        if (w != null) {
            try {
                w.unsubscribe();
            } catch (RuntimeException e) {
                log.debug("registry: ending the watch: {}", e.toString());
            }
        }
        closeQuietly(nats);
    }

    private static void closeQuietly(Connection nc) {
        if (nc == null) {
            return;
        }
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
