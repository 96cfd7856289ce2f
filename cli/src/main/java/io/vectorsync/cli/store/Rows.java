package io.vectorsync.cli.store;

import io.vectorsync.cli.store.StoreMigration.Column;
import io.vectorsync.cli.store.StoreMigration.Kind;
import io.vectorsync.cli.store.StoreMigration.Table;
import io.vectorsync.store.Dialect;
import io.vectorsync.store.EventStoreDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reading a table's rows, as the copy ({@link TableCopy}) and the verification ({@link StoreVerification}) both do. */
final class Rows {

    private Rows() {
    }

    /** The table's columns for a SELECT or INSERT, in the plan's order. */
    static String columnList(Table table) {
        return String.join(", ", table.columns().stream().map(Column::name).toList());
    }

    /** A connection that streams a query's rows instead of holding them all. */
    static void streaming(Connection connection, EventStoreDatabase database) throws SQLException {
        if (database.dialect() == Dialect.H2) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
        } else {
            connection.setAutoCommit(false); // pgjdbc uses a cursor (the fetch size) only inside a transaction
        }
    }

    /** A column's value as its kind reads it: String, Integer, Long, Double, Boolean or byte[]; null for SQL NULL. */
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
}
