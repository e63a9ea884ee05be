package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.HostPort;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreUnavailableException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrimaryDownTest {
    private final PrimaryDown down = new PrimaryDown(Set.of(HostPort.parse("db1:5432", 5432)));

    @Test
    void aKnownDownRefusalIsUnavailableNotSentAndNamesTheOperation() {
        PrimaryDown.Rejection r = down.rejection();
        assertThat(r.getSQLState()).isEqualTo("08001");
        assertThat(PostgresFailures.classify(r)).isEqualTo(FailureKind.UNAVAILABLE);
        RuntimeException e = PostgresFailures.translate("insert", r, FailureKind.UNAVAILABLE,
                ResilienceConfig.defaults());
        assertThat(e).isInstanceOf(StoreUnavailableException.class)
                .hasMessage("postgres is unavailable: insert failed [08001]: no writable PostgreSQL primary answers"
                        + " among [db1:5432] (re-probing every " + Topology.REPROBE_MILLIS + " ms)")
                .hasCause(r);
        assertThat(((StoreUnavailableException) e).breakerOpen()).isFalse();
    }

    @Test
    void refusalsCarryNoStackTrace() {
        PrimaryDown.Rejection r = down.rejection();
        assertThat(r.getStackTrace()).isEmpty();
        assertThat(down.unavailable("select", r).getStackTrace()).isEmpty();
    }
}
