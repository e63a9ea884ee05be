package io.suho.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each boundary rule, run on the classes of {@code io.suho.architecture.fixture} (which break every rule on purpose and
 * keep it in a few places), reports exactly the planted violations: a rule that stopped seeing anything would pass on
 * the real code too, and this test would fail.
 */
class BoundaryRulesCatchViolationsTest {
    private static final String FIXTURE = "io.suho.architecture.fixture";

    private final BoundaryRules rules = new BoundaryRules(FIXTURE);
    private final JavaClasses fixtures = new ClassFileImporter().importPackages(FIXTURE);

    private List<String> violations(ArchRule rule) {
        return rule.evaluate(fixtures).getFailureReport().getDetails();
    }

    @Test
    void useOfAnotherModulesInternalPackageIsReported() {
        assertThat(violations(rules.noAccessToOtherModulesInternals()))
                .singleElement().asString()
                .startsWith("suho-hub-server uses suho-client-postgres's internals: ")
                .contains(FIXTURE + ".hub.ReachesIn.peek()", "PostgresSecret");
    }

    @Test
    void storeOnStoreAndEventsOnStoreDependenciesAreReported() {
        assertThat(violations(rules.storeModulesSideBySideOnCore()))
                .anySatisfy(v -> assertThat(v).startsWith("suho-client-cache may use only suho-client-core, not "
                        + "suho-client-postgres: ").contains("NeedsPostgres.postgres"))
                .anySatisfy(v -> assertThat(v).startsWith("suho-events may use only suho-client-core, not "
                        + "suho-client-postgres: ").contains("EnvelopeNeedsPostgres.postgres"))
                .hasSize(2);
    }

    @Test
    void internalTypesInPublicSignaturesAreReported() {
        String hidden = FIXTURE + ".client.vector.internal.Hidden";
        assertThat(violations(rules.noInternalTypeInPublicSignatures()))
                .anySatisfy(v -> assertThat(v).contains("LeakyApi.leakedField has internal field type " + hidden))
                .anySatisfy(v -> assertThat(v).contains("LeakyApi.leakedReturn() has internal return type " + hidden))
                .anySatisfy(v -> assertThat(v).contains("LeakyApi.leakedParameter(java.util.Optional) has internal "
                        + "parameter type " + hidden))
                .anySatisfy(v -> assertThat(v).contains("LeakyApi$LeakedSuperclass has internal superclass " + hidden))
                .noneSatisfy(v -> assertThat(v).containsAnyOf("privateFieldIsFine", "packagePrivateIsFine"))
                .hasSize(4);
    }

    @Test
    void aStoreModuleOutsideInternalWithoutRuntimeAndSettingsIsReported() {
        assertThat(violations(rules.storeModuleFileSet()))
                .anySatisfy(v -> assertThat(v).startsWith(FIXTURE + ".client.graph.GraphModule is not in "
                        + FIXTURE + ".client.graph.internal"))
                .anySatisfy(v -> assertThat(v).contains("GraphModule has no GraphRuntime implementing StartedStore"))
                .anySatisfy(v -> assertThat(v).contains("GraphModule has no GraphSettings"))
                .noneSatisfy(v -> assertThat(v).contains("CacheModule"))
                .hasSize(3);
        assertThat(rules.storesWithoutAStoreModule(fixtures)).containsExactly("suho-client-postgres",
                "suho-client-analytics", "suho-client-vector", "suho-client-messaging");
    }

    @Test
    void grpcInCoreIsReported() {
        assertThat(violations(rules.coreUsesNoGrpc()))
                .hasSize(2) // the return type and the field read
                .allSatisfy(v -> assertThat(v).startsWith("suho-client-core uses gRPC: ")
                        .contains(FIXTURE + ".client.core.internal.UsesGrpc.code()", "io.grpc.Status$Code"));
    }

    @Test
    void aStoreClientNotNamedForItsDriverIsReported() {
        assertThat(violations(rules.storeClientNaming()))
                .anySatisfy(v -> assertThat(v).startsWith(FIXTURE + ".client.graph.internal.GraphClientImpl implements "
                        + "GraphClient but is not " + FIXTURE + ".client.graph.internal.<Driver>GraphClient"))
                .anySatisfy(v -> assertThat(v).startsWith(FIXTURE + ".client.graph.internal.DefaultGraphClient "
                        + "implements GraphClient"))
                .noneSatisfy(v -> assertThat(v).contains("RedisCacheClient"))
                .hasSize(2);
    }
}
