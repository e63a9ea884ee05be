package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.postgres.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcTimeSeriesTest {

    @Test
    void encodesCopyTextWithEscapes() {
        byte[] data = JdbcTimeSeries.encode(List.of(new TimeSeries.Tick(Instant.parse("2026-01-01T00:00:00Z"),
                "A\tB\\C", 1.5, 2)));
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("2026-01-01T00:00:00Z\tA\\tB\\\\C\t1.5\t2.0\n");
    }

    @Test
    void acceptsOnlyPlainIdentifiers() {
        assertThat(JdbcTimeSeries.checkTable("market.ticks_1m")).isEqualTo("market.ticks_1m");
        assertThatThrownBy(() -> JdbcTimeSeries.checkTable("Ticks")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcTimeSeries.checkTable("t;drop")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bothModesShareOneQueryButTheBucketFunction() {
        String ts = JdbcTimeSeries.bucketSql("t", TimeSeries.Mode.TIMESCALE);
        String nat = JdbcTimeSeries.bucketSql("t", TimeSeries.Mode.NATIVE);
        assertThat(ts).contains("time_bucket(");
        assertThat(nat).contains("date_bin(").contains("2000-01-03");
        assertThat(ts.replace("time_bucket(?::interval, ts)", "X"))
                .isEqualTo(nat.replace("date_bin(?::interval, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00')", "X"));
    }
}
