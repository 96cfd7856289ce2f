package io.vectorsync.cli.store;

import io.vectorsync.cli.Errors;
import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.store.Dialect;
import io.vectorsync.store.EventStoreDatabase;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Copies one store into another, empty one, both opened by {@link EventStoreDatabase} (so both schemas are at the
 * same migration step): every table but {@code SchemaVersion}, row by row with every column as stored, identity
 * values included (an event keeps its global index, an audit record its id), in constant memory: rows are streamed
 * from the source and inserted in JDBC batches of at most {@code batchRows} rows and {@value #BATCH_BYTES} bytes,
 * one transaction each. The tables and their columns are read from both databases' metadata, so a table or column a
 * later schema step adds is copied without a change here, and schemas that differ are refused before anything is
 * written.
 * <p>
 * Verification reads both stores back and compares, per table, the row count and a SHA-256 checksum: the sum
 * (modulo 2<sup>256</sup>) of the SHA-256 digests of every row's columns. A sum does not depend on the order the
 * rows come in, which matters because H2 and PostgreSQL sort text differently; since every table has a primary key,
 * equal sums mean equal sets of rows (barring a SHA-256 collision).
 */
public final class StoreMigration {

    /** The table the schema migrations keep to themselves: each store has its own, compared but not copied. */
    static final String SCHEMA_VERSION = "schemaversion";
    /** Display names and order of the store's tables; others (from later schema steps) follow in name order. */
    private static final List<String> KNOWN = List.of("DomainEventEntry", "SnapshotEventEntry", "TokenEntry",
            "DeadLetterEntry", "IndexVersion", "ApiKey", "AuditRecord");
    static final long BATCH_BYTES = 16L * 1024 * 1024;

    /** How a column's values are read, written and checksummed. */
    public enum Kind { STRING, INT, LONG, DOUBLE, BOOLEAN, BYTES }

    /** A column: its name in lower case (unquoted in SQL, so either database finds it), kind and JDBC type. */
    public record Column(String name, Kind kind, int sqlType) {
    }

    /**
     * A table to copy: {@code name} for people, {@code sqlName} in lower case for SQL, its columns in the target's
     * order, its primary key, its identity column in the target (null when none) and its rows in the source.
     */
    public record Table(String name, String sqlName, List<Column> columns, List<String> key, String identity,
                        long sourceRows) {
    }

    /** An identity column's sequence in the target, set to the highest copied value ({@code null}: none copied). */
    public record Identity(String table, String column, String sequence, Long highest) {
    }

    /** What one side holds in a table: its rows and their checksum. */
    public record Digest(long rows, String sha256) {
    }

    /** One table verified: both sides' digests. */
    public record Check(Table table, Digest source, Digest target) {
        public boolean ok() {
            return source.equals(target);
        }
    }

    private final EventStoreDatabase source;
    private final EventStoreDatabase target;
    private final int batchRows;

    public StoreMigration(EventStoreDatabase source, EventStoreDatabase target, int batchRows) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchRows);
        }
        this.source = source;
        this.target = target;
        this.batchRows = batchRows;
    }

    /** The highest schema step applied to a store. */
    public static int schemaStep(EventStoreDatabase database) {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM SchemaVersion")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new Failure("cannot read the schema version of " + database.description() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tables to copy, after checking that both stores have the same schema steps, tables and columns; with the
     * source's row counts.
     */
    public List<Table> plan() {
        Set<Integer> sourceSteps = steps(source);
        Set<Integer> targetSteps = steps(target);
        if (!sourceSteps.equals(targetSteps)) {
            throw new Failure("the stores are at different schema steps (source " + sourceSteps + ", target "
                    + targetSteps + "): migrate with the release of Vectorsync that made the newer one");
        }
        Map<String, Map<String, Column>> from = describe(source);
        Map<String, Map<String, Column>> to = describe(target);
        from.remove(SCHEMA_VERSION);
        to.remove(SCHEMA_VERSION);
        if (!from.keySet().equals(to.keySet())) {
            Set<String> onlySource = new TreeSet<>(from.keySet());
            onlySource.removeAll(to.keySet());
            Set<String> onlyTarget = new TreeSet<>(to.keySet());
            onlyTarget.removeAll(from.keySet());
            throw new Failure("the stores' schemas differ: tables only in the source " + onlySource
                    + ", only in the target " + onlyTarget);
        }
        Map<String, String> identities = identityColumns(target);
        List<Table> tables = new ArrayList<>();
        for (Map.Entry<String, Map<String, Column>> entry : to.entrySet()) {
            String table = entry.getKey();
            Map<String, Column> targetColumns = entry.getValue();
            Map<String, Column> sourceColumns = from.get(table);
            if (!sourceColumns.keySet().equals(targetColumns.keySet())) {
                throw new Failure("the stores' schemas differ: " + displayName(table) + " has the columns "
                        + sourceColumns.keySet() + " in the source and " + targetColumns.keySet() + " in the target");
            }
            for (Column column : targetColumns.values()) {
                Kind kind = sourceColumns.get(column.name()).kind();
                if (kind != column.kind()) {
                    throw new Failure("the stores' schemas differ: " + displayName(table) + "." + column.name()
                            + " holds " + kind + " in the source and " + column.kind() + " in the target");
                }
            }
            List<String> key = primaryKey(target, table);
            if (key.isEmpty()) {
                throw new Failure(displayName(table) + " has no primary key in the target: its rows cannot be verified");
            }
            tables.add(new Table(displayName(table), table, List.copyOf(targetColumns.values()), key,
                    identities.get(table), count(source, table)));
        }
        tables.sort(Comparator.comparingInt((Table t) -> order(t.name())).thenComparing(Table::name));
        return List.copyOf(tables);
    }

    /** Refuses a target that holds any row in any of the tables (its own {@code SchemaVersion} aside). */
    public void requireEmptyTarget(List<Table> tables) {
        List<String> filled = new ArrayList<>();
        try (Connection connection = target.dataSource().getConnection()) {
            for (Table table : tables) {
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT 1 FROM " + table.sqlName() + " LIMIT 1")) {
                    if (rs.next()) {
                        filled.add(table.name());
                    }
                }
            }
        } catch (SQLException e) {
            throw new Failure("cannot look into the target store: " + e.getMessage(), e);
        }
        if (!filled.isEmpty()) {
            throw new Failure("the target store is not empty (" + String.join(", ", filled) + " hold rows): "
                    + "a migration copies only into an empty store, e.g. a new database; nothing was written");
        }
    }

    /**
     * Copies one table in batches, one transaction each, reporting every batch to {@code task}; answers the rows
     * copied. A failure leaves the batches committed before it in the target.
     */
    public long copy(Table table, Progress.Task task) {
        String columns = columnList(table);
        String select = "SELECT " + columns + " FROM " + table.sqlName() + " ORDER BY " + String.join(", ", table.key());
        String insert = "INSERT INTO " + table.sqlName() + " (" + columns + ")"
                + (table.identity() != null ? " OVERRIDING SYSTEM VALUE" : "")
                + " VALUES (" + String.join(", ", table.columns().stream().map(c -> "?").toList()) + ")";
        long copied = 0;
        try (Connection from = source.dataSource().getConnection();
             Connection to = target.dataSource().getConnection()) {
            streaming(from, source);
            to.setAutoCommit(false);
            try (Statement query = from.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                 PreparedStatement statement = to.prepareStatement(insert)) {
                query.setFetchSize(batchRows);
                try (ResultSet rs = query.executeQuery(select)) {
                    int rows = 0;
                    long bytes = 0;
                    while (rs.next()) {
                        for (int i = 0; i < table.columns().size(); i++) {
                            Column column = table.columns().get(i);
                            Object value = read(rs, i + 1, column.kind());
                            bind(statement, i + 1, column, value);
                            bytes += size(value);
                        }
                        statement.addBatch();
                        rows++;
                        if (rows >= batchRows || bytes >= BATCH_BYTES) {
                            statement.executeBatch();
                            to.commit();
                            copied += rows;
                            task.advance(rows);
                            rows = 0;
                            bytes = 0;
                        }
                    }
                    if (rows > 0) {
                        statement.executeBatch();
                        to.commit();
                        copied += rows;
                        task.advance(rows);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(to);
                throw e;
            }
        } catch (SQLException e) {
            throw new Failure("copying " + table.name() + " failed after " + copied + " rows: "
                    + Errors.describe(e) + "; the target holds a partial copy: empty it "
                    + "(e.g. drop and create its database) before migrating again", e);
        }
        if (copied != table.sourceRows()) {
            throw new Failure("copied " + copied + " rows of " + table.name() + " but the source counted "
                    + table.sourceRows() + " before: was the source written to meanwhile?");
        }
        return copied;
    }

    /**
     * Moves every identity sequence of the target past the highest value copied into its column, so the next
     * event or audit record continues the numbering instead of colliding with a copied one.
     */
    public List<Identity> moveIdentities(List<Table> tables) {
        List<Identity> moved = new ArrayList<>();
        try (Connection connection = target.dataSource().getConnection()) {
            for (Table table : tables) {
                if (table.identity() == null) {
                    continue;
                }
                String sequence;
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
                    statement.setString(1, table.sqlName());
                    statement.setString(2, table.identity());
                    try (ResultSet rs = statement.executeQuery()) {
                        sequence = rs.next() ? rs.getString(1) : null;
                    }
                }
                if (sequence == null) {
                    throw new Failure("the target has no sequence behind " + table.name() + "." + table.identity());
                }
                Long highest;
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT MAX(" + table.identity() + ") FROM " + table.sqlName())) {
                    rs.next();
                    long max = rs.getLong(1);
                    highest = rs.wasNull() ? null : max;
                }
                if (highest != null) {
                    try (PreparedStatement statement = connection.prepareStatement("SELECT setval(CAST(? AS regclass), ?)")) {
                        statement.setString(1, sequence);
                        statement.setLong(2, highest);
                        statement.executeQuery().close();
                    }
                }
                moved.add(new Identity(table.name(), table.identity(), sequence, highest));
            }
        } catch (SQLException e) {
            throw new Failure("cannot move the target's identity sequences: " + e.getMessage(), e);
        }
        return moved;
    }

    /** Reads every table of both stores back (the two at once) and compares row counts and checksums. */
    public List<Check> verify(List<Table> tables, Progress.Task task) {
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon()
                .name("verify").unstarted(r));
        try {
            List<Check> checks = new ArrayList<>();
            for (Table table : tables) {
                CompletableFuture<Digest> fromSource = CompletableFuture.supplyAsync(() -> digest(source, table, task), threads);
                CompletableFuture<Digest> fromTarget = CompletableFuture.supplyAsync(() -> digest(target, table, task), threads);
                try {
                    checks.add(new Check(table, fromSource.join(), fromTarget.join()));
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            return checks;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Counts and checksums one table of one store, streaming its rows. */
    Digest digest(EventStoreDatabase database, Table table, Progress.Task task) {
        RowDigest digest = new RowDigest();
        try (Connection connection = database.dataSource().getConnection()) {
            streaming(connection, database);
            try (Statement query = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                query.setFetchSize(batchRows);
                try (ResultSet rs = query.executeQuery("SELECT " + columnList(table) + " FROM " + table.sqlName())) {
                    Object[] row = new Object[table.columns().size()];
                    long pending = 0;
                    while (rs.next()) {
                        for (int i = 0; i < row.length; i++) {
                            row[i] = read(rs, i + 1, table.columns().get(i).kind());
                        }
                        digest.add(row);
                        if (++pending == batchRows) {
                            task.advance(pending);
                            pending = 0;
                        }
                    }
                    task.advance(pending);
                }
            } finally {
                if (database.dialect() == Dialect.POSTGRESQL) {
                    connection.rollback();
                }
            }
        } catch (SQLException e) {
            throw new Failure("cannot read " + table.name() + " back from " + database.description() + ": "
                    + e.getMessage(), e);
        }
        return new Digest(digest.rows(), digest.hex());
    }

    // --- reading the schema

    private static Set<Integer> steps(EventStoreDatabase database) {
        Set<Integer> steps = new TreeSet<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version FROM SchemaVersion")) {
            while (rs.next()) {
                steps.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new Failure("cannot read the schema steps of " + database.description() + ": " + e.getMessage(), e);
        }
        return steps;
    }

    /** Every table of the store's schema: lower-case name → its columns in order (lower case). */
    private static Map<String, Map<String, Column>> describe(EventStoreDatabase database) {
        Map<String, Map<String, Column>> tables = new LinkedHashMap<>();
        try (Connection connection = database.dataSource().getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String schema = connection.getSchema();
            try (ResultSet rs = meta.getTables(null, escape(meta, schema), "%", null)) {
                while (rs.next()) {
                    String type = rs.getString("TABLE_TYPE");
                    if ("TABLE".equals(type) || "BASE TABLE".equals(type)) {
                        tables.put(rs.getString("TABLE_NAME"), new LinkedHashMap<>());
                    }
                }
            }
            Map<String, Map<String, Column>> described = new LinkedHashMap<>();
            for (String table : tables.keySet()) {
                Map<Integer, Column> byPosition = new TreeMap<>();
                try (ResultSet rs = meta.getColumns(null, escape(meta, schema), escape(meta, table), "%")) {
                    while (rs.next()) {
                        String name = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                        int sqlType = rs.getInt("DATA_TYPE");
                        Kind kind = kind(sqlType);
                        if (kind == null) {
                            throw new Failure("cannot copy " + table + "." + name + " of " + database.description()
                                    + ": its type " + rs.getString("TYPE_NAME") + " is not one this tool copies");
                        }
                        byPosition.put(rs.getInt("ORDINAL_POSITION"), new Column(name, kind, sqlType));
                    }
                }
                Map<String, Column> columns = new LinkedHashMap<>();
                byPosition.values().forEach(c -> columns.put(c.name(), c));
                described.put(table.toLowerCase(Locale.ROOT), columns);
            }
            return described;
        } catch (SQLException e) {
            throw new Failure("cannot read the schema of " + database.description() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> primaryKey(EventStoreDatabase database, String table) {
        try (Connection connection = database.dataSource().getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String schema = connection.getSchema();
            Map<Integer, String> key = new TreeMap<>();
            for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
                try (ResultSet rs = meta.getPrimaryKeys(null, schema, name)) {
                    while (rs.next()) {
                        key.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
                if (!key.isEmpty()) {
                    break;
                }
            }
            return List.copyOf(key.values());
        } catch (SQLException e) {
            throw new Failure("cannot read the primary key of " + table + ": " + e.getMessage(), e);
        }
    }

    /** The target's identity (or serial) columns: lower-case table → column. */
    private static Map<String, String> identityColumns(EventStoreDatabase database) {
        if (database.dialect() != Dialect.POSTGRESQL) {
            throw new Failure("the target must be a PostgreSQL store, not " + database.description());
        }
        Map<String, String> identities = new LinkedHashMap<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT table_name, column_name FROM information_schema.columns "
                     + "WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")) {
            while (rs.next()) {
                String table = rs.getString(1).toLowerCase(Locale.ROOT);
                String previous = identities.put(table, rs.getString(2).toLowerCase(Locale.ROOT));
                if (previous != null) {
                    throw new Failure("the target's table " + table + " has two identity columns");
                }
            }
        } catch (SQLException e) {
            throw new Failure("cannot read the target's identity columns: " + e.getMessage(), e);
        }
        return identities;
    }

    private static long count(EventStoreDatabase database, String table) {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new Failure("cannot count the rows of " + table + " in " + database.description() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String escape(DatabaseMetaData meta, String pattern) throws SQLException {
        String escape = meta.getSearchStringEscape();
        return pattern.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static Kind kind(int sqlType) {
        return switch (sqlType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> Kind.STRING;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> Kind.INT;
            case Types.BIGINT -> Kind.LONG;
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> Kind.DOUBLE;
            case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BYTES;
            default -> null;
        };
    }

    private static String displayName(String table) {
        return KNOWN.stream().filter(k -> k.equalsIgnoreCase(table)).findFirst().orElse(table);
    }

    private static int order(String name) {
        int i = KNOWN.indexOf(name);
        return i < 0 ? KNOWN.size() : i;
    }

    // --- rows

    private static String columnList(Table table) {
        return String.join(", ", table.columns().stream().map(Column::name).toList());
    }

    /** A connection that streams a query's rows instead of holding them all. */
    private static void streaming(Connection connection, EventStoreDatabase database) throws SQLException {
        if (database.dialect() == Dialect.H2) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
        } else {
            connection.setAutoCommit(false); // pgjdbc uses a cursor (the fetch size) only inside a transaction
        }
    }

    static Object read(ResultSet rs, int column, Kind kind) throws SQLException {
        Object value = switch (kind) {
            case STRING -> rs.getString(column);
            case INT -> rs.getInt(column);
            case LONG -> rs.getLong(column);
            case DOUBLE -> rs.getDouble(column);
            case BOOLEAN -> rs.getBoolean(column);
            case BYTES -> rs.getBytes(column);
        };
        return rs.wasNull() ? null : value;
    }

    private static void bind(PreparedStatement statement, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, column.sqlType());
            return;
        }
        switch (column.kind()) {
            case STRING -> statement.setString(index, (String) value);
            case INT -> statement.setInt(index, (Integer) value);
            case LONG -> statement.setLong(index, (Long) value);
            case DOUBLE -> statement.setDouble(index, (Double) value);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case BYTES -> statement.setBytes(index, (byte[]) value);
        }
    }

    private static long size(Object value) {
        return switch (value) {
            case null -> 1;
            case String s -> 2L * s.length();
            case byte[] b -> b.length;
            default -> 8;
        };
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the failure that led here is the one to report
        }
    }
}
