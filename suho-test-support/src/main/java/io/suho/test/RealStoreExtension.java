package io.suho.test;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link StoreServer} parameters annotated {@link RealStore}. Before a test class or method runs, it resolves
 * every server the class's lifecycle methods and the test method ask for; when one cannot be had, the test (or the
 * whole class) is reported as <em>skipped</em> with the reason, which is also printed to stderr — a missing server is
 * never mistaken for a pass. A kind listed in {@link RequiredStores} ({@code -Dsuho.test.require=…}, set by CI) fails
 * instead of skipping.
 */
public final class RealStoreExtension implements ParameterResolver, ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Set<StoreKind> kinds = new LinkedHashSet<>();
        if (context.getTestMethod().isPresent()) {
            collect(context.getTestMethod().get(), kinds);
        } else if (context.getTestClass().isPresent()) {
            Class<?> c = context.getTestClass().get();
            RealStore onClass = c.getAnnotation(RealStore.class);
            if (onClass != null) {
                kinds.add(onClass.value());
            }
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Method m : k.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(BeforeAll.class) || m.isAnnotationPresent(BeforeEach.class)
                            || m.isAnnotationPresent(AfterAll.class) || m.isAnnotationPresent(AfterEach.class)) {
                        collect(m, kinds);
                    }
                }
                for (var ctor : k.getDeclaredConstructors()) {
                    collect(ctor, kinds);
                }
            }
        }
        for (StoreKind kind : kinds) {
            StoreResolver.Resolution r = StoreResolver.resolve(kind);
            if (!r.available()) {
                String msg = context.getDisplayName() + ": no real " + kind + " server: " + r.reason();
                if (RequiredStores.isRequired(kind)) {
                    RequiredStores.unavailable(kind, msg); // throws: the test fails, naming the store and the reason
                }
                System.err.println("SKIPPED " + msg);
                return ConditionEvaluationResult.disabled(msg);
            }
        }
        return ConditionEvaluationResult.enabled(kinds.isEmpty() ? "no real store needed" : "real " + kinds + " available");
    }

    private static void collect(Executable executable, Set<StoreKind> kinds) {
        for (Parameter p : executable.getParameters()) {
            RealStore ann = p.getAnnotation(RealStore.class);
            if (ann != null && p.getType() == StoreServer.class) {
                kinds.add(ann.value());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StoreServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RealStore ann = parameter.findAnnotation(RealStore.class)
                .or(() -> context.getTestClass().map(c -> c.getAnnotation(RealStore.class)))
                .orElseThrow(() -> new ParameterResolutionException(
                        "annotate the StoreServer parameter with @RealStore(StoreKind.X)"));
        return require(ann.value(), context.getDisplayName());
    }

    /**
     * Resolves a server or aborts the current test with the reason printed. From {@code @BeforeAll} or a test body this
     * is reported as skipped; parameters are checked earlier by {@link #evaluateExecutionCondition}.
     */
    public static StoreServer require(StoreKind kind, String testName) {
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (!r.available()) {
            RequiredStores.unavailable(kind, testName + ": no real " + kind + " server: " + r.reason());
        }
        return r.server();
    }
}
