package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DATABASE_URL, JDBC_DATABASE_URL and REDIS_URL as platforms give them, read as the stores' keys. */
class PlatformUrlsTest {

    private static final List<ConfigKey<?>> KEYS = keys();

    private static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.POSTGRES));
        keys.addAll(StoreKeys.common(Store.CACHE));
        return keys;
    }

    private static SuhoConfig env(Map<String, String> env) {
        return SuhoConfig.create(Map.of(), new Properties(), env, KEYS);
    }

    @Test
    void aPostgresDatabaseUrlGivesHostsDatabaseCredentialsAndTls() {
        SuhoConfig c = env(Map.of("DATABASE_URL",
                "postgres://orders:s%40cret-pw@db.internal:6432/suho_trading?sslmode=require"));

        assertThat(c.hosts(Store.POSTGRES)).containsExactly(new HostPort("db.internal", 6432));
        assertThat(c.get(StoreKeys.databaseKey(Store.POSTGRES))).isEqualTo("suho_trading");
        assertThat(c.get(StoreKeys.userKey(Store.POSTGRES))).isEqualTo("orders");
        assertThat(c.get(StoreKeys.passwordKey(Store.POSTGRES)).reveal()).isEqualTo("s@cret-pw");
        assertThat(c.get(StoreKeys.tlsKey(Store.POSTGRES))).isTrue();
        // sslmode=require: encrypted, without a certificate check, as the platform that gave the URL expects
        assertThat(c.find("suho.postgres.tls.mode").orElseThrow().value()).isEqualTo("require");
        assertThat(c.find(StoreKeys.password(Store.POSTGRES)).orElseThrow().toString()).doesNotContain("s@cret");
        assertThat(c.toString()).doesNotContain("s@cret").doesNotContain("cret-pw");
    }

    @Test
    void aJdbcUrlWithSeveralHostsAndCredentialsInTheQueryIsRead() {
        SuhoConfig c = env(Map.of("JDBC_DATABASE_URL",
                "jdbc:postgresql://pg-a:5432,pg-b/suho_trading?user=app&password=jdbc-pw&ApplicationName=x"));

        assertThat(c.hosts(Store.POSTGRES)).containsExactly(new HostPort("pg-a", 5432), new HostPort("pg-b", 5432));
        assertThat(c.get(StoreKeys.userKey(Store.POSTGRES))).isEqualTo("app");
        assertThat(c.get(StoreKeys.passwordKey(Store.POSTGRES)).reveal()).isEqualTo("jdbc-pw");
        assertThat(c.get(StoreKeys.tlsKey(Store.POSTGRES))).isFalse();
        // a JDBC URL is accepted in DATABASE_URL too
        assertThat(env(Map.of("DATABASE_URL", "jdbc:postgresql://pg-c:5433/db1")).hosts(Store.POSTGRES))
                .containsExactly(new HostPort("pg-c", 5433));
    }

    @Test
    void aRedisUrlGivesTheCacheEndpointPasswordAndTls() {
        SuhoConfig plain = env(Map.of("REDIS_URL", "redis://:r3dis-pw@cache.internal:6380/0"));
        assertThat(plain.hosts(Store.CACHE)).containsExactly(new HostPort("cache.internal", 6380));
        assertThat(plain.get(StoreKeys.passwordKey(Store.CACHE)).reveal()).isEqualTo("r3dis-pw");
        assertThat(plain.optional(StoreKeys.userKey(Store.CACHE))).isEmpty();
        assertThat(plain.get(StoreKeys.tlsKey(Store.CACHE))).isFalse();

        SuhoConfig tls = env(Map.of("REDIS_URL", "rediss://default:pw2@cache.example"));
        assertThat(tls.hosts(Store.CACHE)).containsExactly(new HostPort("cache.example", 6379));
        assertThat(tls.get(StoreKeys.userKey(Store.CACHE))).isEqualTo("default");
        assertThat(tls.get(StoreKeys.tlsKey(Store.CACHE))).isTrue();
        assertThat(tls.toString()).doesNotContain("pw2");
    }

    @Test
    void theSeedNamesAndSuhoKeysWinOverAPlatformUrl() {
        SuhoConfig c = env(Map.of("DATABASE_URL", "postgres://url-user:url-pw@url-host:5432/url_db",
                "POSTGRES_HOST", "seed-host", "POSTGRES_PORT", "5433", "POSTGRES_PASSWORD", "seed-pw",
                "SUHO_POSTGRES_DATABASE", "suho_db"));

        assertThat(c.hosts(Store.POSTGRES)).containsExactly(new HostPort("seed-host", 5433));
        assertThat(c.get(StoreKeys.passwordKey(Store.POSTGRES)).reveal()).isEqualTo("seed-pw");
        assertThat(c.get(StoreKeys.databaseKey(Store.POSTGRES))).isEqualTo("suho_db");
        assertThat(c.get(StoreKeys.userKey(Store.POSTGRES))).isEqualTo("url-user"); // nothing else names the user
    }

    @Test
    void aDatabaseUrlOfAnotherDatabaseIsNotRead() {
        SuhoConfig c = env(Map.of("DATABASE_URL", "mysql://u:p@mysql:3306/shop"));

        assertThat(c.isSet(StoreKeys.hosts(Store.POSTGRES))).isFalse();
        assertThat(c.optional(StoreKeys.passwordKey(Store.POSTGRES))).isEmpty();
    }
}
