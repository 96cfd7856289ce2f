package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The index-version registry's rows, table {@code IndexVersion}: read, stored (H2's {@code MERGE} or PostgreSQL's
 * {@code ON CONFLICT} upsert) and deleted, each change in one transaction. {@link EventStoreDatabase} answers through it.
 */
final class IndexVersionRows {

    private final JdbcTransactionManager transactionManager;
    private final Dialect dialect;

    IndexVersionRows(JdbcTransactionManager transactionManager, Dialect dialect) {
        this.transactionManager = transactionManager;
        this.dialect = dialect;
    }

    /** Every registered index version, by space and version. */
    List<IndexVersionRecord> all() {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT space, version, role, settings, createdAt FROM IndexVersion ORDER BY space, version");
             ResultSet rs = statement.executeQuery()) {
            List<IndexVersionRecord> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(new IndexVersionRecord(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        Instant.parse(rs.getString(5))));
            }
            return versions;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the index versions", e);
        }
    }

    /** Stores the versions in one transaction: a swap changes two roles at once. */
    void save(List<IndexVersionRecord> versions) {
        transactionManager.executeInTransaction(() -> {
            try (Connection connection = transactionManager.connectionProvider().getConnection();
                 PreparedStatement statement = connection.prepareStatement(
                         dialect == Dialect.H2
                                 ? "MERGE INTO IndexVersion (space, version, role, settings, createdAt) KEY (space, version) "
                                         + "VALUES (?, ?, ?, ?, ?)"
                                 : "INSERT INTO IndexVersion (space, version, role, settings, createdAt) VALUES (?, ?, ?, ?, ?) "
                                         + "ON CONFLICT (space, version) DO UPDATE SET role = EXCLUDED.role, "
                                         + "settings = EXCLUDED.settings, createdAt = EXCLUDED.createdAt")) {
                for (IndexVersionRecord version : versions) {
                    statement.setString(1, version.space());
                    statement.setInt(2, version.version());
                    statement.setString(3, version.role());
                    statement.setString(4, version.settings());
                    statement.setString(5, version.createdAt().toString());
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                throw new JdbcException("Cannot store index versions " + versions, e);
            }
        });
    }

    /** Forgets a dropped index version and, in the same transaction, the tokens of the processor that fed it. */
    void delete(String space, int version, String processorName) {
        transactionManager.executeInTransaction(() -> {
            try (Connection connection = transactionManager.connectionProvider().getConnection();
                 PreparedStatement versions = connection.prepareStatement(
                         "DELETE FROM IndexVersion WHERE space = ? AND version = ?");
                 PreparedStatement tokens = connection.prepareStatement(
                         "DELETE FROM TokenEntry WHERE processorName = ?")) {
                versions.setString(1, space);
                versions.setInt(2, version);
                versions.executeUpdate();
                tokens.setString(1, processorName);
                tokens.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot delete index version " + space + " v" + version, e);
            }
        });
    }
}
