package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.analytics.EncodedRows;
import io.suho.client.analytics.RowEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonEachRowsTest {
    private static final RowEncoder<Integer> ID = (v, row) -> row.put("id", v);

    private static String text(EncodedRows rows) {
        JsonEachRows json = (JsonEachRows) rows;
        return new String(Arrays.copyOf(json.buffer(), json.length()), StandardCharsets.UTF_8);
    }

    @Test
    void aRowThatCannotBeEncodedIsRefusedAloneAndTheOthersStay() {
        JsonEachRows rows = new JsonEachRows(ZoneId.of("UTC"));
        rows.add(1, ID);
        assertThatThrownBy(() -> rows.add(2, (v, row) -> row.put("id", v).put("bad", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column bad");
        assertThatThrownBy(() -> rows.add(3, (v, row) -> {
            throw new IllegalStateException("mapper failed");
        })).hasMessage("mapper failed");
        rows.add(4, ID);
        assertThat(rows.size()).isEqualTo(2);
        assertThat(text(rows)).isEqualTo("{\"id\":1}\n{\"id\":4}\n");
    }

    @Test
    void aRangeHoldsExactlyItsRowsAndCanBeSplitAgain() {
        JsonEachRows rows = new JsonEachRows(ZoneId.of("UTC"));
        for (int i = 0; i < 5; i++) {
            rows.add(i, ID);
        }
        EncodedRows middle = rows.range(1, 4);
        assertThat(middle.size()).isEqualTo(3);
        assertThat(text(middle)).isEqualTo("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
        assertThat(text(middle.range(2, 3))).isEqualTo("{\"id\":3}\n");
        assertThat(rows.range(2, 2).size()).isZero();
        assertThatThrownBy(() -> rows.range(3, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void clearEmptiesTheRowsForTheNextBatch() {
        JsonEachRows rows = new JsonEachRows(ZoneId.of("UTC"));
        for (int i = 0; i < 100; i++) {
            rows.add(i, ID);
        }
        rows.clear();
        rows.add(7, ID);
        assertThat(rows.size()).isEqualTo(1);
        assertThat(text(rows)).isEqualTo("{\"id\":7}\n");
    }
}
