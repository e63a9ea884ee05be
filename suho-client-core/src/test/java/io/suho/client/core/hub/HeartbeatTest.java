package io.suho.client.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.Store;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void whatTheSdkWritesTheHubReadsBack() {
        Heartbeat sent = new Heartbeat(Map.of(Store.CACHE, new Heartbeat.StoreReport("OPEN", 12, 0.25),
                Store.POSTGRES, new Heartbeat.StoreReport("CLOSED", 0, 0.0)));

        Heartbeat read = Heartbeat.fromJson(sent.toJson());

        assertThat(read).isEqualTo(sent);
        assertThat(sent.toJson().toString()).isEqualTo("{\"stores\":{"
                + "\"postgres\":{\"breaker\":\"CLOSED\",\"calls\":0,\"errorRate\":0.0},"
                + "\"cache\":{\"breaker\":\"OPEN\",\"calls\":12,\"errorRate\":0.25}}}");
    }

    @Test
    void aBodyWithoutStoresOnlyRenewsTheLease() throws Exception {
        assertThat(Heartbeat.fromJson(json("{}")).renewsOnly()).isTrue();
        assertThat(Heartbeat.fromJson(json("{\"stores\": null}")).renewsOnly()).isTrue();
        assertThat(Heartbeat.leaseOnly().toJson().toString()).isEqualTo("{}");
        Heartbeat none = Heartbeat.fromJson(json("{\"stores\": {}}"));
        assertThat(none.renewsOnly()).isFalse();
        assertThat(none.stores()).isEmpty();
    }

    @Test
    void missingCountsDefaultToZeroAndStoreIdsAreCaseInsensitive() throws Exception {
        Heartbeat h = Heartbeat.fromJson(json("{\"stores\": {\"Kafka\": {\"breaker\": \"HALF_OPEN\"}}}"));

        assertThat(h.stores()).containsExactly(Map.entry(Store.KAFKA, new Heartbeat.StoreReport("HALF_OPEN", 0, 0.0)));
    }

    @Test
    void refusalsNameTheFieldAndTheRule() {
        assertRefused("{\"stores\": []}", "stores: expected an object keyed by store id");
        assertRefused("{\"stores\": {\"mongo\": {}}}", "stores: unknown store 'mongo'; expected one of postgres, "
                + "cache, analytics, vector, graph, nats, kafka");
        assertRefused("{\"stores\": {\"cache\": 3}}", "stores.cache: expected an object");
        assertRefused("{\"stores\": {\"cache\": {}}}", "stores.cache.breaker: required");
        assertRefused("{\"stores\": {\"cache\": {\"breaker\": 1}}}", "stores.cache.breaker: expected a string, got "
                + "number");
        assertRefused("{\"stores\": {\"cache\": {\"breaker\": \"open\"}}}",
                "stores.cache.breaker: expected CLOSED, HALF_OPEN or OPEN");
        assertRefused("{\"stores\": {\"cache\": {\"breaker\": \"OPEN\", \"calls\": -1}}}",
                "stores.cache.calls: expected a whole number in 0..9223372036854775807");
        assertRefused("{\"stores\": {\"cache\": {\"breaker\": \"OPEN\", \"calls\": 1.5}}}",
                "stores.cache.calls: expected a whole number in 0..9223372036854775807");
        assertRefused("{\"stores\": {\"cache\": {\"breaker\": \"OPEN\", \"errorRate\": 1.5}}}",
                "stores.cache.errorRate: expected a number in 0..1");
        assertRefused("{\"stores\": {\"cache\": {\"breaker\": \"OPEN\", \"errorRate\": \"0.5\"}}}",
                "stores.cache.errorRate: expected a number in 0..1");
    }

    @Test
    void aReportOutsideItsRangesCannotBeBuilt() {
        assertThatThrownBy(() -> new Heartbeat.StoreReport("BROKEN", 1, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("breaker");
        assertThatThrownBy(() -> new Heartbeat.StoreReport("OPEN", 1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorRate");
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> Heartbeat.fromJson(json(body)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
