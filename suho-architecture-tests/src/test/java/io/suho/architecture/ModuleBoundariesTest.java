package io.suho.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The module boundaries of the Suho code base ({@code io.suho}), checked on the main classes of every module on this
 * module's test classpath. A failure lists each violation with its class and line; {@code docs/architecture.md}
 * ("Boundaries") says what each rule is for. {@link BoundaryRulesCatchViolationsTest} shows that each rule fails on a
 * violation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleBoundariesTest {

    /** Modules whose main classes must have been imported: a rule over a missing module would pass vacuously. */
    private static final List<String> EXPECTED_MODULES = List.of("suho-client-core", "suho-events",
            "suho-client-postgres", "suho-client-cache", "suho-client-analytics", "suho-client-vector",
            "suho-client-graph", "suho-client-messaging", "suho-pipelines", "suho-hub-server", "suho-benchmarks",
            "suho-test-support", "suho-hub-api", "suho-hub-grpc");

    private final BoundaryRules rules = new BoundaryRules("io.suho");
    private JavaClasses classes;

    @BeforeAll
    void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ModuleBoundariesTest::onlyBenchmarkClassesFromTheBenchmarkJar)
                .importPackages("io.suho");
    }

    /**
     * suho-benchmarks is a shaded jar with a copy of every module inside: from it take only its own classes, so each
     * module's classes come from that module's jar.
     */
    private static boolean onlyBenchmarkClassesFromTheBenchmarkJar(com.tngtech.archunit.core.importer.Location l) {
        return !l.contains("suho-benchmarks") || l.contains("/io/suho/bench/");
    }

    @Test
    void everyModuleIsImported() {
        SuhoModules modules = new SuhoModules("io.suho");
        List<String> found = classes.stream().map(modules::moduleOf).flatMap(Optional::stream).distinct().toList();
        assertThat(found).as("modules with main classes on the test classpath").containsAll(EXPECTED_MODULES);
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        rules.noAccessToOtherModulesInternals().check(classes);
    }

    @Test
    void storeModulesDependOnlyOnCore() {
        rules.storeModulesSideBySideOnCore().check(classes);
    }

    @Test
    void noInternalTypeInAPublicSignature() {
        rules.noInternalTypeInPublicSignatures().check(classes);
    }

    @Test
    void everyStoreModuleHasTheSameFileSet() {
        assertThat(rules.storesWithoutAStoreModule(classes)).as("store modules without a StoreModule").isEmpty();
        rules.storeModuleFileSet().check(classes);
    }

    @Test
    void coreUsesNoGrpc() {
        rules.coreUsesNoGrpc().check(classes);
    }

    @Test
    void storeClientsAreNamedForTheirDriver() {
        rules.storeClientNaming().check(classes);
    }
}
