package io.vectorsync.cli.store;

import io.vectorsync.cli.Errors;
import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.cli.store.StoreMigration.Column;
import io.vectorsync.cli.store.StoreMigration.Table;
import io.vectorsync.store.EventStoreDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The copy loop of a {@link StoreMigration}: one table's rows streamed from the source in key order and inserted into
 * the target with every column as stored (identity values included), in JDBC batches of at most {@code batchRows}
 * rows and {@value StoreMigration#BATCH_BYTES} bytes, one transaction each.
 */
final class TableCopy {

    private final EventStoreDatabase source;
    private final EventStoreDatabase target;
    private final int batchRows;

    TableCopy(EventStoreDatabase source, EventStoreDatabase target, int batchRows) {
        this.source = source;
        this.target = target;
        this.batchRows = batchRows;
    }

    /**
     * Copies one table, reporting every batch to {@code task}; answers the rows copied. A failure leaves the batches
     * committed before it in the target.
     */
    long copy(Table table, Progress.Task task) {
        String columns = Rows.columnList(table);
        String select = "SELECT " + columns + " FROM " + table.sqlName() + " ORDER BY " + String.join(", ", table.key());
        String insert = "INSERT INTO " + table.sqlName() + " (" + columns + ")"
                + (table.identity() != null ? " OVERRIDING SYSTEM VALUE" : "")
                + " VALUES (" + String.join(", ", table.columns().stream().map(c -> "?").toList()) + ")";
        long copied = 0;
        try (Connection from = source.dataSource().getConnection();
             Connection to = target.dataSource().getConnection()) {
            Rows.streaming(from, source);
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
                            Object value = Rows.read(rs, i + 1, column.kind());
                            bind(statement, i + 1, column, value);
                            bytes += size(value);
                        }
                        statement.addBatch();
                        rows++;
                        if (rows >= batchRows || bytes >= StoreMigration.BATCH_BYTES) {
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

    /** About what a value takes in a batch, for its byte limit. */
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
