package io.suho.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Validates the production infrastructure files under {@code infra/} inside {@code mvn verify}: runs
 * {@code infra/check} (compose files with {@code .env.example}, health checks, volumes, secrets, promtool config/rules
 * and rule unit tests, Grafana JSON), then checks that every metric name the Grafana dashboards and Prometheus alert
 * rules query is one the code really exports — by scraping a real hub started in-process against the local stack,
 * and a Prometheus registry fed by a real {@link SuhoClients} call to PostgreSQL.
 *
 * <p>Lives in the hub module because the hub is the one module that has both the hub and the Prometheus registry
 * on its classpath; it touches nothing of the hub's own tests.
 */
class InfraConfigIT {

    /** {@code infra/check}'s exit code for "docker-compose/promtool missing and not installable here". */
    private static final int SKIP = 77;

    /** Synthesised by Prometheus itself, never exported by code. */
    private static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up", "scrape_duration_seconds");

    /** Prefixes of meters that must show up in the live hub scrape or the live SDK registry. */
    private static final List<String> LIVE_PREFIXES = List.of("suho_client_", "suho_hub_", "hikaricp_", "jvm_",
            "http_server_", "process_", "system_");

    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    @Test
    void infraCheckPasses() throws Exception {
        Result r = runCheck();
        assertEquals(0, r.exit, () -> "infra/check failed:\n" + r.output);
        assertTrue(r.output.contains("all checks passed"), r.output);
    }

