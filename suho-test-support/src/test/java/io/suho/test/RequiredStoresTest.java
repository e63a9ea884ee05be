package io.suho.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventConditions;
import org.junit.platform.testkit.engine.TestExecutionResultConditions;

/** A required store that cannot be had fails the test; the same store not required only skips it. */
class RequiredStoresTest {

    static class NeedsWeaviate {
        @Test
        void usesIt(@RealStore(StoreKind.WEAVIATE) StoreServer server) {
            assertThat(server.port()).isPositive();
        }
    }

    static class StopsAnExplicitServer {
        @Test
        void wouldStopIt() {
            new StoreServer(StoreKind.KAFKA, "broker.example", 9092, null, null, null, "env")
                    .requireLocal("wouldStopIt", "stop Kafka");
        }
    }

    @AfterEach
    void restore() {
        RequiredStores.overrideForTest(null);
    }

    private static void assumeNoWeaviate() {
        Assumptions.assumeTrue(System.getenv("SUHO_WEAVIATE_URL") == null
                && !Files.exists(Path.of("/var/run/docker.sock")),
                "a Weaviate server is available here, so the missing-store path cannot be shown");
    }

    @Test
    void parsesLocalNamesAndKindNamesCaseInsensitively() {
        assertThat(RequiredStores.parse("postgres, Redis,nats,clickhouse,kafka", "x")).containsExactlyInAnyOrder(
                StoreKind.POSTGRES, StoreKind.REDIS, StoreKind.NATS, StoreKind.CLICKHOUSE, StoreKind.KAFKA);
        assertThat(RequiredStores.parse("postgres-replica,WEAVIATE,dragonfly", "x")).containsExactlyInAnyOrder(
                StoreKind.POSTGRES_REPLICA, StoreKind.WEAVIATE, StoreKind.DRAGONFLY);
        assertThat(RequiredStores.parse(" , ", "x")).isEmpty();
    }

    @Test
    void anUnknownNameIsAnErrorNamingTheSettingAndTheValidNames() {
        assertThatThrownBy(() -> RequiredStores.parse("postgres,mysql", "-Dsuho.test.require"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dsuho.test.require").hasMessageContaining("'mysql'")
                .hasMessageContaining("postgres, postgres-replica, redis");
    }

    @Test
    void aRequiredStoreThatCannotBeHadFailsTheTestNamingTheStore() {
        assumeNoWeaviate();
        RequiredStores.overrideForTest(Set.of(StoreKind.WEAVIATE));
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsWeaviate.class)).execute();
        results.allEvents().assertStatistics(s -> s.skipped(0).failed(1));
        results.allEvents().failed().assertThatEvents().haveExactly(1, EventConditions.finishedWithFailure(
                TestExecutionResultConditions.instanceOf(RequiredStores.MissingStoreError.class),
                TestExecutionResultConditions.message(m -> m.contains("REQUIRED store WEAVIATE")
                        && m.contains("SUHO_WEAVIATE_URL is not set"))));
    }

    @Test
    void theSameStoreNotRequiredIsSkipped() {
        assumeNoWeaviate();
        RequiredStores.overrideForTest(Set.of(StoreKind.POSTGRES));
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsWeaviate.class)).execute();
        results.testEvents().assertStatistics(s -> s.skipped(1).failed(0).succeeded(0));
    }

    @Test
    void aFaultTestOnANonLocalServerSkipsUnlessItsStoreIsRequired() {
        RequiredStores.overrideForTest(Set.of());
        var skipped = EngineTestKit.engine("junit-jupiter").selectors(selectClass(StopsAnExplicitServer.class))
                .execute();
        skipped.testEvents().assertStatistics(s -> s.skipped(0).aborted(1).failed(0));

        RequiredStores.overrideForTest(Set.of(StoreKind.KAFKA));
        var failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(StopsAnExplicitServer.class))
                .execute();
        failed.testEvents().assertStatistics(s -> s.aborted(0).failed(1));
        failed.testEvents().failed().assertThatEvents().haveExactly(1, EventConditions.finishedWithFailure(
                TestExecutionResultConditions.message(m -> m.contains("needs the local stack to stop Kafka")
                        && m.contains("unset SUHO_KAFKA_BOOTSTRAP"))));
    }
}
