package io.vectorsync.cli.store;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.store.EventStoreDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
 * <p>
 * The plan is read by {@link StoreSchema}, the rows are copied by {@link TableCopy} and read back by
 * {@link StoreVerification}; {@link MigrateCommand} reports each step.
 */
final class StoreMigration {

    static final long BATCH_BYTES = 16L * 1024 * 1024;

    /** How a column's values are read, written and checksummed. */
    enum Kind { STRING, INT, LONG, DOUBLE, BOOLEAN, BYTES }

    /** A column: its name in lower case (unquoted in SQL, so either database finds it), kind and JDBC type. */
    record Column(String name, Kind kind, int sqlType) {
    }

    /**
     * A table to copy: {@code name} for people, {@code sqlName} in lower case for SQL, its columns in the target's
     * order, its primary key, its identity column in the target (null when none) and its rows in the source.
     */
    record Table(String name, String sqlName, List<Column> columns, List<String> key, String identity,
                 long sourceRows) {
    }

    /** An identity column's sequence in the target, set to the highest copied value ({@code null}: none copied). */
    record Identity(String table, String column, String sequence, Long highest) {
    }

    /** What one side holds in a table: its rows and their checksum. */
    record Digest(long rows, String sha256) {
    }

    /** One table verified: both sides' digests. */
    record Check(Table table, Digest source, Digest target) {
        public boolean ok() {
            return source.equals(target);
        }
    }

    private final EventStoreDatabase source;
    private final EventStoreDatabase target;
    private final TableCopy copying;
    private final StoreVerification verification;

    public StoreMigration(EventStoreDatabase source, EventStoreDatabase target, int batchRows) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchRows);
        }
        this.source = source;
        this.target = target;
        this.copying = new TableCopy(source, target, batchRows);
        this.verification = new StoreVerification(source, target, batchRows);
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
        return StoreSchema.plan(source, target);
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
        return copying.copy(table, task);
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
        return verification.verify(tables, task);
    }
}