    @Test
    void everyMetricTheDashboardsAndAlertsQueryIsExported() throws Exception {
        Result names = runCheck("--metric-names");
        assertEquals(0, names.exit, () -> "infra/check --metric-names failed:\n" + names.output);
        Set<String> queried = names.output.lines().map(String::trim)
                .filter(l -> l.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(queried.isEmpty(), "no metric names found in the dashboards and rules:\n" + names.output);

        StoreServer pg = RealStoreExtension.require(StoreKind.POSTGRES, "everyMetricTheDashboardsAndAlertsQueryIsExported");
        Set<String> exported = new TreeSet<>();
        exported.addAll(scrapeHub(pg));
        exported.addAll(scrapeSdkRegistry(pg));

        List<String> missing = new ArrayList<>();
        List<String> sourceOnly = new ArrayList<>();
        for (String name : queried) {
            if (PROMETHEUS_SYNTHETIC.contains(name) || exported.contains(name)) {
                continue;
            }
            boolean mustBeLive = LIVE_PREFIXES.stream().anyMatch(name::startsWith);
            if (!mustBeLive && registeredInModuleSources(name)) {
                sourceOnly.add(name); // a module not on this classpath (messaging, analytics) registers it
            } else {
                missing.add(name);
            }
        }
        System.out.println("InfraConfigIT: " + queried.size() + " metric names queried; found in the hub scrape or"
                + " the SDK registry: " + (queried.size() - sourceOnly.size() - missing.size())
                + ", found only in module sources: " + sourceOnly + ", missing: " + missing);
        if (!missing.isEmpty()) {
            fail("metric names queried by infra/grafana/dashboards or infra/prometheus/rules that no code exports: "
                    + missing + "\nexported by the hub and the SDK registry: " + exported);
        }
    }

    /** Starts a hub against the local stack, makes one API call so its HTTP timer exists, and scrapes /metrics. */
    private static Set<String> scrapeHub(StoreServer pg) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SUHO_HUB_HOST", "127.0.0.1");
        env.put("SUHO_HUB_PORT", "0");
        env.put("POSTGRES_HOST", pg.host());
        env.put("POSTGRES_PORT", Integer.toString(pg.port()));
        if (pg.database() != null) {
            env.put("POSTGRES_DB", pg.database());
        }
        if (pg.user() != null) {
            env.put("POSTGRES_USER", pg.user());
        }
        if (pg.password() != null) {
            env.put("POSTGRES_PASSWORD", pg.password());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (HubServer hub = HubServer.start(HubConfig.from(env))) {
            URI base = hub.uri();
            get(http, base.resolve("/v1/health"));
            HttpResponse<String> metrics = get(http, base.resolve("/metrics"));
            assertEquals(200, metrics.statusCode(), "GET /metrics");
            return sampleNames(metrics.body());
        }
    }

    /**
     * A registry fed the way a backend service's is: a real SuhoClients call to PostgreSQL through core's
     * call pipeline (suho_client_*), on a HikariCP pool bound to Micrometer as suho-client-postgres binds it
     * (hikaricp_*). Histogram buckets enabled for suho.client.requests, as the dashboard's p50/p99 panel asks.
     */
    private static Set<String> scrapeSdkRegistry(StoreServer pg) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals("suho.client.requests")
                        ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
                        : config;
            }
        });
        try (SuhoClients suho = pg.configure(SuhoClients.builder().serviceName("infra-config-it")
                .meterRegistry(registry).module(new PooledPostgresModule())).build()) {
            assertEquals(1, suho.get(SelectOne.class).selectOne());
            return sampleNames(registry.scrape());
        } finally {
            registry.close();
        }
    }

    private static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#")).forEach(l -> {
            var m = SAMPLE_NAME.matcher(l);
            if (m.find()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    /**
     * Whether some module's main sources register the meter behind a Prometheus name, e.g.
     * {@code suho_outbox_lag_seconds} ← {@code "suho.outbox.lag"}. For modules this test cannot run.
     */
    private static boolean registeredInModuleSources(String name) throws IOException {
        String base = name.replaceAll("_(bucket|count|sum|max|total)$", "");
        Set<String> candidates = new TreeSet<>();
        candidates.add(base.replace('_', '.'));
        candidates.add(base.replaceAll("_(seconds|bytes|ratio)$", "").replace('_', '.'));
        List<Path> sources;
        try (Stream<Path> modules = Files.list(repoRoot())) {
            sources = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        for (Path src : sources) {
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    String text = Files.readString(f);
                    for (String c : candidates) {
                        if (text.contains('"' + c + '"')) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private record Result(int exit, String output) {
    }

    /** Runs infra/check; exit 77 (tools not installable: no apt or not root) skips with the reason printed. */
    private static Result runCheck(String... args) throws Exception {
        Path root = repoRoot();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("infra/check").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("infra/check did not finish within 10 minutes:\n" + out);
        }
        if (p.exitValue() == SKIP) {
            String reason = "SKIPPED InfraConfigIT: " + out.lines().filter(l -> l.contains("SKIP"))
                    .findFirst().orElse("infra/check cannot install its tools here");
            System.err.println(reason);
            Assumptions.abort(reason);
        }
        return new Result(p.exitValue(), out);
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isExecutable(dir.resolve("infra/check"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("infra/check not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** The client type of {@link PooledPostgresModule}. */
    public interface SelectOne {
        int selectOne();
    }

    /**
     * A minimal PostgreSQL store module for this test: a HikariCP pool bound to Micrometer (as suho-client-postgres
     * does) and one operation through core's call pipeline. suho-client-postgres itself is not on the hub's test
     * classpath on purpose: ServiceLoader would hand it to every SuhoClients the hub's own tests build.
     */
    public static final class PooledPostgresModule implements StoreModule {
        @Override
        public Store store() {
            return Store.POSTGRES;
        }

        @Override
        public Set<Class<?>> clientTypes() {
            return Set.of(SelectOne.class);
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return List.of();
        }

        @Override
        public StartedStore start(StoreContext ctx) {
            HostPort hp = ctx.config().hosts(Store.POSTGRES).get(0);
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl("jdbc:postgresql://" + hp.host() + ':' + hp.port() + '/'
                    + ctx.config().get(StoreKeys.database(Store.POSTGRES), "postgres"));
            ctx.config().get(StoreKeys.user(Store.POSTGRES)).ifPresent(hc::setUsername);
            ctx.config().secret(StoreKeys.password(Store.POSTGRES)).ifPresent(s -> hc.setPassword(s.reveal()));
            hc.setPoolName("infra-config-it");
            hc.setMaximumPoolSize(2);
            hc.setConnectionTimeout(ctx.resilience().timeout().toMillis());
            hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(ctx.meterRegistry()));
            HikariDataSource ds = new HikariDataSource(hc);
            SelectOne client = () -> ctx.executor().call("select_one", true, () -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            return new StartedStore() {
                @Override
                public <T> T client(Class<T> type) {
                    return type.cast(client);
                }

                @Override
                public ProbeResult probe() {
                    return ProbeResult.up(Map.of());
                }

                @Override
                public FailurePolicy failurePolicy() {
                    return t -> t instanceof SQLException e && e.getSQLState() != null
                            && e.getSQLState().startsWith("08")
                            ? Failure.of(FailureKind.UNAVAILABLE, e.getSQLState(), e)
                            : FailurePolicy.generic(t);
                }

                @Override
                public void close() {
                    ds.close();
                }
            };
        }
    }
}
