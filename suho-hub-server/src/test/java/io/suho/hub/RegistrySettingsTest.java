package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code SUHO_HUB_REGISTRY*}: where the registry lives and how the hub reaches a shared one. */
class RegistrySettingsTest {

    @Test
    void theRegistryIsInMemoryUnlessNatsIsAskedFor() {
        RegistrySettings r = HubConfig.from(Map.of()).registry();
        assertThat(r.nats()).isFalse();
        assertThat(r.backend()).isEqualTo("memory");
        assertThat(r.bucket()).isEqualTo("suho_registry");
    }

    @Test
    void natsUsesTheHubsNatsUrlWithItsCredentialsAndTheConfiguredBucket() {
        RegistrySettings r = HubConfig.from(Map.of("SUHO_HUB_REGISTRY", "nats", "SUHO_HUB_REGISTRY_BUCKET",
                "platform_a", "SUHO_HUB_REGISTRY_REPLICAS", "3",
                "NATS_URL", "nats://hub:s3cret-pass@nats-1:4222,nats://nats-2:4222")).registry();
        assertThat(r.nats()).isTrue();
        assertThat(r.natsServers()).isEqualTo(List.of("nats://nats-1:4222", "nats://nats-2:4222"));
        assertThat(r.user()).isEqualTo("hub");
        assertThat(r.password().reveal()).isEqualTo("s3cret-pass");
        assertThat(r.bucket()).isEqualTo("platform_a");
        assertThat(r.replicas()).isEqualTo(3);
        assertThat(r.toString()).doesNotContain("s3cret-pass");
    }

    @Test
    void aBadRegistrySettingNamesItsVariable() {
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_REGISTRY", "postgres")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SUHO_HUB_REGISTRY")
                .hasMessageContaining("memory").hasMessageContaining("nats");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_REGISTRY", "nats", "SUHO_HUB_REGISTRY_BUCKET",
                "a.b"))).isInstanceOf(ConfigurationException.class).hasMessageContaining("SUHO_HUB_REGISTRY_BUCKET");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_REGISTRY", "nats", "SUHO_HUB_REGISTRY_REPLICAS",
                "7"))).isInstanceOf(ConfigurationException.class).hasMessageContaining("SUHO_HUB_REGISTRY_REPLICAS");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_REGISTRY", "nats",
                "SUHO_HUB_REGISTRY_NATS_CREDS", "/nowhere/hub.creds"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SUHO_HUB_REGISTRY_NATS_CREDS").hasMessageContaining("/nowhere/hub.creds");
    }
}
