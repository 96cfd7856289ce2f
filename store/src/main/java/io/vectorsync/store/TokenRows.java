package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The token store's rows, table {@code TokenEntry}, as operators see them: which node claims each segment of a
 * processor, and forgetting a processor's tokens. {@link EventStoreDatabase} answers through it.
 */
final class TokenRows {

    private final JdbcTransactionManager transactionManager;

    TokenRows(JdbcTransactionManager transactionManager) {
        this.transactionManager = transactionManager;
    }

    /** A processor's segments in the token store and the node that claims each (null: unclaimed). */
    Map<Integer, String> segmentOwners(String processorName) {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT segment, owner FROM TokenEntry WHERE processorName = ? ORDER BY segment")) {
            statement.setString(1, processorName);
            Map<Integer, String> owners = new TreeMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getInt(1), rs.getString(2));
                }
            }
            return owners;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the segments of " + processorName, e);
        }
    }

    /** Forgets a processor's tokens, in one transaction. */
    void delete(String processorName) {
        transactionManager.executeInTransaction(() -> {
            try (Connection connection = transactionManager.connectionProvider().getConnection();
                 PreparedStatement tokens = connection.prepareStatement("DELETE FROM TokenEntry WHERE processorName = ?")) {
                tokens.setString(1, processorName);
                tokens.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot delete the tokens of " + processorName, e);
            }
        });
    }
}
