package io.suho.bench.drill;

import io.suho.client.postgres.PostgresClient;
import io.suho.test.StoreKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drill on PostgreSQL: one autocommit INSERT per id into a table with no unique constraint and no
 * {@code ON CONFLICT} (so every copy that lands stays countable), a SELECT by id back, and a {@code GROUP BY id} scan
 * to account. PostgreSQL has no dedup of its own here: {@code duplicates_after_dedup} equals {@code raw_copies}.
 */
public final class PostgresDrillTarget extends SuhoDrillTarget {
    private static final String TABLE = "suho_drill_rows";
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
        pg.update("CREATE TABLE IF NOT EXISTS " + TABLE + " (run text NOT NULL, id text NOT NULL, "
                + "written_at timestamptz NOT NULL DEFAULT now())");
        pg.update("CREATE INDEX IF NOT EXISTS " + TABLE + "_run_id ON " + TABLE + " (run, id)");
    }

    @Override
    public void write(String id) {
        pg.named("drill_insert").update("INSERT INTO " + TABLE + " (run, id) VALUES (?, ?)", run, id);
    }

    @Override
    public void read(String id) {
        pg.named("drill_select").queryOne("SELECT id FROM " + TABLE + " WHERE run = ? AND id = ? LIMIT 1",
                rs -> rs.getString(1), run, id);
    }

    @Override
    public Optional<Boolean> exists(String id) {
        return Optional.of(pg.named("drill_lookup").queryOne("SELECT 1 FROM " + TABLE
                + " WHERE run = ? AND id = ? LIMIT 1", rs -> rs.getInt(1), run, id).isPresent());
    }

    @Override
    public Account account(Set<String> ids) {
        Map<String, Long> copies = new HashMap<>();
        for (Map.Entry<String, Long> e : pg.query("SELECT id, count(*) FROM " + TABLE + " WHERE run = ? GROUP BY id",
                rs -> Map.entry(rs.getString(1), rs.getLong(2)), run)) {
            copies.put(e.getKey(), e.getValue());
        }
        long raw = copies.values().stream().mapToLong(c -> c - 1).sum();
        return new Account(copies.keySet(), raw, raw);
    }

    @Override
    public boolean nativeReady() {
        return NativeReady.postgres();
    }

    @Override
    public void close() {
        if (pg != null) {
            try {
                pg.update("DELETE FROM " + TABLE + " WHERE run = ?", run);
            } catch (RuntimeException e) {
                System.out.println("[drill] could not delete the run's rows: " + e.getMessage());
            }
        }
        super.close();
    }
}
