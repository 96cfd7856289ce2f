package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store holds and what it takes on disk, for {@code GET /v1/admin/store}: the database's size on disk, its
 * live data where the database knows it (H2's MVStore does; PostgreSQL's tables include dead rows until vacuumed, so
 * the per-table sizes stand for it there), the events, and per event type how many and how many bytes each takes
 * (payload and metadata as stored).
 *
 * @param liveDataBytes H2: the live part of the file by the MVStore's fill rates; PostgreSQL: the tables' sizes
 *                      (with dead rows not yet vacuumed)
 */
public record StoreReport(
        String kind,
        String location,
        long sizeOnDiskBytes,
        long liveDataBytes,
        long events,
        List<EventType> eventTypes,
        List<Table> tables) {

    /** One event type: how many, and their stored payload and metadata bytes. */
    public record EventType(String type, long events, long payloadBytes, long metadataBytes) {

        public double bytesPerEvent() {
            return events == 0 ? 0 : (double) (payloadBytes + metadataBytes) / events;
        }
    }

    /** One table's size on disk (PostgreSQL: with its indexes and TOAST). */
    public record Table(String name, long bytes) {
    }

    /** The application's tables, as {@code Migrations} creates them. */
    static final List<String> TABLES = List.of("DomainEventEntry", "SnapshotEventEntry", "TokenEntry",
            "DeadLetterEntry", "IndexVersion", "ApiKey", "AuditRecord", "SchemaVersion");

    /**
     * Measures a store, for {@link EventStoreDatabase#report()}: H2 by its file at {@code location} and the
     * housekeeping's live data, PostgreSQL by its database and tables; reads the whole event table once.
     */
    static StoreReport measure(DataSource dataSource, Dialect dialect, String location, H2Housekeeping housekeeping) {
        try {
            List<EventType> types = eventTypes(dataSource);
            long events = types.stream().mapToLong(EventType::events).sum();
            if (dialect == Dialect.H2) {
                long onDisk = Files.size(Path.of(location));
                return new StoreReport("h2", location, onDisk, housekeeping.liveBytes(), events, types, List.of());
            }
            List<Table> tables = tables(dataSource);
            return new StoreReport("postgresql", location, databaseSize(dataSource),
                    tables.stream().mapToLong(Table::bytes).sum(), events, types, tables);
        } catch (SQLException e) {
            throw new JdbcException("Cannot measure the store", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot measure the store's file " + location, e);
        }
    }

    /** Reads the events per type (a scan of the event table) and every table's size. */
    static List<EventType> eventTypes(DataSource dataSource) throws SQLException {
        List<EventType> types = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT payloadType, COUNT(*), "
                     + "SUM(OCTET_LENGTH(payload)), SUM(OCTET_LENGTH(metaData)) FROM DomainEventEntry "
                     + "GROUP BY payloadType ORDER BY payloadType");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                types.add(new EventType(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return types;
    }

    /**
     * PostgreSQL: each table's size on disk, {@code pg_total_relation_size} (with indexes and TOAST). H2's only
     * counterpart, {@code DISK_SPACE_USED}, reads every page of the table, so the embedded store reports none.
     */
    static List<Table> tables(DataSource dataSource) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COALESCE(pg_total_relation_size(to_regclass(?)), 0)")) {
            for (String table : TABLES) {
                statement.setString(1, table.toLowerCase(java.util.Locale.ROOT));
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    tables.add(new Table(table, rs.getLong(1)));
                }
            }
        }
        return tables;
    }

    /** PostgreSQL: the whole database on disk. */
    static long databaseSize(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT pg_database_size(current_database())");
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
