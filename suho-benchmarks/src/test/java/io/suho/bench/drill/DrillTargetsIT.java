package io.suho.bench.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.test.RealStore;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each drill target's accounting against its real local server: a second write of an id is a second copy where the
 * store keeps copies (PostgreSQL rows, ClickHouse rows, the cache's counter, Kafka records) and none where the server
 * itself dedups (JetStream's {@code Nats-Msg-Id}); the lookup finds what was written and nothing else; the read and the
 * plain-driver readiness check work while the server is up. Nothing here stops a server.
 */
@ExtendWith(RealStoreExtension.class)
class DrillTargetsIT {

    private static void check(DrillTarget t, StoreServer server, boolean storeKeepsCopies) throws Exception {
        server.requireLocal("DrillTargetsIT." + t.name(), "run the " + t.name() + " drill target");
        try (t) {
            t.setUp();
            String a = "a-" + UUID.randomUUID();
            String b = "b-" + UUID.randomUUID();
            String never = "never-" + UUID.randomUUID();
            t.write(a);
            t.write(b);
            t.write(b); // the same id again: a copy on raw storage unless the server dedups
            t.read(b);
            assertThat(t.nativeReady()).as("plain-driver readiness while the server is up").isTrue();
            t.exists(a).ifPresent(found -> assertThat(found).isTrue());
            t.exists(never).ifPresent(found -> assertThat(found).isFalse());

            DrillTarget.Account account = t.account(Set.copyOf(List.of(a, b, never)));
            assertThat(account.stored()).contains(a, b).doesNotContain(never);
            assertThat(account.rawCopies()).isEqualTo(storeKeepsCopies ? 1 : 0);
        }
    }

    @Test
    void postgres(@RealStore(StoreKind.POSTGRES) StoreServer server) throws Exception {
        check(new PostgresDrillTarget(), server, true);
    }

    @Test
    void cache(@RealStore(StoreKind.REDIS) StoreServer server) throws Exception {
        check(new CacheDrillTarget(), server, true);
    }

    @Test
    void analytics(@RealStore(StoreKind.CLICKHOUSE) StoreServer server) throws Exception {
        check(new AnalyticsDrillTarget(), server, true);
    }

    @Test
    void nats(@RealStore(StoreKind.NATS) StoreServer server) throws Exception {
        check(new NatsDrillTarget(), server, false);
    }

    @Test
    void kafka(@RealStore(StoreKind.KAFKA) StoreServer server) throws Exception {
        check(new KafkaDrillTarget(), server, true);
    }
}
