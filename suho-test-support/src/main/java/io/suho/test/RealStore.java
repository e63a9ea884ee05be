package io.suho.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks for a real server: annotate a test or lifecycle method parameter of type {@link StoreServer}. The server
 * comes from the kind's environment variable, else Testcontainers when a Docker engine answers, else the local
 * stack ({@code infra/local/up}, started if needed); when none can provide it the test is <em>skipped</em> with
 * the reason printed, never passed.
 *
 * <pre>{@code
 * @Test
 * void roundTrip(@RealStore(StoreKind.POSTGRES) StoreServer pg) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.TYPE})
@ExtendWith(RealStoreExtension.class)
public @interface RealStore {
    StoreKind value();
}
