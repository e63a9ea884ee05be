package io.suho.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.DeclaredKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code META-INF/spring-configuration-metadata.json} (IDE completion of {@code suho.*} keys in
 * {@code application.yml}) is generated from the keys the SDK declares ({@link DeclaredKeys} with every store module
 * on this test's classpath) and checked in. This test fails when a declared key is missing from the file or its
 * description, default or type changed; regenerate with
 * {@code mvn -pl suho-spring-boot-autoconfigure test -Dtest=ConfigurationMetadataTest -Dsuho.metadata.write=true}.
 */
class ConfigurationMetadataTest {
    private static final Path FILE = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void theCheckedInMetadataListsEveryDeclaredKey() throws Exception {
        Map<String, Object> expected = generate();
        String text = JSON.writeValueAsString(expected) + "\n";
        if (Boolean.getBoolean("suho.metadata.write")) {
            Files.writeString(FILE, text, StandardCharsets.UTF_8);
        }
        assertThat(FILE).as("run with -Dsuho.metadata.write=true to create it").exists();
        JsonNode actual = JSON.readTree(Files.readString(FILE, StandardCharsets.UTF_8));
        Set<String> inFile = new TreeSet<>();
        actual.get("properties").forEach(p -> inFile.add(p.get("name").asText()));
        Set<String> declared = new TreeSet<>();
        for (ConfigKey<?> key : DeclaredKeys.all(getClass().getClassLoader())) {
            declared.add(key.name());
        }
        assertThat(inFile).as("declared suho.* keys missing from " + FILE
                + "; regenerate with -Dsuho.metadata.write=true").containsAll(declared);
        assertThat(actual).as(FILE + " is out of date; regenerate with -Dsuho.metadata.write=true")
                .isEqualTo(JSON.readTree(text));
    }

    @Test
    void everyDeclaredKeyHasADescription() {
        for (ConfigKey<?> key : DeclaredKeys.all(getClass().getClassLoader())) {
            assertThat(key.description()).as(key.name()).isNotBlank();
        }
    }

    @Test
    void everyStoreModuleIsOnThisClasspathSoNoKeyIsLeftOut() {
        assertThat(DeclaredKeys.stores(getClass().getClassLoader())).hasSize(7);
    }

    static Map<String, Object> generate() {
        List<Map<String, Object>> properties = new ArrayList<>();
        for (ConfigKey<?> key : DeclaredKeys.all(ConfigurationMetadataTest.class.getClassLoader())) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", key.name());
            p.put("type", type(key));
            p.put("description", describe(key));
            p.put("sourceType", "io.suho.client.core.SuhoClients");
            Object def = defaultOf(key);
            if (def != null) {
                p.put("defaultValue", def);
            }
            properties.add(p);
        }
        List<Map<String, Object>> extra = new ArrayList<>();
        Map<String, Object> datasource = new LinkedHashMap<>();
        datasource.put("name", "suho.spring.datasource.enabled");
        datasource.put("type", "java.lang.Boolean");
        datasource.put("description", "Whether the SDK's PostgreSQL primary pool becomes the application's "
                + "DataSource bean (when no DataSource bean and no spring.datasource.url exist).");
        datasource.put("sourceType", "io.suho.spring.boot.autoconfigure.SuhoDataSourceAutoConfiguration");
        datasource.put("defaultValue", true);
        extra.add(datasource);
        for (Map<String, Object> e : extra) {
            if (properties.stream().noneMatch(p -> p.get("name").equals(e.get("name")))) {
                properties.add(e);
            }
        }
        properties.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", "suho");
        group.put("type", "io.suho.client.core.SuhoClients");
        group.put("description", "The Suho SDK: every key the SDK and its store modules declare "
                + "(docs/configuration.md); also read from SUHO_* variables and suho.* system properties.");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groups", List.of(group));
        out.put("properties", properties);
        out.put("hints", List.of());
        return out;
    }

    private static String describe(ConfigKey<?> key) {
        String d = key.description() == null ? "" : key.description().trim();
        if (key.defaultFrom() != null) {
            d += " Defaults to the value of " + key.defaultFrom().name() + ".";
        }
        if (key.secret()) {
            d += " Secret: never logged; may also come from a file named by " + key.name() + ".file.";
        }
        return d;
    }

    private static Object defaultOf(ConfigKey<?> key) {
        Object typed = key.typedDefault();
        if (typed instanceof Boolean || typed instanceof Integer || typed instanceof Long) {
            return typed;
        }
        return key.defaultValue();
    }

    private static String type(ConfigKey<?> key) {
        if (key.secret()) {
            return "java.lang.String";
        }
        Object typed = key.typedDefault();
        if (typed instanceof Boolean) {
            return "java.lang.Boolean";
        }
        if (typed instanceof Integer) {
            return "java.lang.Integer";
        }
        if (typed instanceof Long) {
            return "java.lang.Long";
        }
        if (typed instanceof Duration) {
            return "java.time.Duration";
        }
        return "java.lang.String";
    }
}
