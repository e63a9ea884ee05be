package io.suho.spring.boot.autoconfigure;

import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds a {@code suho} entry to {@code /actuator/info}: service name, hub instance id, the endpoint catalog version in
 * use (-1 when none came from the hub or the file) and each started store's breaker state.
 */
@AutoConfiguration(after = SuhoAutoConfiguration.class)
@ConditionalOnClass({SuhoClients.class, InfoContributor.class})
@ConditionalOnBean(SuhoClients.class)
public class SuhoInfoAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "suhoInfoContributor")
    public InfoContributor suhoInfoContributor(SuhoClients suho) {
        return builder -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("service", suho.serviceName());
            info.put("instanceId", suho.instanceId());
            info.put("endpointVersion", suho.endpointVersion());
            Map<String, String> breakers = new LinkedHashMap<>();
            for (Map.Entry<Store, String> e : suho.breakerStates().entrySet()) {
                breakers.put(e.getKey().id(), e.getValue());
            }
            info.put("breakers", breakers);
            builder.withDetail("suho", info);
        };
    }
}
