package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.vector.DistanceMetric;
import io.suho.client.vector.PropertyType;
import io.suho.client.vector.SchemaMismatchException;
import io.suho.client.vector.VectorCollection;
import io.suho.client.vector.VectorFilter;
import io.suho.client.vector.VectorObject;
import io.suho.client.vector.VectorQuery;
import io.weaviate.client6.v1.api.collections.CollectionConfig;
import io.weaviate.client6.v1.api.collections.Property;
import io.weaviate.client6.v1.api.collections.VectorConfig;
import io.weaviate.client6.v1.api.collections.WeaviateObject;
import io.weaviate.client6.v1.api.collections.vectorindex.Distance;
import io.weaviate.client6.v1.api.collections.vectorindex.Hnsw;
import io.weaviate.client6.v1.api.collections.vectorizers.SelfProvidedVectorizer;
import io.weaviate.client6.v1.internal.grpc.protocol.WeaviateProtoSearchGet.SearchRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the requests the client builds (collection definitions, objects, searches) without a server. */
class RequestBuildingTest {
    private static final VectorCollection INSIGHTS = VectorCollection.builder("TradingInsight")
            .property("symbol", PropertyType.TEXT).property("confidence", PropertyType.NUMBER)
            .distance(DistanceMetric.DOT).build();

    @Test
    void declaresCallerProvidedVectorsWithTheChosenDistance() {
        CollectionConfig c = WeaviateVectorClient.toConfig(INSIGHTS);
        assertThat(c.collectionName()).isEqualTo("TradingInsight");
        assertThat(c.properties()).extracting(Property::propertyName).containsExactlyInAnyOrder("symbol", "confidence");
        VectorConfig v = c.vectors().get("default");
        assertThat(v).isInstanceOf(SelfProvidedVectorizer.class);
        assertThat(((Hnsw) v.vectorIndex()).distance()).isEqualTo(Distance.DOT);
    }

    @Test
    void anIdenticalServerCollectionNeedsNothing() {
        assertThat(WeaviateVectorClient.missingProperties(INSIGHTS, WeaviateVectorClient.toConfig(INSIGHTS))).isEmpty();
    }

    @Test
    void findsPropertiesTheServerLacks() {
        CollectionConfig server = CollectionConfig.of("TradingInsight", b -> b.properties(Property.text("symbol"))
                .vectorConfig(VectorConfig.selfProvided("default", v -> v.vectorIndex(Hnsw.of(h -> h.distance(
                        Distance.DOT))))));
        assertThat(WeaviateVectorClient.missingProperties(INSIGHTS, server)).extracting(Property::propertyName)
                .containsExactly("confidence");
    }

    @Test
    void refusesAPropertyOfAnotherType() {
        CollectionConfig server = CollectionConfig.of("TradingInsight", b -> b.properties(Property.integer("symbol")));
        assertThatThrownBy(() -> WeaviateVectorClient.missingProperties(INSIGHTS, server))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("property 'symbol' is [int]").hasMessageContaining("declared text");
    }

    @Test
    void refusesAnotherDistanceMetric() {
        CollectionConfig server = CollectionConfig.of("TradingInsight", b -> b
                .properties(Property.text("symbol"), Property.number("confidence"))
                .vectorConfig(VectorConfig.selfProvided("default", v -> v.vectorIndex(Hnsw.of(h -> h.distance(
                        Distance.COSINE))))));
        assertThatThrownBy(() -> WeaviateVectorClient.missingProperties(INSIGHTS, server))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("distance is COSINE");
    }

    @Test
    void buildsObjectsWithIdPropertiesAndNamedVector() {
        String id = VectorObject.idFor("insight-1");
        Instant at = Instant.parse("2026-01-02T10:15:30Z");
        WeaviateObject<Map<String, Object>> o = WeaviateVectorClient.toWeaviate(
                VectorObject.of(id, Map.of("symbol", "AAPL", "at", at), new float[] {0.1f, 0.2f}));
        assertThat(o.uuid()).isEqualTo(id);
        assertThat(o.properties()).containsEntry("symbol", "AAPL")
                .containsEntry("at", OffsetDateTime.parse("2026-01-02T10:15:30Z"));
        assertThat(o.vectors().getSingle("default")).containsExactly(0.1f, 0.2f);
    }

    @Test
    void rejectsPropertyValuesTheDriverWouldDrop() {
        String id = VectorObject.idFor("x");
        assertThatThrownBy(() -> WeaviateVectorClient.toWeaviate(
                VectorObject.of(id, Map.of("price", new StringBuilder("1")), new float[] {1f})))
                .hasMessageContaining("property 'price'").hasMessageContaining(id);
    }

    @Test
    void nearVectorCarriesLimitDistanceFilterAndMetadata() {
        VectorQuery q = VectorQuery.nearVector(new float[] {1f, 0f}).limit(7).maxDistance(0.25f)
                .filter(VectorFilter.eq("symbol", "AAPL"));
        SearchRequest.Builder req = SearchRequest.newBuilder();
        WeaviateVectorClient.toNearVector(q).appendTo(req);
        assertThat(req.getLimit()).isEqualTo(7);
        assertThat(req.getNearVector().getDistance()).isEqualTo(0.25, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(req.getFilters().getValueText()).isEqualTo("AAPL");
        assertThat(req.getMetadata().getDistance()).isTrue();
        assertThat(req.getMetadata().getUuid()).isTrue();
    }

    @Test
    void hybridCarriesTextAlphaAndTheCallersVector() {
        VectorQuery q = VectorQuery.hybrid("earnings beat", new float[] {0.5f, 0.5f}).alpha(0.3f).limit(3);
        SearchRequest.Builder req = SearchRequest.newBuilder();
        WeaviateVectorClient.toHybrid(q).appendTo(req);
        assertThat(req.getHybridSearch().getQuery()).isEqualTo("earnings beat");
        assertThat(req.getHybridSearch().getAlphaParam()).isEqualTo(0.3f);
        assertThat(req.getHybridSearch().hasNearVector()).isTrue();
        assertThat(req.getLimit()).isEqualTo(3);
        assertThat(req.getMetadata().getScore()).isTrue();
    }

    @Test
    void queryOptionsAreValidated() {
        VectorQuery near = VectorQuery.nearVector(new float[] {1f});
        assertThatThrownBy(() -> near.limit(0)).hasMessageContaining("limit 0");
        assertThatThrownBy(() -> near.alpha(0.5f)).hasMessageContaining("hybrid search only");
        assertThatThrownBy(() -> VectorQuery.hybrid("x", new float[] {1f}).maxDistance(1f))
                .hasMessageContaining("near-vector search only");
        assertThatThrownBy(() -> VectorQuery.hybrid("x", new float[] {1f}).alpha(1.5f)).hasMessageContaining("0..1");
        assertThatThrownBy(() -> VectorQuery.nearVector(new float[0])).hasMessageContaining("empty");
        assertThat(near.limit(5).filter(VectorFilter.eq("a", 1)).limit()).isEqualTo(5);
        assertThat(near.limit()).isEqualTo(10);
    }

    @Test
    void collectionDeclarationsAreValidated() {
        assertThatThrownBy(() -> VectorCollection.builder("Trades").property("a", PropertyType.TEXT)
                .property("a", PropertyType.INT)).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> VectorCollection.builder("trades")).hasMessageContaining("upper-case");
        assertThat(List.copyOf(INSIGHTS.properties().keySet())).containsExactly("symbol", "confidence");
    }
}
