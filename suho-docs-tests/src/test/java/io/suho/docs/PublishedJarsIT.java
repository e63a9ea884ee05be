package io.suho.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Jars an IDE understands: every published module of this reactor (those that name an
 * {@code automatic.module.name}) was packaged with that name in its manifest, a sources jar and, when it has code, a
 * javadoc jar. Runs after {@code package}, against the reactor's {@code target/} directories.
 */
class PublishedJarsIT {
    private static final Pattern NAME = Pattern.compile("<automatic.module.name>([^<]+)</automatic.module.name>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    @Test
    void everyPublishedModuleHasItsModuleNameSourcesAndJavadoc() throws IOException {
        Path root = DocSnippetsTest.projectRoot();
        String version = System.getProperty("suho.version", "0.1.0-SNAPSHOT");
        List<String> checked = new ArrayList<>();
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        while (modules.find()) {
            Path dir = root.resolve(modules.group(1).trim());
            String pom = Files.readString(dir.resolve("pom.xml"));
            Matcher name = NAME.matcher(pom);
            if (!name.find()) {
                continue; // build-only module
            }
            Matcher artifact = ARTIFACT.matcher(pom.replaceFirst("(?s)<parent>.*?</parent>", ""));
            assertThat(artifact.find()).isTrue();
            String base = artifact.group(1) + "-" + version;
            Path jar = dir.resolve("target").resolve(base + ".jar");
            assertThat(jar).as("packaged jar of %s", dir).exists();
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                        .as("Automatic-Module-Name of %s", jar.getFileName()).isEqualTo(name.group(1));
            }
            if (Files.isDirectory(dir.resolve("src/main/java"))) {
                assertThat(dir.resolve("target").resolve(base + "-sources.jar")).exists();
                assertThat(dir.resolve("target").resolve(base + "-javadoc.jar")).exists();
            }
            checked.add(artifact.group(1));
        }
        assertThat(checked).contains("suho-client-core", "suho-client-postgres", "suho-client-cache",
                "suho-client-messaging", "suho-events", "suho-pipelines");
    }
}
