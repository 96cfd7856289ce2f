package io.vectorsync.cli.store;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.store.StoreMigration.Column;
import io.vectorsync.cli.store.StoreMigration.Kind;
import io.vectorsync.cli.store.StoreMigration.Table;
import io.vectorsync.store.Dialect;
import io.vectorsync.store.EventStoreDatabase;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
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

/**
 * The plan of a {@link StoreMigration}, read from both stores' metadata: their schema steps, tables, columns, primary
 * keys and the target's identity columns, compared before anything is written.
 */
final class StoreSchema {

    /** The table the schema migrations keep to themselves: each store has its own, compared but not copied. */
    static final String SCHEMA_VERSION = "schemaversion";
    /** Display names and order of the store's tables; others (from later schema steps) follow in name order. */
    private static final List<String> KNOWN = List.of("DomainEventEntry", "SnapshotEventEntry", "TokenEntry",
            "DeadLetterEntry", "IndexVersion", "ApiKey", "AuditRecord");

    private StoreSchema() {
    }

    /**
     * The tables to copy, after checking that both stores have the same schema steps, tables and columns; with the
     * source's row counts.
     */
    static List<Table> plan(EventStoreDatabase source, EventStoreDatabase target) {
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
}
