package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SqlBinderTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void bindsTypedLiteralsAndEscapesStrings() {
        String sql = SqlBinder.bind("SELECT * FROM t WHERE s = {s:String} AND n = {n:UInt32} AND p = {p:Decimal(18, 4)}",
                Map.of("s", "a'b\\c\n", "n", 7, "p", new BigDecimal("12.3400")), UTC);
        assertThat(sql).isEqualTo("SELECT * FROM t WHERE s = 'a\\'b\\\\c\\n' AND n = 7 AND p = CAST('12.3400' AS "
                + "Decimal(18, 4))");
    }

    @Test
    void injectionAttemptStaysInsideTheLiteral() {
        String sql = SqlBinder.bind("SELECT {s:String}", Map.of("s", "x' OR 1=1 --"), UTC);
        assertThat(sql).isEqualTo("SELECT 'x\\' OR 1=1 --'");
    }

    @Test
    void leavesBracesInsideStringsAndCommentsAlone() {
        String sql = SqlBinder.bind("SELECT '{a:String}', `{b:String}` -- {c:String}\n, {d:Int64}", Map.of("d", 1L),
                UTC);
        assertThat(sql).isEqualTo("SELECT '{a:String}', `{b:String}` -- {c:String}\n, 1");
    }

    @Test
    void rejectsWrongTypesMissingAndUnusedParameters() {
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {n:UInt64}", Map.of("n", "1; DROP TABLE x"), UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'n'").hasMessageContaining("UInt64");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {n:UInt8}", Map.of("n", 300), UTC))
                .hasMessageContaining("outside the range of UInt8");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {n:UInt64}", Map.of("n", -1L), UTC))
                .hasMessageContaining("outside the range");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {n:Int64}", Map.of(), UTC))
                .hasMessageContaining("'n'").hasMessageContaining("no value");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT 1", Map.of("extra", 1), UTC))
                .hasMessageContaining("[extra]");
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("s", null);
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {s:String}", nulls, UTC)).hasMessageContaining("Nullable");
        assertThat(SqlBinder.bind("SELECT {s:Nullable(String)}", nulls, UTC)).isEqualTo("SELECT NULL");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {p:Decimal(9,2)}", Map.of("p", "1e5"), UTC))
                .hasMessageContaining("plain decimal");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {p:Map(String,String)}", Map.of("p", "x"), UTC))
                .hasMessageContaining("cannot bind");
    }

    @Test
    void identifiersAreValidatedAndBackquoted() {
        assertThat(SqlBinder.bind("SELECT * FROM {t:Identifier}", Map.of("t", "db.ticks"), UTC))
                .isEqualTo("SELECT * FROM `db`.`ticks`");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT * FROM {t:Identifier}", Map.of("t", "t; DROP"), UTC))
                .hasMessageContaining("Identifier");
    }

    @Test
    void rendersDatesArraysAndUuids() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(SqlBinder.render("t", "DateTime", Instant.parse("2024-01-02T03:04:05Z"), ZoneId.of("Europe/Berlin")))
                .isEqualTo("toDateTime('2024-01-02 04:04:05')");
        assertThat(SqlBinder.render("t", "DateTime", LocalDateTime.of(2024, 1, 2, 3, 4, 5), UTC))
                .isEqualTo("toDateTime('2024-01-02 03:04:05')");
        assertThat(SqlBinder.render("d", "Date", LocalDate.of(2024, 2, 29), UTC)).isEqualTo("toDate('2024-02-29')");
        assertThat(SqlBinder.render("a", "Array(String)", List.of("x", "y'z"), UTC)).isEqualTo("['x', 'y\\'z']");
        assertThat(SqlBinder.render("a", "Array(Int32)", new int[] {1, 2}, UTC)).isEqualTo("[1, 2]");
        assertThat(SqlBinder.render("u", "UUID", id, UTC)).isEqualTo("toUUID('" + id + "')");
        assertThat(SqlBinder.render("f", "Float64", Double.NaN, UTC)).isEqualTo("nan");
        assertThat(SqlBinder.render("b", "Bool", true, UTC)).isEqualTo("1");
    }

    @Test
    void refusesConstructsTheServerParsesDifferently() {
        Map<String, Object> p = Map.of("v", "x");
        // nested block comments: ClickHouse nests them, so a value bound after the inner */ would be code to it
        assertThatThrownBy(() -> SqlBinder.bind("SELECT /* a /* b */ {v:String} */ 1", p, UTC))
                .hasMessageContaining("nested /*");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT {v:String} # it's a comment to the server", p, UTC))
                .hasMessageContaining("'#'");
        assertThatThrownBy(() -> SqlBinder.bind("#!/usr/bin/clickhouse\nSELECT {v:String}", p, UTC))
                .hasMessageContaining("'#'");
        assertThatThrownBy(() -> SqlBinder.bind("SELECT $$ {v:String} $$", p, UTC)).hasMessageContaining("'$$'");
        // inside quotes they are plain characters
        assertThat(SqlBinder.bind("SELECT '#1 $$ /* /*', {v:String} -- ok", p, UTC))
                .isEqualTo("SELECT '#1 $$ /* /*', 'x' -- ok");
        // a statement without parameters binds nothing and passes through as written
        assertThat(SqlBinder.bind("SELECT 1 # note", Map.of(), UTC)).isEqualTo("SELECT 1 # note");
    }
}
