package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.vector.VectorFilter;
import io.weaviate.client6.v1.internal.grpc.protocol.WeaviateProtoBase.Filters;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Checks the gRPC filter messages our filters turn into (what Weaviate receives), built locally. */
class FilterMappingTest {

    private static Filters proto(VectorFilter f) {
        Filters.Builder b = Filters.newBuilder();
        FilterMapping.toWeaviate(f).appendTo(b);
        return b.build();
    }

    @Test
    void mapsTextEquality() {
        Filters f = proto(VectorFilter.eq("symbol", "AAPL"));
        assertThat(f.getOperator()).isEqualTo(Filters.Operator.OPERATOR_EQUAL);
        assertThat(f.getTarget().getProperty()).isEqualTo("symbol");
        assertThat(f.getValueText()).isEqualTo("AAPL");
    }

    @Test
    void widensIntegersAndFloatsToTheDriversTypes() {
        Filters i = proto(VectorFilter.gt("quantity", 10));
        assertThat(i.getOperator()).isEqualTo(Filters.Operator.OPERATOR_GREATER_THAN);
        assertThat(i.getValueInt()).isEqualTo(10L);
        Filters d = proto(VectorFilter.lte("confidence", 0.75f));
        assertThat(d.getOperator()).isEqualTo(Filters.Operator.OPERATOR_LESS_THAN_EQUAL);
        assertThat(d.getValueNumber()).isEqualTo(0.75);
    }

    @Test
    void sendsUuidsAsText() {
        UUID id = UUID.fromString("6f1c2e9a-0000-4000-8000-000000000001");
        assertThat(proto(VectorFilter.eq("orderId", id)).getValueText()).isEqualTo(id.toString());
    }

    @Test
    void nestsLogicalOperators() {
        Filters f = proto(VectorFilter.and(VectorFilter.eq("symbol", "AAPL"),
                VectorFilter.or(VectorFilter.gte("confidence", 0.8), VectorFilter.not(VectorFilter.eq("side", "sell")))));
        assertThat(f.getOperator()).isEqualTo(Filters.Operator.OPERATOR_AND);
        assertThat(f.getFiltersCount()).isEqualTo(2);
        Filters or = f.getFilters(1);
        assertThat(or.getOperator()).isEqualTo(Filters.Operator.OPERATOR_OR);
        assertThat(or.getFilters(1).getOperator()).isEqualTo(Filters.Operator.OPERATOR_NOT);
    }

    @Test
    void mapsContainsAnyOverTextLists() {
        Filters f = proto(VectorFilter.containsAny("tags", List.of("momentum", "breakout")));
        assertThat(f.getOperator()).isEqualTo(Filters.Operator.OPERATOR_CONTAINS_ANY);
        assertThat(f.getValueTextArray().getValuesList()).containsExactly("momentum", "breakout");
    }

    @Test
    void mapsLikeAndIsNull() {
        assertThat(proto(VectorFilter.like("symbol", "AA*")).getOperator()).isEqualTo(Filters.Operator.OPERATOR_LIKE);
        Filters n = proto(VectorFilter.isNull("expiry", true));
        assertThat(n.getOperator()).isEqualTo(Filters.Operator.OPERATOR_IS_NULL);
        assertThat(n.getValueBoolean()).isTrue();
    }

    @Test
    void rejectsValuesTheServerCannotCompare() {
        assertThatThrownBy(() -> VectorFilter.eq("symbol", new Object()))
                .hasMessageContaining("'symbol'").hasMessageContaining("unsupported type");
        assertThatThrownBy(() -> VectorFilter.eq("symbol", null)).hasMessageContaining("isNull()");
        assertThatThrownBy(() -> VectorFilter.containsAny("tags", List.of("a", 1)))
                .hasMessageContaining("one type");
        assertThatThrownBy(() -> VectorFilter.containsAll("tags", List.of())).hasMessageContaining("non-empty");
        assertThatThrownBy(VectorFilter::and).hasMessageContaining("at least one");
        assertThatThrownBy(() -> VectorFilter.eq("sym bol", "x")).hasMessageContaining("property name");
    }
}
