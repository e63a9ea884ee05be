package io.suho.hub.internal;

import io.suho.hub.HubConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

/**
 * Kafka: {@code describeCluster} through one long-lived {@link Admin} client with short timeouts and a capped
 * reconnect backoff, so a broker that comes back is seen within a probe interval.
 */
final class KafkaProbe implements Probe {
    private final HubConfig.Target target;
    private Admin admin;

    KafkaProbe(HubConfig.Target target) {
        this.target = target;
    }

    private Admin admin(Duration timeout) {
        if (admin == null) {
            int ms = (int) Math.max(500, timeout.toMillis());
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    target.hosts().stream().map(Object::toString).collect(Collectors.joining(",")));
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "suho-hub-probe");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(ms, 1000));
            p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, ms);
            p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 100);
            p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
            p.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 1000);
            if (target.tls()) {
                p.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
            }
            admin = Admin.create(p);
        }
        return admin;
    }

    @Override
    public Map<String, Object> check(Duration timeout) throws Exception {
        int ms = (int) Math.max(500, timeout.toMillis());
        DescribeClusterResult r = admin(timeout).describeCluster(new DescribeClusterOptions().timeoutMs(ms));
        try {
            Collection<Node> nodes = r.nodes().get(ms + 500L, TimeUnit.MILLISECONDS);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("clusterId", r.clusterId().get(ms, TimeUnit.MILLISECONDS));
            d.put("brokers", nodes.size());
            return d;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
