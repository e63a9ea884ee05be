package io.suho.bench.drill;

import io.suho.client.postgres.PostgresClient;
import io.suho.test.StoreKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drill on PostgreSQL: one autocommit INSERT per id into a table whose primary key is the id (the idempotency key:
 * a retried ambiguous insert is {@code ON CONFLICT DO NOTHING}), a primary-key SELECT back, and a scan to account.
 */
public final class PostgresDrillTarget extends SuhoDrillTarget {
    private PostgresClient pg;

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public StoreKind kind() {
        return StoreKind.POSTGRES;
    }

    @Override
    public void setUp() {
        pg = connect(StoreKind.POSTGRES).get(PostgresClient.class);
        pg.update("CREATE TABLE IF NOT EXISTS suho_drill_writes (run text NOT NULL, id text NOT NULL, "
                + "written_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, id))");
    }

    @Override
    public void write(String id) {
        pg.named("drill_insert").update("INSERT INTO suho_drill_writes (run, id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                run, id);
    }

    @Override
    public void read(String id) {
        pg.named("drill_select").queryOne("SELECT id FROM suho_drill_writes WHERE run = ? AND id = ?",
                rs -> rs.getString(1), run, id);
    }

    @Override
    public Account account(Set<String> ids) {
        List<String> rows = pg.query("SELECT id FROM suho_drill_writes WHERE run = ?", rs -> rs.getString(1), run);
        Set<String> stored = new HashSet<>(rows);
        return new Account(stored, rows.size() - stored.size());
    }
}
