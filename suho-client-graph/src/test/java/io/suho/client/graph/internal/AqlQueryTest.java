package io.suho.client.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.graph.AqlQuery;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AqlQueryTest {
    private static final AqlQuery PARTNERS = AqlQuery.of(
            "FOR t IN @@trades FILTER t._from == @trader AND t.qty > @min LIMIT 10 RETURN DISTINCT t._to");

    @Test
    void findsValueAndCollectionParameters() {
        assertThat(PARTNERS.valueParameters()).containsExactly("trader", "min");
        assertThat(PARTNERS.collectionParameters()).containsExactly("trades");
    }

    @Test
    void bindsExactlyTheReferencedParameters() {
        Map<String, Object> bind = PARTNERS.bind(Map.of("@trades", "trades_with", "trader", "traders/alice",
                "min", 5));
        assertThat(bind).containsEntry("@trades", "trades_with").containsEntry("trader", "traders/alice")
                .containsEntry("min", 5);
    }

    @Test
    void rejectsStringLiteralsWhereConcatenatedInputWouldLand() {
        String injected = "FOR t IN trades FILTER t.symbol == '" + "x' || true || '" + "' RETURN t";
        assertThatThrownBy(() -> AqlQuery.of(injected)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("string literal").hasMessageContaining("bind variable");
        assertThatThrownBy(() -> AqlQuery.of("RETURN DOCUMENT(\"traders/alice\")"))
                .hasMessageContaining("string literal");
    }

    @Test
    void rejectsCommentsQuotedNamesAndStatementSeparators() {
        assertThatThrownBy(() -> AqlQuery.of("FOR t IN trades RETURN t // tail")).hasMessageContaining("comment");
        assertThatThrownBy(() -> AqlQuery.of("FOR t IN trades /* x */ RETURN t")).hasMessageContaining("comment");
        assertThatThrownBy(() -> AqlQuery.of("FOR t IN `trades` RETURN t")).hasMessageContaining("quoted name");
        assertThatThrownBy(() -> AqlQuery.of("FOR t IN trades RETURN t; REMOVE")).hasMessageContaining("';'");
        assertThatThrownBy(() -> AqlQuery.of("FOR t IN trades FILTER t.a == @ RETURN t"))
                .hasMessageContaining("without a parameter name");
        assertThatThrownBy(() -> AqlQuery.of("  ")).hasMessageContaining("blank");
    }

    @Test
    void allowsDivisionNumbersAndRanges() {
        AqlQuery q = AqlQuery.of("FOR v IN 1..@depth ANY @start GRAPH @graph LIMIT 100 RETURN v.qty / 2");
        assertThat(q.valueParameters()).containsExactly("depth", "start", "graph");
    }

    @Test
    void missingAndExtraBindVariablesAreNamed() {
        assertThatThrownBy(() -> PARTNERS.bind(Map.of("@trades", "trades_with", "trader", "traders/alice")))
                .hasMessageContaining("'min' (@min) has no value");
        assertThatThrownBy(() -> PARTNERS.bind(Map.of("@trades", "trades_with", "trader", "t/a", "min", 1,
                "extra", 2))).hasMessageContaining("'extra' is not used");
        assertThatThrownBy(() -> PARTNERS.bind(Map.of("trades", "trades_with", "trader", "t/a", "min", 1)))
                .hasMessageContaining("bound under '@trades'");
    }

    @Test
    void collectionParametersMustBeSafeNames() {
        assertThatThrownBy(() -> PARTNERS.bind(Map.of("@trades", "_users", "trader", "t/a", "min", 1)))
                .hasMessageContaining("collection name '_users'");
        assertThatThrownBy(() -> PARTNERS.bind(Map.of("@trades", 42, "trader", "t/a", "min", 1)))
                .hasMessageContaining("must be a String");
    }
}
