package io.suho.test;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link StoreServer} parameters annotated {@link RealStore}. When no server can be had, the test is
 * aborted through {@link Assumptions} (reported as skipped) and the reason is printed to stderr, so a missing
 * server is never mistaken for a pass.
 */
public final class RealStoreExtension implements ParameterResolver {

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

    /** Resolves a server or skips the current test with the reason printed. */
    public static StoreServer require(StoreKind kind, String testName) {
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (!r.available()) {
            String msg = "SKIPPED " + testName + ": no real " + kind + " server: " + r.reason();
            System.err.println(msg);
            Assumptions.abort(msg);
        }
        return r.server();
    }
}
