package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TsvRowsTest {

    @Test
    void readsNamesTypesEscapesNullsAndArrays() throws Exception {
        String body = "id\ts\tp\tn\tarr\tt\n"
                + "UInt64\tString\tDecimal(18, 4)\tNullable(Int32)\tArray(Nullable(String))\tDateTime\n"
                + "18446744073709551615\ta\\tb\\nc\\\\d\t12.3400\t\\N\t['x','y\\'z',NULL]\t2024-01-02 03:04:05\n"
                + "1\tü\t-0.0001\t5\t[]\t1970-01-01 00:00:01\n";
        TsvRows rows = new TsvRows(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), ZoneId.of("UTC"));
        assertThat(rows.readHeader()).isTrue();
        assertThat(rows.columnCount()).isEqualTo(6);
        assertThat(rows.columnType(2)).isEqualTo("Decimal(18, 4)");
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("id")).isEqualTo("18446744073709551615");
        assertThat(rows.getString("s")).isEqualTo("a\tb\nc\\d");
        assertThat(rows.getBigDecimal("p")).isEqualByComparingTo(new BigDecimal("12.3400"));
        assertThat(rows.getString("p")).isEqualTo("12.3400");
        assertThat(rows.isNull("n")).isTrue();
        assertThat(rows.getList("arr")).isEqualTo(Arrays.asList("x", "y'z", null));
        assertThat(rows.getInstant("t")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThatThrownBy(() -> rows.getLong("n")).isInstanceOf(NullPointerException.class).hasMessageContaining("'n'");
        assertThatThrownBy(() -> rows.getLong("id")).hasMessageContaining("'id'");
        assertThatThrownBy(() -> rows.getString("nope")).hasMessageContaining("no column 'nope'");
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("s")).isEqualTo("ü");
        assertThat(rows.getInt("n")).isEqualTo(5);
        assertThat(rows.getList("arr")).isEmpty();
        assertThat(rows.next()).isFalse();
    }

    @Test
    void emptyBodyHasNoHeader() throws Exception {
        assertThat(new TsvRows(new ByteArrayInputStream(new byte[0]), ZoneId.of("UTC")).readHeader()).isFalse();
    }

    @Test
    void parsesNestedArraysAsText() {
        assertThat(TsvRows.parseArray("[[1,2],[3]]")).containsExactly("[1,2]", "[3]");
        assertThat(TsvRows.parseArray("[1.5,-2]")).containsExactly("1.5", "-2");
    }
}
