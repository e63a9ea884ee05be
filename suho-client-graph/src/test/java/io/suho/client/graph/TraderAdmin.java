package io.suho.client.graph;

import com.arangodb.model.PersistentIndexOptions;
import java.util.List;

/** The escape-hatch example of docs/graph.md, kept here so it compiles and runs in {@code GraphExecuteTest}. */
final class TraderAdmin {
    private final GraphClient graph;

    TraderAdmin(GraphClient graph) {
        this.graph = graph;
    }

    /** How many traders are stored: a collection count the SDK does not wrap. */
    long traders() {
        return graph.execute("traders.count", true, db -> db.collection("traders").count().getCount());
    }

    /** Creates the index by desk if it is missing (idempotent, so it may be retried); returns its id. */
    String indexByDesk() {
        return graph.execute("traders.index", true, db -> db.collection("traders")
                .ensurePersistentIndex(List.of("desk"), new PersistentIndexOptions().name("by_desk")).getId());
    }
}
