package io.suho.client.analytics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A declared table schema the SDK can create: columns with ClickHouse types, the engine ({@code ReplacingMergeTree}
 * by default, so rows with the same sorting key collapse — the sink's idempotency), sorting key and optional
 * partition key. Immutable; build with {@link #builder(String)}.
 */
public final class TableSpec {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\([A-Za-z0-9_ ,'()=-]*\\))?");

    private final String name;
    private final Map<String, String> columns;
    private final String engine;
    private final List<String> orderBy;
    private final String partitionBy;

    private TableSpec(Builder b) {
        this.name = b.name;
        this.columns = Map.copyOf(b.columns);
        this.engine = b.engine;
        this.orderBy = List.copyOf(b.orderBy);
        this.partitionBy = b.partitionBy;
        this.columnOrder = List.copyOf(b.columns.keySet());
    }

    private final List<String> columnOrder;

    public static Builder builder(String table) {
        return new Builder(table);
    }

    public String name() {
        return name;
    }

    /** Column names in declaration order. */
    public List<String> columnNames() {
        return columnOrder;
    }

    /** The declared type of a column, or {@code null}. */
    public String columnType(String column) {
        return columns.get(column);
    }

    public List<String> orderBy() {
        return orderBy;
    }

    /** The engine clause, e.g. {@code ReplacingMergeTree(`ingested_at`)}. */
    public String engine() {
        return engine;
    }

    /** The {@code CREATE TABLE IF NOT EXISTS} statement (names are validated, so nothing here is user SQL). */
    public String createStatement() {
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS `").append(name).append("` (");
        for (int i = 0; i < columnOrder.size(); i++) {
            String c = columnOrder.get(i);
            sb.append(i == 0 ? "" : ", ").append('`').append(c).append("` ").append(columns.get(c));
        }
        sb.append(") ENGINE = ").append(engine);
        if (partitionBy != null) {
            sb.append(" PARTITION BY ").append(partitionBy);
        }
        sb.append(" ORDER BY (");
        for (int i = 0; i < orderBy.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('`').append(orderBy.get(i)).append('`');
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return createStatement();
    }

    /** Builds a {@link TableSpec}; {@link #build()} validates names, types and keys. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> columns = new LinkedHashMap<>();
        private String engine = "ReplacingMergeTree()";
        private final List<String> orderBy = new ArrayList<>();
        private String partitionBy;

        private Builder(String name) {
            this.name = checkName(name, "table name");
        }

        /** Adds a column, e.g. {@code column("price", "Decimal(18, 4)")}. */
        public Builder column(String column, String type) {
            checkName(column, "column name");
            Objects.requireNonNull(type, "type of column " + column);
            if (!TYPE.matcher(type.trim()).matches()) {
                throw new IllegalArgumentException("type '" + type + "' of column " + column
                        + " is not a ClickHouse type expression");
            }
            if (columns.putIfAbsent(column, type.trim()) != null) {
                throw new IllegalArgumentException("column " + column + " is declared twice in table " + name);
            }
            return this;
        }

        /** The sorting (and, for ReplacingMergeTree, deduplication) key. */
        public Builder orderBy(String... keyColumns) {
            orderBy.clear();
            orderBy.addAll(List.of(keyColumns));
            return this;
        }

        /** {@code ReplacingMergeTree()} (the default) keeps the last inserted row per key. */
        public Builder replacingMergeTree() {
            engine = "ReplacingMergeTree()";
            return this;
        }

        /** {@code ReplacingMergeTree(versionColumn)} keeps the row with the highest version per key. */
        public Builder replacingMergeTree(String versionColumn) {
            checkName(versionColumn, "version column");
            engine = "ReplacingMergeTree(`" + versionColumn + "`)";
            return this;
        }

        /** A plain {@code MergeTree()} (no deduplication). */
        public Builder mergeTree() {
            engine = "MergeTree()";
            return this;
        }

        /** {@code PARTITION BY toYYYYMM(column)}. */
        public Builder partitionByMonth(String dateColumn) {
            checkName(dateColumn, "partition column");
            partitionBy = "toYYYYMM(`" + dateColumn + "`)";
            return this;
        }

        public TableSpec build() {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("table " + name + " declares no columns");
            }
            if (orderBy.isEmpty()) {
                throw new IllegalArgumentException("table " + name + " needs orderBy(...) (the dedup key)");
            }
            for (String k : orderBy) {
                if (!columns.containsKey(k)) {
                    throw new IllegalArgumentException("orderBy column " + k + " is not a column of table " + name);
                }
            }
            return new TableSpec(this);
        }

        private static String checkName(String n, String what) {
            if (n == null || !NAME.matcher(n).matches()) {
                throw new IllegalArgumentException(what + " '" + n + "' must match [A-Za-z_][A-Za-z0-9_]*");
            }
            return n;
        }
    }
}
