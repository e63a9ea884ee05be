package io.suho.hub.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Serves the registry's read routes ({@code /v1/services}, {@code /v1/services/{name}}, {@code /v1/instances})
 * from bytes serialized once per change, each with an ETag, so a read costs a map lookup rather than a walk,
 * sort and serialization of the registry. Thread-safe.
 *
 * <p>An entry is current while the registry (or, for one service, that service) has not changed since it was
 * built, so a write is visible to the next read. It also lapses at the earliest lease expiry it contains (an
 * expired instance is gone at once, as before) and after {@link #MAX_AGE_MS}, which bounds how stale the
 * time-derived lease fields ({@code lastHeartbeat}, {@code lease.*}) can be: a plain heartbeat is not a registry
 * change (see {@link InstanceRegistry#heartbeat}), so it does not cost a re-serialization per heartbeat.
 *
 * <p>ETags: answers that list instances carry a <em>weak</em> tag naming what a client acts on — this hub run,
 * the registry (or service) version and the live instance ids — not the lease countdown, so the tag stays the same
 * (and {@code If-None-Match} gives 304) while only leases were renewed. {@code /v1/services} (names and counts, no
 * time fields) carries a strong tag derived from its bytes.
 */
public final class RegistryResponses {
    /** Longest time an answer is reused, so the lease countdown in it is at most this old. */
    static final long MAX_AGE_MS = 1000;

    /** One serialized answer with its entity tag. */
    public record Body(byte[] json, String etag, long version, long validUntilMs) {
    }

    private final InstanceRegistry registry;
    private final HealthView view;
    private final ObjectMapper json;
    private final Clock clock;
    private final ConcurrentHashMap<String, Body> perService = new ConcurrentHashMap<>();
    /** Distinguishes this hub run's versions (they restart at 0) from an earlier run's in weak ETags. */
    private final String run;
    private volatile Body serviceList;
    private volatile Body full;

    public RegistryResponses(InstanceRegistry registry, HealthView view, ObjectMapper json) {
        this.registry = registry;
        this.view = view;
        this.json = json;
        this.clock = registry.clock();
        // the start time: unique per run of one hub, and cheaper at start-up than a SecureRandom
        this.run = Long.toHexString(System.currentTimeMillis());
    }

    /** {@code GET /v1/services/{name}}; 404 when the service has no live instance. */
    public Body service(String name) {
        long v = registry.version(name);
        Body b = perService.get(name);
        if (b != null && b.version() == v && clock.millis() < b.validUntilMs()) {
            return b;
        }
        List<Instance> list = registry.instancesOf(name);
        if (list.isEmpty()) {
            perService.remove(name);
            throw ApiException.notFound("no live instance of service '" + name + "'");
        }
        ObjectNode root = json.createObjectNode();
        root.put("name", name);
        ArrayNode arr = root.putArray("instances");
        list.forEach(i -> arr.add(view.instance(i)));
        CRC32C ids = new CRC32C();
        addIds(ids, list);
        b = body(root, v, earliestExpiry(list), weakTag(v, ids));
        perService.put(name, b);
        return b;
    }

    /** {@code GET /v1/services}: every service with its live instance count. */
    public Body services() {
        long v = registry.version();
        Body b = serviceList;
        if (b != null && b.version() == v && clock.millis() < b.validUntilMs()) {
            return b;
        }
        ObjectNode root = json.createObjectNode();
        ArrayNode arr = root.putArray("services");
        long validUntil = Long.MAX_VALUE;
        for (String name : registry.serviceNames()) {
            List<Instance> list = registry.instancesOf(name);
            if (!list.isEmpty()) {
                arr.addObject().put("name", name).put("instances", list.size());
                validUntil = Math.min(validUntil, earliestExpiry(list));
            }
        }
        b = body(root, v, validUntil, null);
        serviceList = b;
        return b;
    }

    /** {@code GET /v1/instances}: every service with its live instances and the registry version. */
    public Body all() {
        long v = registry.version();
        Body b = full;
        if (b != null && b.version() == v && clock.millis() < b.validUntilMs()) {
            return b;
        }
        b = registryAnswer(v, registry.serviceNames(), false);
        full = b;
        return b;
    }

    /**
     * {@code GET /v1/instances?sinceVersion=V}: the services that changed after V (each with all its live
     * instances; {@code removed} lists those left with none), or the full answer when V is not a version of this
     * hub's current run. Not cached: each client holds a different V.
     */
    public Body since(long sinceVersion) {
        long v = registry.version();
        if (sinceVersion > v) {
            // a version from a previous run of the hub (versions restart at 0): the client must resync
            return all();
        }
        return registryAnswer(v, registry.changedSince(sinceVersion), true);
    }

    private Body registryAnswer(long v, Set<String> names, boolean delta) {
        ObjectNode root = json.createObjectNode();
        root.put("version", v);
        root.put("delta", delta);
        ArrayNode services = root.putArray("services");
        ArrayNode removed = delta ? root.putArray("removed") : null;
        long validUntil = Long.MAX_VALUE;
        CRC32C ids = new CRC32C();
        for (String name : names) {
            List<Instance> list = registry.instancesOf(name);
            if (list.isEmpty()) {
                if (removed != null) {
                    removed.add(name);
                }
                continue;
            }
            ObjectNode s = services.addObject();
            s.put("name", name);
            ArrayNode arr = s.putArray("instances");
            list.forEach(i -> arr.add(view.instance(i)));
            addIds(ids, list);
            validUntil = Math.min(validUntil, earliestExpiry(list));
        }
        return body(root, v, validUntil, weakTag(v, ids));
    }

    /**
     * @param etag the tag, or {@code null} for a strong one derived from the bytes (stays valid across hub restarts
     *     as long as the answer is the same)
     */
    private Body body(ObjectNode root, long v, long leaseLimitMs, String etag) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (etag == null) {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            etag = "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(bytes.length) + "\"";
        }
        long validUntil = Math.min(clock.millis() + MAX_AGE_MS, leaseLimitMs);
        return new Body(bytes, etag, v, validUntil);
    }

    /**
     * Run, version and the ids listed: the ids catch an instance whose lease ran out before the reaper noted it (no
     * new version yet, but it is gone from the answer).
     */
    private String weakTag(long v, CRC32C ids) {
        return "W/\"" + run + "-" + Long.toHexString(v) + "-" + Long.toHexString(ids.getValue()) + "\"";
    }

    private static void addIds(CRC32C crc, List<Instance> list) {
        for (Instance i : list) {
            crc.update(i.id().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            crc.update('\n');
        }
    }

    private static long earliestExpiry(List<Instance> list) {
        long min = Long.MAX_VALUE;
        for (Instance i : list) {
            // expiredAt is "after leaseExpiresAt", so the entry is good up to and including that millisecond
            min = Math.min(min, i.leaseExpiresAt().toEpochMilli() + 1);
        }
        return min;
    }
}
