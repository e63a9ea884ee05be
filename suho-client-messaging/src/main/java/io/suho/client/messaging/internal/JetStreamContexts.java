package io.suho.client.messaging.internal;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's current JetStream publish and management contexts. Made again on every (re)connect
 * ({@link #refresh()}): jnats picks its JetStream API variants from the server version it sees when a context is made.
 * Thread-safe.
 */
final class JetStreamContexts {
    private static final Logger log = LoggerFactory.getLogger(JetStreamContexts.class);

    private final Connection conn;
    private final JetStreamOptions options;
    private volatile JetStream js;
    private volatile JetStreamManagement jsm;

    JetStreamContexts(Connection conn, JetStreamOptions options) throws IOException {
        this.conn = conn;
        this.options = options;
        this.js = conn.jetStream(options);
        this.jsm = conn.jetStreamManagement(options);
    }

    JetStream publishing() {
        return js;
    }

    JetStreamManagement management() {
        return jsm;
    }

    /** Makes both contexts again; when that fails the previous ones stay in use (they still work). */
    void refresh() {
        try {
            js = conn.jetStream(options);
            jsm = conn.jetStreamManagement(options);
        } catch (IOException | RuntimeException e) {
            log.debug("could not refresh the JetStream contexts: {}", e.toString());
        }
    }
}
