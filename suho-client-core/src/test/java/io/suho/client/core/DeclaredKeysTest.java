package io.suho.client.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** DeclaredKeys lists exactly the keys a built SuhoClients knows (so integrations feeding keys miss none). */
class DeclaredKeysTest {

    @Test
    void theSameKeysAsABuiltClient(@TempDir Path dir) {
        ClassLoader loader = getClass().getClassLoader();
        try (SuhoClients suho = SuhoClients.builder().serviceName("declared-keys").environment(Map.of())
                .systemProperties(new Properties()).endpointCacheFile(dir.resolve("endpoints.json"))
                .classLoader(loader).build()) {
            Set<String> known = new TreeSet<>();
            suho.config().knownKeys().forEach(k -> known.add(k.name()));
            Set<String> declared = new TreeSet<>();
            DeclaredKeys.all(loader).forEach(k -> declared.add(k.name()));
            assertThat(declared).isEqualTo(known);
        }
    }

    @Test
    void theSdksOwnKeysWithoutAnyModule() {
        Set<String> names = new TreeSet<>();
        DeclaredKeys.sdk().forEach(k -> names.add(k.name()));
        assertThat(names).contains("suho.service.name", "suho.hub.url", "suho.health.readiness");
    }
}
