package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

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

    /**
     * How far a processor has got on whichever nodes run it, from the tokens its segments last stored: the lowest
     * position of them (a replay's where it is now, not where it will end), -1 when it has none or one has not
     * started.
     */
    long lowestPosition(String processorName, Serializer serializer) {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT token, tokenType FROM TokenEntry WHERE processorName = ?")) {
            statement.setString(1, processorName);
            long lowest = Long.MAX_VALUE;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    byte[] bytes = rs.getBytes(1);
                    if (bytes == null) {
                        return -1;
                    }
                    TrackingToken token = serializer.deserialize(
                            new SimpleSerializedObject<>(bytes, byte[].class, rs.getString(2), null));
                    lowest = Math.min(lowest, token == null ? -1 : token.position().orElse(-1));
                }
            }
            return lowest == Long.MAX_VALUE ? -1 : lowest;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the tokens of " + processorName, e);
        }
    }

    /** The tokens a processor's segments last stored, by segment (null: a segment that has not started). */
    Map<Integer, TrackingToken> tokens(String processorName, Serializer serializer) {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT segment, token, tokenType FROM TokenEntry WHERE processorName = ?")) {
            statement.setString(1, processorName);
            Map<Integer, TrackingToken> tokens = new TreeMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    byte[] bytes = rs.getBytes(2);
                    tokens.put(rs.getInt(1), bytes == null ? null : serializer.deserialize(
                            new SimpleSerializedObject<>(bytes, byte[].class, rs.getString(3), null)));
                }
            }
            return tokens;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the tokens of " + processorName, e);
        }
    }

    /** Every processor's segments and the node that claims each (null: unclaimed). */
    Map<String, Map<Integer, String>> allSegmentOwners() {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT processorName, segment, owner FROM TokenEntry ORDER BY processorName, segment");
             ResultSet rs = statement.executeQuery()) {
            Map<String, Map<Integer, String>> owners = new TreeMap<>();
            while (rs.next()) {
                owners.computeIfAbsent(rs.getString(1), p -> new TreeMap<>()).put(rs.getInt(2), rs.getString(3));
            }
            return owners;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the token store's segments", e);
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
