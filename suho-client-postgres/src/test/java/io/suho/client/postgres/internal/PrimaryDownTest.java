package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.HostPort;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.FailureKind;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PrimaryDownTest {
    private final PrimaryDown down = new PrimaryDown(java.util.Set.of(HostPort.parse("db1:5432", 5432)));

    @Test
    void aKnownDownRefusalIsUnavailableNotSentAndNamesTheOperation() {
        StoreUnavailableException e = down.unavailable("insert");
        assertThat(e).hasMessage("postgres is unavailable: insert was not sent: no writable PostgreSQL primary"
                + " answers among [db1:5432] (re-probing every " + Topology.REPROBE_MILLIS + " ms) [08001]");
        assertThat(e.breakerOpen()).isFalse();
        // the cause keeps the driver's view: 08001, no connection was made
        assertThat(e.getCause()).isInstanceOfSatisfying(PrimaryDown.Rejection.class, r -> {
            assertThat(r.getSQLState()).isEqualTo("08001");
            assertThat(PostgresFailures.POLICY.classify(r).kind()).isEqualTo(FailureKind.UNAVAILABLE);
        });
    }

    @Test
    void refusalsCarryNoStackTrace() {
        StoreUnavailableException e = down.unavailable("select");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(((SQLException) e.getCause()).getStackTrace()).isEmpty();
    }
}
