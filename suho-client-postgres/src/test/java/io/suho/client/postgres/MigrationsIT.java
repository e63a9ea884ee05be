package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.SuhoException;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application's Flyway migrations and the SDK's own, in separate history tables. */
@RealStore(StoreKind.POSTGRES)
class MigrationsIT {

    @Test
    void runsApplicationAndSdkMigrationsIntoSeparateHistories(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients setup = Clients.open(server)) {
            PostgresClient pg = setup.get(PostgresClient.class);
            pg.update("DROP TABLE IF EXISTS it_pg_migrated_accounts");
            pg.update("DROP TABLE IF EXISTS it_pg_app_history");
        }
        Map<String, String> settings = Map.of("suho.postgres.migrations.enabled", "true",
                "suho.postgres.migrations.locations", "classpath:db/testmigration",
                "suho.postgres.migrations.table", "it_pg_app_history",
                "suho.postgres.migrations.baseline-on-migrate", "true");
        try (SuhoClients suho = Clients.open(server, new SimpleMeterRegistry(), settings)) {
            PostgresClient pg = suho.get(PostgresClient.class);
            assertThat(pg.queryOne("SELECT owner FROM it_pg_migrated_accounts WHERE id = 1", rs -> rs.getString(1)))
                    .contains("seed");
            assertThat(pg.query("SELECT version FROM it_pg_app_history WHERE success AND version IS NOT NULL"
                    + " AND type = 'SQL' ORDER BY installed_rank", rs -> rs.getString(1))).containsExactly("1", "2");
            pg.outbox().ensureTable(); // the SDK's own migration runs on the outbox's first use
            assertThat(pg.query("SELECT version FROM suho_sdk_schema_history WHERE success AND type = 'SQL'",
                    rs -> rs.getString(1))).containsExactly("1", "2");
            assertThat(pg.queryOne("SELECT to_regclass('suho_outbox') IS NOT NULL", rs -> rs.getBoolean(1)))
                    .contains(true);
        }
        // a second start finds everything applied
        try (SuhoClients again = Clients.open(server, new SimpleMeterRegistry(), settings)) {
            assertThat(again.get(PostgresClient.class).query("SELECT version FROM it_pg_app_history WHERE"
                    + " type = 'SQL'", rs -> rs.getString(1))).hasSize(2);
        }
    }

    @Test
    void theSdkRunsNoDdlInYourDatabaseUntilTheOutboxIsUsed(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        String db = "it_pg_fresh_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        try (SuhoClients admin = Clients.open(server)) {
            admin.get(PostgresClient.class).update("CREATE DATABASE " + db);
        }
        try {
            // switched off: never any DDL of the SDK's, the table is the application's to create
            try (SuhoClients off = Clients.open(server, new SimpleMeterRegistry(),
                    Map.of("suho.postgres.database", db, "suho.postgres.sdk-migrations.enabled", "false"))) {
                PostgresClient pg = off.get(PostgresClient.class);
                pg.update("CREATE TABLE orders (id bigint PRIMARY KEY)");
                pg.outbox().ensureTable();
                assertThatThrownBy(() -> pg.inTransaction(tx -> pg.outbox().append(tx, "orders", "1", new byte[] {1})))
                        .hasMessageContaining("suho_outbox");
                assertThat(tables(pg)).containsExactly("orders");
            }
            // the default: started and used without the outbox, still no table of the SDK's; the first append makes it
            try (SuhoClients suho = Clients.open(server, new SimpleMeterRegistry(),
                    Map.of("suho.postgres.database", db))) {
                PostgresClient pg = suho.get(PostgresClient.class);
                pg.update("INSERT INTO orders VALUES (1)");
                assertThat(tables(pg)).containsExactly("orders");

                pg.inTransaction(tx -> pg.outbox().append(tx, "orders", "1", new byte[] {1}));

                assertThat(tables(pg)).containsExactlyInAnyOrder("orders", "suho_outbox", "suho_sdk_schema_history");
                assertThat(pg.queryOne("SELECT count(*) FROM suho_outbox", rs -> rs.getLong(1))).contains(1L);
            }
        } finally {
            try (SuhoClients admin = Clients.open(server)) {
                admin.get(PostgresClient.class).update("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static java.util.List<String> tables(PostgresClient pg) {
        return pg.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
                rs -> rs.getString(1));
    }

    @Test
    void aSharedDatabaseMigratesOnTheFirstRunWithoutAnySetting(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients setup = Clients.open(server)) {
            PostgresClient pg = setup.get(PostgresClient.class);
            pg.update("DROP TABLE IF EXISTS it_pg_migrated_accounts");
            pg.update("DROP TABLE IF EXISTS it_pg_shared_history");
            // the shared database is not empty: other services' tables, the SDK's suho_outbox
            pg.update("CREATE TABLE IF NOT EXISTS it_pg_other_service (id int)");
        }
        Map<String, String> settings = Map.of("suho.postgres.migrations.enabled", "true",
                "suho.postgres.migrations.locations", "classpath:db/testmigration",
                "suho.postgres.migrations.table", "it_pg_shared_history");
        try (SuhoClients suho = Clients.open(server, new SimpleMeterRegistry(), settings)) {
            PostgresClient pg = suho.get(PostgresClient.class);
            assertThat(pg.queryOne("SELECT owner FROM it_pg_migrated_accounts WHERE id = 1", rs -> rs.getString(1)))
                    .contains("seed");
            assertThat(pg.query("SELECT version FROM it_pg_shared_history WHERE success AND type = 'SQL'"
                    + " ORDER BY installed_rank", rs -> rs.getString(1))).containsExactly("1", "2");
        }
    }

    @Test
    void baselineSwitchedOffInASharedDatabaseFailsNamingTheKey(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients setup = Clients.open(server)) {
            PostgresClient pg = setup.get(PostgresClient.class);
            pg.update("DROP TABLE IF EXISTS it_pg_strict_history");
            pg.update("CREATE TABLE IF NOT EXISTS it_pg_other_service (id int)");
        }
        Map<String, String> settings = Map.of("suho.postgres.migrations.enabled", "true",
                "suho.postgres.migrations.locations", "classpath:db/testmigration",
                "suho.postgres.migrations.table", "it_pg_strict_history",
                "suho.postgres.migrations.baseline-on-migrate", "false");
        assertThatThrownBy(() -> {
            try (SuhoClients suho = Clients.open(server, new SimpleMeterRegistry(), settings)) {
                suho.get(PostgresClient.class);
            }
        }).isInstanceOf(SuhoException.class)
                .hasMessageContaining("suho.postgres.migrations.baseline-on-migrate=true")
                .hasMessageContaining("it_pg_strict_history");
    }

    @Test
    void aMissingLocationFailsTheStartNamingIt(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        Map<String, String> settings = Map.of("suho.postgres.migrations.enabled", "true",
                "suho.postgres.migrations.locations", "classpath:db/it_pg_nowhere",
                "suho.postgres.migrations.table", "it_pg_nowhere_history");
        assertThatThrownBy(() -> {
            try (SuhoClients suho = Clients.open(server, new SimpleMeterRegistry(), settings)) {
                suho.get(PostgresClient.class);
            }
        }).isInstanceOf(SuhoException.class).hasMessageContaining("it_pg_nowhere");
    }
}
