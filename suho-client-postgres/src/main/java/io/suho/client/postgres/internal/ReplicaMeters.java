package io.suho.client.postgres.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.suho.client.core.Store;
import io.suho.client.core.spi.ServerBalancer;

/**
 * Per-replica meters of read routing, tagged {@code service}, {@code store=postgres} and {@code host}: reads routed
 * to the replica, its latency estimate as the router sees it, its calls in flight and its weight.
 */
final class ReplicaMeters {
    private ReplicaMeters() {
    }

    static void register(Topology topology, String service, MeterRegistry registry) {
        ServerBalancer b = topology.balancer();
        for (Topology.Replica r : topology.replicas()) {
            int i = r.target.slot();
            Tags tags = Tags.of("service", service, "store", Store.POSTGRES.id(), "host", r.target.host().toString());
            FunctionCounter.builder("suho.postgres.replica.reads", b, x -> x.chosen(i))
                    .description("Reads reading() routed to this replica").tags(tags).register(registry);
            Gauge.builder("suho.postgres.replica.latency", b, x -> x.latencyNanos(i) / 1e9)
                    .description("The replica's latency estimate the router compares: a peak-sensitive moving average"
                            + " of its read latency (pool wait included) that fades while it is idle")
                    .baseUnit("seconds").tags(tags).register(registry);
            Gauge.builder("suho.postgres.replica.inflight", b, x -> x.inFlight(i))
                    .description("Reads on this replica not yet finished").tags(tags).register(registry);
            Gauge.builder("suho.postgres.replica.weight", b, x -> x.weight(i))
                    .description("The replica's weight (suho.postgres.replica.weights; 0: drained)").tags(tags)
                    .register(registry);
        }
    }
}
