package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.ServerException;
import io.suho.client.core.spi.FailureKind;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TsvRowsTest {

    @Test
    void anErrorTheServerWritesAfterTheFirstRowsIsReadAsTheServersAnswer() throws Exception {
        // 18.16 appends the exception to a body it has started to send (here: max_execution_time while streaming)
        String body = "n\tm\nUInt64\tUInt64\n1\t2\nCode: 159, e.displayText() = DB::Exception: Timeout exceeded: "
                + "elapsed 1.0 seconds, maximum: 1, e.what() = DB::Exception\n";
        TsvRows rows = new TsvRows(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), ZoneId.of("UTC"));
        assertThat(rows.readHeader()).isTrue();
        assertThat(rows.next()).isTrue();
        assertThatThrownBy(rows::next).isInstanceOfSatisfying(ServerException.class,
                e -> assertThat(ClickHouseFailures.POLICY.classify(e).kind()).isEqualTo(FailureKind.SERVER_TIMEOUT));
        // one column: the error line has the row's shape, and is told apart by being the body's last line
        String single = "n\nUInt64\n601817000\nCode: 159, e.displayText() = DB::Exception: Timeout exceeded\n";
        TsvRows one = new TsvRows(new ByteArrayInputStream(single.getBytes(StandardCharsets.UTF_8)), ZoneId.of("UTC"));
        assertThat(one.readHeader()).isTrue();
        assertThat(one.next()).isTrue();
        assertThatThrownBy(one::next).isInstanceOf(ServerException.class).hasMessageStartingWith("Code: 159");
        // the same text as a stored value, with rows after it, is a value
        String value = "msg\nString\nCode: 159, e.displayText() = DB::Exception: Timeout exceeded\nnext\n";
        TsvRows stored = new TsvRows(new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)), ZoneId.of("UTC"));
        assertThat(stored.readHeader()).isTrue();
        assertThat(stored.next()).isTrue();
        assertThat(stored.getString(0)).startsWith("Code: 159");
        assertThat(stored.next()).isTrue();
        assertThat(stored.getString(0)).isEqualTo("next");
        assertThat(stored.next()).isFalse();
    }

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
        assertThat(TsvText.parseArray("[[1,2],[3]]")).containsExactly("[1,2]", "[3]");
        assertThat(TsvText.parseArray("[1.5,-2]")).containsExactly("1.5", "-2");
    }
}
