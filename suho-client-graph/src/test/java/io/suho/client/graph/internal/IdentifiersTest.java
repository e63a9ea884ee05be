package io.suho.client.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void acceptsOrdinaryNames() {
        assertThat(Identifiers.collection("trades_with")).isEqualTo("trades_with");
        assertThat(Identifiers.graph("trading-network")).isEqualTo("trading-network");
        assertThat(Identifiers.database("suho_graph")).isEqualTo("suho_graph");
        assertThat(Identifiers.key("alice:2026-01-02")).isEqualTo("alice:2026-01-02");
        assertThat(Identifiers.documentId("traders/alice")).isEqualTo("traders/alice");
    }

    @Test
    void rejectsSystemCollectionsPathsAndAqlFragments() {
        for (String bad : new String[] {"_users", "trades/../_users", "trades RETURN 1", "1trades", "", "tr`x"}) {
            assertThatThrownBy(() -> Identifiers.collection(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("collection name");
        }
        assertThatThrownBy(() -> Identifiers.database("_system")).hasMessageContaining("database name");
    }

    @Test
    void rejectsKeysWithSlashesOrSpaces() {
        assertThatThrownBy(() -> Identifiers.key("a/b")).hasMessageContaining("document key 'a/b'");
        assertThatThrownBy(() -> Identifiers.key("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifiers.key("x".repeat(255))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void documentIdsAreCollectionSlashKey() {
        assertThatThrownBy(() -> Identifiers.documentId("alice")).hasMessageContaining("not collection/key");
        assertThatThrownBy(() -> Identifiers.documentId("a/b/c")).hasMessageContaining("not collection/key");
        assertThatThrownBy(() -> Identifiers.documentId("_users/root")).hasMessageContaining("collection name");
    }
}
