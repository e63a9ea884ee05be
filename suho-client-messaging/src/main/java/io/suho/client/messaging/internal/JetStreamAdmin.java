package io.suho.client.messaging.internal;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.StreamSpec;
import java.util.HashSet;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream provisioning over the connection's current JetStream management context: creates a stream, or updates
 * an existing one to the spec (subjects, max age, duplicate window, replicas). A change of storage type cannot be
 * made in place and fails with a {@link StoreOperationException}. Each call runs through the store's pipeline as
 * idempotent. Thread-safe.
 */
final class JetStreamAdmin {
    private static final Logger log = LoggerFactory.getLogger(JetStreamAdmin.class);
    private static final int STREAM_NOT_FOUND = 10059;

    private final JetStreamContexts jet;
    private final StoreExecutor exec;

    JetStreamAdmin(JetStreamContexts jet, StoreExecutor exec) {
        this.jet = jet;
        this.exec = exec;
    }

    /** See {@link io.suho.client.messaging.NatsClient#ensureStream}: true when it created or updated the stream. */
    boolean ensureStream(StreamSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return exec.call("ensure_stream", true, () -> {
            JetStreamManagement jsm = jet.management();
            StreamConfiguration wanted = StreamConfiguration.builder()
                    .name(spec.name()).subjects(spec.subjects()).maxAge(spec.maxAge())
                    .duplicateWindow(spec.duplicateWindow())
                    .storageType(spec.memory() ? StorageType.Memory : StorageType.File)
                    .replicas(spec.replicas()).build();
            StreamInfo info;
            try {
                info = jsm.getStreamInfo(spec.name());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
                jsm.addStream(wanted);
                log.info("created JetStream stream {} on {}", spec.name(), spec.subjects());
                return true;
            }
            StreamConfiguration have = info.getConfiguration();
            if (have.getStorageType() != wanted.getStorageType()) {
                throw new StoreOperationException(Store.NATS, "ensure_stream", "storage",
                        "stream " + spec.name() + " exists with " + have.getStorageType() + " storage but "
                                + wanted.getStorageType() + " was asked for; storage cannot change in place", null);
            }
            boolean same = new HashSet<>(have.getSubjects()).equals(new HashSet<>(spec.subjects()))
                    && have.getMaxAge().equals(spec.maxAge())
                    && have.getDuplicateWindow().equals(spec.duplicateWindow())
                    && have.getReplicas() == spec.replicas();
            if (same) {
                return false;
            }
            jsm.updateStream(wanted);
            log.info("updated JetStream stream {} (subjects {}, maxAge {}, duplicate window {}, replicas {})",
                    spec.name(), spec.subjects(), spec.maxAge(), spec.duplicateWindow(), spec.replicas());
            return true;
        });
    }
}
