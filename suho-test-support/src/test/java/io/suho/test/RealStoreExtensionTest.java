package io.suho.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventConditions;

/** A server no source can provide (Weaviate here: no env URL, no Docker, no local stack) makes the test skipped. */
class RealStoreExtensionTest {

    static class NeedsWeaviate {
        @Test
        void usesIt(@RealStore(StoreKind.WEAVIATE) StoreServer server) {
            assertThat(server).isNotNull();
        }
    }

    @Test
    void aTestWhoseServerCannotBeHadIsSkippedWithTheReasonNotFailed() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SUHO_WEAVIATE_URL") == null
                && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock")),
                "a Weaviate server is available here, so the skip path cannot be shown");
        RequiredStores.overrideForTest(java.util.Set.of()); // this test is about the skip, whatever CI requires
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsWeaviate.class)).execute();
        results.testEvents().assertStatistics(s -> s.skipped(1).failed(0).succeeded(0));
        results.testEvents().skipped().assertThatEvents().haveExactly(1,
                EventConditions.event(EventConditions.skippedWithReason(r -> r.contains("no real WEAVIATE server")
                        && r.contains("SUHO_WEAVIATE_URL is not set"))));
        RequiredStores.overrideForTest(null);
    }
}
