package io.suho.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The module boundary rules of issue 15, for the classes under one root package (see {@link SuhoModules}). Each rule
 * reports every violating dependency or member with its source location, so a red build names the line to change.
 */
final class BoundaryRules {

    /**
     * What each constrained module may depend on besides itself. Store modules sit side by side on core (messaging
     * also on the event envelope); the event envelope needs only core; core needs none of ours. Modules not listed
     * (pipelines, hub, benchmarks, test support) join the others and are not constrained here.
     */
    private static final Map<String, Set<String>> ALLOWED = allowedDependencies();

    private static final Set<String> NOT_A_DRIVER = Set.of("Default", "Abstract", "Base", "Simple", "Store");

    private final SuhoModules modules;

    BoundaryRules(String root) {
        this.modules = new SuhoModules(root);
    }

    private static Map<String, Set<String>> allowedDependencies() {
        Map<String, Set<String>> allowed = new HashMap<>();
        allowed.put(SuhoModules.CORE, Set.of());
        for (String store : SuhoModules.STORES) {
            allowed.put(SuhoModules.storeModule(store), Set.of(SuhoModules.CORE));
        }
        allowed.put(SuhoModules.storeModule("messaging"), Set.of(SuhoModules.CORE, SuhoModules.EVENTS));
        allowed.put(SuhoModules.EVENTS, Set.of(SuhoModules.CORE));
        return Map.copyOf(allowed);
    }

