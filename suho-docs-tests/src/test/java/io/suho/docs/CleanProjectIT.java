package io.suho.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A new user's project, exactly as docs/getting-started.md writes it: its {@code pom.xml} block (the BOM and four
 * modules) and its Java example are copied verbatim into an empty directory and built by a separate Maven process.
 *
 * <p>That build runs offline against a local repository of its own: every entry of the build's local repository is
 * linked into it, except {@code io/suho}, which holds this reactor's freshly built jars and poms, laid out as
 * {@code mvn install} lays them out. So it works inside {@code mvn verify} on a clean clone (nothing of ours needs
 * to be installed) and never sees stale {@code io.suho} snapshots from an earlier install.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CleanProjectIT {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("(?m)^public\\s+(?:final\\s+)?(?:class|record|interface)\\s+(\\w+)");

    private static Path root;
    private static Path project;
    private static String mainClass;

    @BeforeAll
    static void writeTheProject() throws IOException {
        root = DocSnippetsTest.projectRoot();
        project = Path.of("target", "clean-project").toAbsolutePath();
        deleteTree(project);
        Path app = project.resolve("order-service");
        Files.createDirectories(app);

        String guide = Files.readString(root.resolve("docs/getting-started.md"));
        String pom = firstBlock(guide, "xml", "<project");
        String java = firstBlock(guide, "java", "public static void main");
        Files.writeString(app.resolve("pom.xml"), pom);
        Matcher pkg = PACKAGE.matcher(java);
        Matcher type = PUBLIC_TYPE.matcher(java);
        assertThat(pkg.find()).as("the getting-started example declares its package").isTrue();
        assertThat(type.find()).as("the getting-started example has a public class").isTrue();
        mainClass = pkg.group(1) + "." + type.group(1);
        Path source = app.resolve("src/main/java").resolve(pkg.group(1).replace('.', '/'))
                .resolve(type.group(1) + ".java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, java);

        buildRepository(project.resolve("repo"));
    }

    @Test
    @Order(1)
    void theGettingStartedProjectCompilesAsWritten() throws Exception {
        Result build = mvn("compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt");

        assertThat(build.exit).as("mvn compile of the getting-started project:%n%s", build.output).isZero();
        assertThat(project.resolve("order-service/target/classes/" + mainClass.replace('.', '/') + ".class"))
                .exists();
    }

    @Test
    @Order(2)
    void theCompiledExampleRunsAgainstRealStores() throws Exception {
        Path cpFile = project.resolve("order-service/cp.txt");
        assertThat(cpFile).as("written by the compile test").exists();
        StoreServer pg = RealStoreExtension.require(StoreKind.POSTGRES, "CleanProjectIT");
        StoreServer redis = RealStoreExtension.require(StoreKind.REDIS, "CleanProjectIT");
        StoreServer ch = RealStoreExtension.require(StoreKind.CLICKHOUSE, "CleanProjectIT");
        StoreServer kafka = RealStoreExtension.require(StoreKind.KAFKA, "CleanProjectIT");

        Map<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRES_HOST", pg.host());
        env.put("POSTGRES_PORT", String.valueOf(pg.port()));
        putIfSet(env, "POSTGRES_DB", pg.database());
        putIfSet(env, "POSTGRES_USER", pg.user());
        putIfSet(env, "POSTGRES_PASSWORD", pg.password());
        env.put("DRAGONFLY_HOST", redis.host());
        env.put("DRAGONFLY_PORT", String.valueOf(redis.port()));
        putIfSet(env, "DRAGONFLY_USER", redis.user());
        putIfSet(env, "DRAGONFLY_PASSWORD", redis.password());
        env.put("CLICKHOUSE_HOST", ch.host());
        env.put("CLICKHOUSE_HTTP_PORT", String.valueOf(ch.port()));
        putIfSet(env, "CLICKHOUSE_DB", ch.database());
        putIfSet(env, "CLICKHOUSE_USER", ch.user());
        putIfSet(env, "CLICKHOUSE_PASSWORD", ch.password());
        env.put("KAFKA_BROKERS", kafka.hostPort());

        String classpath = project.resolve("order-service/target/classes") + File.pathSeparator
                + Files.readString(cpFile).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Result run = run(List.of(java.toString(), "-cp", classpath, mainClass), env, 120);

        assertThat(run.exit).as("java %s:%n%s", mainClass, run.output).isZero();
        assertThat(run.output).contains("stored, cached and published Order[");
        // quiet by default (slf4j-simple at INFO, as the getting-started pom has it): no Kafka config dump, banner
        assertThat(run.output).doesNotContain("ProducerConfig values").doesNotContain("AdminClientConfig values")
                .doesNotContain("Kafka version:");
        assertThat(run.output).doesNotContain(" WARN ");
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isEmpty()) {
            env.put(name, value);
        }
    }

    /** The first ```lang block of {@code markdown} containing {@code marker}. */
    static String firstBlock(String markdown, String lang, String marker) {
        Matcher m = Pattern.compile("(?ms)^```" + lang + "[^\\n]*\\n(.*?)^```\\s*$").matcher(markdown);
        while (m.find()) {
            if (m.group(1).contains(marker)) {
                return m.group(1);
            }
        }
        throw new AssertionError("docs/getting-started.md has no ```" + lang + " block containing " + marker);
    }

    /**
     * A local repository of links to the build's own, with {@code io/suho} replaced by this reactor's artifacts.
     */
    private static void buildRepository(Path repo) throws IOException {
        Path m2 = Path.of(System.getProperty("suho.m2.repository",
                System.getProperty("user.home") + "/.m2/repository"));
        Files.createDirectories(repo.resolve("io/suho"));
        linkAllBut(m2, repo, "io");
        if (Files.isDirectory(m2.resolve("io"))) {
            linkAllBut(m2.resolve("io"), repo.resolve("io"), "suho");
        }
        String version = System.getProperty("suho.version", "0.1.0-SNAPSHOT");
        int installed = 0;
        for (String module : reactorModules()) {
            Path dir = module.isEmpty() ? root : root.resolve(module);
            String pomXml = Files.readString(dir.resolve("pom.xml"));
            // the module's own coordinates: the first artifactId outside <parent>; only io.suho artifacts matter
            String own = pomXml.replaceFirst("(?s)<parent>.*?</parent>", "")
                    .split("<(?:properties|dependencyManagement|dependencies|build|modules|profiles)>")[0];
            Matcher a = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(own);
            Matcher g = Pattern.compile("<groupId>([^<]+)</groupId>").matcher(own);
            if (!a.find() || (g.find() && !g.group(1).trim().equals("io.suho"))) {
                continue;
            }
            String artifactId = a.group(1).trim();
            Path target = repo.resolve("io/suho").resolve(artifactId).resolve(version);
            Path jar = dir.resolve("target").resolve(artifactId + "-" + version + ".jar");
            boolean pomOnly = pomXml.contains("<packaging>pom</packaging>");
            if (!pomOnly && !Files.isRegularFile(jar)) {
                continue; // not built in this reactor (or not a library): the clean project cannot need it
            }
            Files.createDirectories(target);
            Files.copy(dir.resolve("pom.xml"), target.resolve(artifactId + "-" + version + ".pom"));
            if (!pomOnly) {
                Files.copy(jar, target.resolve(artifactId + "-" + version + ".jar"));
            }
            installed++;
        }
        assertThat(installed).as("reactor artifacts laid out in %s", repo).isGreaterThan(5);
    }

    /** "" for the parent, then the root pom's modules. */
    private static List<String> reactorModules() throws IOException {
        List<String> modules = new ArrayList<>();
        modules.add("");
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        return modules;
    }

    private static void linkAllBut(Path from, Path to, String except) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> entries = Files.list(from)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
                String name = e.getFileName().toString();
                if (!name.equals(except) && !Files.exists(to.resolve(name))) {
                    Files.createSymbolicLink(to.resolve(name), e.toAbsolutePath());
                }
            }
        }
    }

    private static Result mvn(String... goals) throws Exception {
        String home = System.getProperty("maven.home");
        assertThat(home).as("maven.home (set by this module's failsafe configuration)").isNotBlank();
        List<String> cmd = new ArrayList<>(List.of(Path.of(home, "bin", "mvn").toString(), "-B", "-q", "-o",
                "-Dmaven.repo.local=" + project.resolve("repo")));
        cmd.addAll(List.of(goals));
        return run(cmd, Map.of(), 300);
    }

    private static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.resolve("order-service").toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(project, "run-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return new Result(-1, "TIMED OUT after " + timeoutSeconds + " s: " + cmd + "\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow links: the linked repository stays untouched
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    private record Result(int exit, String output) {
    }
}
