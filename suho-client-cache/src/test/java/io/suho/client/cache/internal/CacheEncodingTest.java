package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.cache.CacheValueException;
import io.suho.client.cache.Price;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheEncodingTest {

    @Test
    void keysArePrefixedAndValidated() {
        KeySpace ks = new KeySpace("orders", 10);
        assertThat(ks.key("get", "abc")).isEqualTo("orders:k:abc");
        assertThat(ks.key("get", "session", "id1")).isEqualTo("orders:session:id1");
        assertThat(ks.strip("orders:k:abc")).isEqualTo("abc");
        assertThatThrownBy(() -> ks.key("get", "")).hasMessageContaining("get").hasMessageContaining("empty");
        assertThatThrownBy(() -> ks.key("mget", null)).hasMessageContaining("mget").hasMessageContaining("null");
        assertThatThrownBy(() -> ks.key("set", "x".repeat(50))).hasMessageContaining("50 characters")
                .hasMessageContaining("limit is 10");
        assertThatThrownBy(() -> new KeySpace("has space", 10)).hasMessageContaining("namespace");
    }

    @Test
    void pricesRoundTripThroughTheirTextForm() {
        Price p = new Price("BTC-USD", new BigDecimal("64210.50"), Instant.ofEpochMilli(1_767_225_600_123L));
        assertThat(RedisPriceCache.encode(p)).isEqualTo("64210.50|1767225600123");
        assertThat(RedisPriceCache.decode("BTC-USD", "64210.50|1767225600123")).isEqualTo(p);
        assertThat(RedisPriceCache.parseNotification("A=1|5\nB=2.5|6\n"))
                .containsExactly(new Price("A", BigDecimal.ONE, Instant.ofEpochMilli(5)),
                        new Price("B", new BigDecimal("2.5"), Instant.ofEpochMilli(6)));
        assertThatThrownBy(() -> RedisPriceCache.decode("X", "abc|1")).isInstanceOf(CacheValueException.class)
                .hasMessageContaining("X");
        assertThatThrownBy(() -> RedisPriceCache.symbol("update", "a|b")).hasMessageContaining("a|b");
    }

    @Test
    void jsonFailuresNameKeyAndType() {
        Json json = new Json();
        assertThat(json.<List<Integer>>read("get", "k", "[1,2]",
                json.type(new com.fasterxml.jackson.core.type.TypeReference<List<Integer>>() { })))
                .containsExactly(1, 2);
        assertThatThrownBy(() -> json.read("get", "k1", "{", json.type(Price.class)))
                .isInstanceOf(CacheValueException.class).hasMessageContaining("k1")
                .hasMessageContaining(Price.class.getName());
        assertThatThrownBy(() -> json.write("set", "k2", new Object()))
                .isInstanceOf(CacheValueException.class).hasMessageContaining("k2")
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void infoIsParsedIntoFields() {
        var info = CacheRuntime.parseInfo("# Server\r\nredis_version:7.0.15\r\nrole:master\r\n\r\nused_memory:123\r\n");
        assertThat(info).containsEntry("redis_version", "7.0.15").containsEntry("role", "master")
                .containsEntry("used_memory", "123");
    }

}
