package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRowWriterTest {

    @Test
    void writesTypesInFormsOldAndNewServersParse() {
        JsonRowWriter w = new JsonRowWriter(ZoneId.of("UTC"));
        w.append("x", (v, row) -> row.put("s", "q\"\\\n\u0001ü").put("d", new BigDecimal("1.2300"))
                .put("n", null).put("b", true).put("t", Instant.parse("2024-01-02T03:04:05.9Z"))
                .put("a", Arrays.asList("x", null)).put("l", 42L));
        String json = new String(w.lastRow(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"s\":\"q\\\"\\\\\\n\\u0001ü\",\"d\":1.2300,\"n\":null,\"b\":1,"
                + "\"t\":\"2024-01-02 03:04:05\",\"a\":[\"x\",null],\"l\":42}\n");
    }

    @Test
    void badValueNamesTheColumnAndLeavesTheBufferUnchanged() {
        JsonRowWriter w = new JsonRowWriter(ZoneId.of("UTC"));
        w.append(1, (v, row) -> row.put("id", v));
        int before = w.length();
        assertThatThrownBy(() -> w.append(2, (v, row) -> row.put("id", v).put("bad", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column bad");
        assertThatThrownBy(() -> w.append(2, (v, row) -> row.put("f", Double.NaN))).hasMessageContaining("column f");
        assertThat(w.length()).isEqualTo(before);
        assertThatThrownBy(() -> w.append(3, (v, row) -> { })).hasMessageContaining("no column");
        assertThat(List.of(w.length())).containsExactly(before);
    }
}