    /** Rule a: a class uses no other module's {@code internal} package (its own module's is fine). */
    ArchRule noAccessToOtherModulesInternals() {
        return classes().that(inASuhoModule())
                .should(new ArchCondition<JavaClass>("use no other module's internal package") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        String own = modules.moduleOf(origin).orElseThrow();
                        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                            JavaClass target = d.getTargetClass();
                            Optional<String> theirs = modules.moduleOf(target);
                            if (theirs.isPresent() && !theirs.get().equals(own) && SuhoModules.isInternal(target)) {
                                events.add(SimpleConditionEvent.violated(d,
                                        own + " uses " + theirs.get() + "'s internals: " + d.getDescription()));
                            }
                        }
                    }
                })
                .because("a module's internal package is its implementation, free to change without notice; other "
                        + "modules (and users) go through its public API or core's spi");
    }

    /**
     * Rule b: no store module depends on another store module, nor on events or pipelines (messaging may use events);
     * events depends only on core; core on none of ours.
     */
    ArchRule storeModulesSideBySideOnCore() {
        return classes().that(inAConstrainedModule())
                .should(new ArchCondition<JavaClass>("depend only on the modules their module may use") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        String own = modules.moduleOf(origin).orElseThrow();
                        Set<String> allowed = ALLOWED.get(own);
                        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                            Optional<String> theirs = modules.moduleOf(d.getTargetClass());
                            if (theirs.isPresent() && !theirs.get().equals(own) && !allowed.contains(theirs.get())) {
                                events.add(SimpleConditionEvent.violated(d, own + " may use only "
                                        + allowedText(allowed) + ", not " + theirs.get() + ": " + d.getDescription()));
                            }
                        }
                    }
                })
                .because("store modules sit side by side on suho-client-core (messaging also on suho-events), so a "
                        + "team that wants one store gets only that store's driver on its classpath; what joins stores "
                        + "(the outbox relay, the event sink) lives in suho-pipelines");
    }

    /**
     * Rule f: core names no gRPC or protobuf type, so a service that does not add the optional {@code suho-hub-grpc}
     * module keeps the HTTP hub client and has no grpc-java on its classpath (the gRPC transport plugs into core's hub
     * transport SPI through {@link java.util.ServiceLoader}).
     */
    ArchRule coreUsesNoGrpc() {
        return classes().that(inCore())
                .should(new ArchCondition<JavaClass>("use no gRPC or protobuf type") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                            String pkg = d.getTargetClass().getBaseComponentType().getPackageName();
                            if (pkg.equals("io.grpc") || pkg.startsWith("io.grpc.")
                                    || pkg.startsWith("com.google.protobuf")) {
                                events.add(SimpleConditionEvent.violated(d, SuhoModules.CORE + " uses gRPC: "
                                        + d.getDescription()));
                            }
                        }
                    }
                })
                .allowEmptyShould(false)
                .because("gRPC is opt-in (io.suho:suho-hub-grpc with suho.hub.transport=grpc): every service has core, "
                        + "and core's hub client is java.net.http");
    }

    private DescribedPredicate<JavaClass> inCore() {
        return DescribedPredicate.describe("are in suho-client-core",
                c -> modules.moduleOf(c).filter(SuhoModules.CORE::equals).isPresent());
    }

    private static String allowedText(Set<String> allowed) {
        return allowed.isEmpty() ? "itself" : String.join(" and ", new TreeSet<>(allowed));
    }

    /**
     * Rule c: no {@code internal} type in a public signature of a public type outside {@code internal}: superclass,
     * interfaces, type parameter bounds, and the return, parameter, exception and field types of its public (and, in
     * a class that can be extended, protected) members, type arguments included.
     */
    ArchRule noInternalTypeInPublicSignatures() {
        return classes().that(arePublicApi())
                .should(new ArchCondition<JavaClass>("expose no internal type in a public signature") {
                    @Override
                    public void check(JavaClass api, ConditionEvents events) {
                        List<String> leaks = new ArrayList<>();
                        String at = " in " + api.getSourceCodeLocation();
                        api.getSuperclass().ifPresent(t -> leaks(t, "superclass", api.getName(), at, leaks));
                        for (JavaType t : api.getInterfaces()) {
                            leaks(t, "interface", api.getName(), at, leaks);
                        }
                        for (JavaTypeVariable<JavaClass> v : api.getTypeParameters()) {
                            v.getBounds().forEach(b -> leaks(b, "type parameter bound", api.getName(), at, leaks));
                        }
                        for (JavaField f : api.getFields()) {
                            if (visible(api, f)) {
                                leaks(f.getType(), "field type", f.getFullName(), at, leaks);
                            }
                        }
                        for (JavaCodeUnit u : api.getCodeUnits()) {
                            if (visible(api, u)) {
                                codeUnitLeaks(u, leaks);
                            }
                        }
                        for (String leak : leaks) {
                            events.add(SimpleConditionEvent.violated(api, leak));
                        }
                    }
                })
                .because("a user imports nothing from internal: a public signature that names an internal type "
                        + "makes the implementation part of the API (callers compile against it, so it cannot change)");
    }

    private static void codeUnitLeaks(JavaCodeUnit u, List<String> leaks) {
        String at = " in " + u.getSourceCodeLocation();
        if (u instanceof JavaMethod) {
            leaks(u.getReturnType(), "return type", u.getFullName(), at, leaks);
        }
        for (JavaType p : u.getParameterTypes()) {
            leaks(p, "parameter type", u.getFullName(), at, leaks);
        }
        for (JavaClass thrown : u.getThrowsClause().getTypes()) {
            leaks(thrown, "thrown type", u.getFullName(), at, leaks);
        }
        for (JavaTypeVariable<? extends JavaCodeUnit> v : u.getTypeParameters()) {
            v.getBounds().forEach(b -> leaks(b, "type parameter bound", u.getFullName(), at, leaks));
        }
    }

    private static void leaks(JavaType type, String role, String where, String at, List<String> leaks) {
        for (JavaClass raw : type.getAllInvolvedRawTypes()) {
            if (SuhoModules.isInternal(raw)) {
                leaks.add(where + " has internal " + role + " " + raw.getName() + at);
            }
        }
    }

    /** Public members, and protected ones of a class a user may extend; never compiler-made bridges. */
    private static boolean visible(JavaClass owner, JavaMember member) {
        Set<JavaModifier> m = member.getModifiers();
        if (m.contains(JavaModifier.SYNTHETIC) || m.contains(JavaModifier.BRIDGE)) {
            return false;
        }
        return m.contains(JavaModifier.PUBLIC)
                || m.contains(JavaModifier.PROTECTED) && !owner.getModifiers().contains(JavaModifier.FINAL);
    }

    /**
     * Rule d, the store module's entry point: every {@link StoreModule} of a store module is
     * {@code <module>.internal.XxxModule}, beside an {@code XxxRuntime} (the {@link StartedStore}) and an
     * {@code XxxSettings}.
     */
    ArchRule storeModuleFileSet() {
        return classes().that(inAStoreModule()).and().implement(StoreModule.class)
                .should(new ArchCondition<JavaClass>("be internal XxxModule classes with an XxxRuntime (the started "
                        + "store) and an XxxSettings beside them") {
                    @Override
                    public void check(JavaClass module, ConditionEvents events) {
                        for (String problem : fileSetProblems(module)) {
                            events.add(SimpleConditionEvent.violated(module, module.getName() + problem + " in "
                                    + module.getSourceCodeLocation()));
                        }
                    }
                })
                .because("every store module has the same rooms, so a newcomer who knows one knows where to look in "
                        + "all: XxxModule (found by ServiceLoader), XxxRuntime (what it started), XxxSettings (its "
                        + "validated configuration)");
    }

    private List<String> fileSetProblems(JavaClass module) {
        List<String> problems = new ArrayList<>();
        String internal = modules.storePackage(storeOf(module).orElseThrow()) + ".internal";
        if (!module.getPackageName().equals(internal)) {
            problems.add(" is not in " + internal);
        }
        String name = module.getSimpleName();
        if (!name.endsWith("Module") || name.equals("Module")) {
            problems.add(" is not named XxxModule");
            return problems;
        }
        String xxx = name.substring(0, name.length() - "Module".length());
        JavaPackage pkg = module.getPackage();
        if (!pkg.containsClassWithSimpleName(xxx + "Runtime")
                || !pkg.getClassWithSimpleName(xxx + "Runtime").isAssignableTo(StartedStore.class)) {
            problems.add(" has no " + xxx + "Runtime implementing StartedStore beside it");
        }
        if (!pkg.containsClassWithSimpleName(xxx + "Settings")) {
            problems.add(" has no " + xxx + "Settings beside it");
        }
        return problems;
    }

    /**
     * Rule d, the store clients: each public {@code <Api>Client} interface at a store module's root is implemented in
     * its {@code internal} package, and only by classes named {@code <Driver><Api>Client}.
     */
    ArchRule storeClientNaming() {
        return classes().that(areStoreClientInterfaces())
                .should(new ArchCondition<JavaClass>("be implemented in the module's internal package by "
                        + "<Driver><Api>Client classes") {
                    @Override
                    public void check(JavaClass api, ConditionEvents events) {
                        String internal = modules.storePackage(storeOf(api).orElseThrow()) + ".internal";
                        String apiName = api.getSimpleName();
                        List<JavaClass> impls = api.getAllSubclasses().stream()
                                .filter(c -> !c.isInterface() && !c.isAnonymousClass()).toList();
                        if (impls.stream().noneMatch(c -> c.getPackageName().equals(internal))) {
                            events.add(SimpleConditionEvent.violated(api, api.getName()
                                    + " has no implementation in " + internal + " in " + api.getSourceCodeLocation()));
                        }
                        for (JavaClass impl : impls) {
                            String name = impl.getSimpleName();
                            String driver = name.endsWith(apiName) ? name.substring(0, name.length() - apiName.length())
                                    : "";
                            boolean named = !driver.isEmpty() && Character.isUpperCase(driver.charAt(0))
                                    && NOT_A_DRIVER.stream().noneMatch(driver::startsWith);
                            if (!named || !impl.getPackageName().equals(internal)) {
                                events.add(SimpleConditionEvent.violated(impl, impl.getName() + " implements "
                                        + apiName + " but is not " + internal + ".<Driver>" + apiName
                                        + " (e.g. Jdbc, Redis, ClickHouse, Weaviate, Arango, Jnats, Apache) in "
                                        + impl.getSourceCodeLocation()));
                            }
                        }
                    }
                })
                .because("the name of a store client's implementation says which driver it wraps (JdbcPostgresClient, "
                        + "ApacheKafkaClient), the same way in every store module");
    }

    /** Rule d, completeness: the store modules (of {@link SuhoModules#STORES}) that have no {@link StoreModule}. */
    List<String> storesWithoutAStoreModule(JavaClasses classes) {
        List<String> missing = new ArrayList<>();
        for (String store : SuhoModules.STORES) {
            String pkg = modules.storePackage(store);
            boolean found = classes.stream().anyMatch(c -> (c.getPackageName().equals(pkg)
                    || c.getPackageName().startsWith(pkg + ".")) && c.isAssignableTo(StoreModule.class));
            if (!found) {
                missing.add(SuhoModules.storeModule(store));
            }
        }
        return missing;
    }

    private Optional<String> storeOf(JavaClass c) {
        Optional<String> module = modules.moduleOf(c);
        return SuhoModules.STORES.stream().filter(s -> module.equals(Optional.of(SuhoModules.storeModule(s))))
                .findFirst();
    }

    private DescribedPredicate<JavaClass> inASuhoModule() {
        return DescribedPredicate.describe("are in a Suho module", c -> modules.moduleOf(c).isPresent());
    }

    private DescribedPredicate<JavaClass> inAConstrainedModule() {
        return DescribedPredicate.describe("are in core, a store module or events",
                c -> modules.moduleOf(c).filter(ALLOWED::containsKey).isPresent());
    }

    private DescribedPredicate<JavaClass> inAStoreModule() {
        return DescribedPredicate.describe("are in a store module", c -> storeOf(c).isPresent());
    }

    private DescribedPredicate<JavaClass> areStoreClientInterfaces() {
        return DescribedPredicate.describe("are public <Api>Client interfaces at a store module's root",
                c -> c.isInterface() && c.getModifiers().contains(JavaModifier.PUBLIC)
                        && c.getSimpleName().endsWith("Client")
                        && storeOf(c).map(s -> c.getPackageName().equals(modules.storePackage(s))).orElse(false));
    }

    /** Public types outside internal whose enclosing types are public too: what a user can name. */
    private DescribedPredicate<JavaClass> arePublicApi() {
        return DescribedPredicate.describe("are public types of a Suho module outside internal",
                c -> modules.moduleOf(c).isPresent() && !SuhoModules.isInternal(c) && !c.isAnonymousClass()
                        && publicAllTheWayOut(c));
    }

    private static boolean publicAllTheWayOut(JavaClass c) {
        for (Optional<JavaClass> k = Optional.of(c); k.isPresent(); k = k.get().getEnclosingClass()) {
            if (!k.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }
}
