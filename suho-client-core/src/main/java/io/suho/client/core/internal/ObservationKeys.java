package io.suho.client.core.internal;

import io.suho.client.core.ConfigKey;
import java.util.List;

/** The keys of store-call observations (traces), each with its one default. */
public final class ObservationKeys {
    private ObservationKeys() {
    }

    /** {@code suho.observation.statements}: whether statement text goes on observations (off: it may carry data). */
    public static final ConfigKey<Boolean> STATEMENTS = ConfigKey.bool("suho.observation.statements",
            "Add the statement text (SQL, ClickHouse query) to store-call observations as db.query.text "
                    + "(true/false); off by default because statements may carry data.", false);

    /** Every observation key, for validation and docs. */
    public static final List<ConfigKey<?>> ALL = List.of(STATEMENTS);
}
