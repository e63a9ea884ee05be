package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.vector.VectorObject;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void acceptsWeaviateStyleCollectionNames() {
        assertThat(Names.collection("TradingInsight")).isEqualTo("TradingInsight");
        assertThat(Names.collection("Doc_2")).isEqualTo("Doc_2");
    }

    @Test
    void rejectsCollectionNamesWeaviateWouldRefuseOrThatCarryPaths() {
        for (String bad : new String[] {"tradingInsight", "1Doc", "Doc-x", "Doc/../schema", "", "Doc x"}) {
            assertThatThrownBy(() -> Names.collection(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("collection name");
        }
    }

    @Test
    void rejectsPropertyNamesWithOperatorsOrSpaces() {
        assertThat(Names.property("_score2")).isEqualTo("_score2");
        assertThatThrownBy(() -> Names.property("a b")).hasMessageContaining("property name 'a b'");
        assertThatThrownBy(() -> Names.property("a.b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalisesUuidsAndRejectsOtherIds() {
        assertThat(Names.objectId("6F1C2E9A-0000-4000-8000-000000000001"))
                .isEqualTo("6f1c2e9a-0000-4000-8000-000000000001");
        assertThatThrownBy(() -> Names.objectId("AAPL")).hasMessageContaining("is not a UUID")
                .hasMessageContaining("idFor");
    }

    @Test
    void stripsControlCharactersFromEchoedNames() {
        assertThatThrownBy(() -> Names.collection("Bad\nINFO forged"))
                .hasMessageContaining("Bad?INFO forged");
    }

    @Test
    void derivesStableIdsFromNaturalKeys() {
        String a = VectorObject.idFor("insight:AAPL:2026-01-02");
        assertThat(a).isEqualTo(VectorObject.idFor("insight:AAPL:2026-01-02"))
                .isNotEqualTo(VectorObject.idFor("insight:MSFT:2026-01-02"));
        assertThat(Names.objectId(a)).isEqualTo(a);
    }
}
