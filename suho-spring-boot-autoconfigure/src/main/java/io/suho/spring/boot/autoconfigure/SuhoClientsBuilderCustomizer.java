package io.suho.spring.boot.autoconfigure;

import io.suho.client.core.SuhoClients;

/**
 * Adjusts the {@link SuhoClients.Builder} the auto-configuration prepared (from the Spring {@code Environment}, with
 * the context's {@code MeterRegistry}) before it builds: declare beans of this type to add a module built in code,
 * resilience settings per store, or any key. Applied in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface SuhoClientsBuilderCustomizer {
    void customize(SuhoClients.Builder builder);
}
