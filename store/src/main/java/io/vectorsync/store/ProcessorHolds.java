package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Processors held stopped on every node, tables {@code ProcessorHold} and {@code ProcessorHoldAck}: an operator's
 * pause, a replay, a swap's hand-over. A hold is one row per processor (two operations cannot hold the same one);
 * every projector node that has stopped its instance, or has none, acknowledges it with the hold's id. A replay's
 * hold also asks for a reset, which one projector takes ({@link #takeReset}) and performs once every live
 * projector has acknowledged. What {@link ProcessorControl} reads and writes.
 */
public final class ProcessorHolds {

    /** One hold: its id, why, whether a reset of the tokens is asked for and which node took it, and since when. */
    public record Hold(String processor, String id, String reason, boolean reset, String resetBy, Instant heldAt) {
    }

    private final JdbcTransactionManager transactionManager;

    ProcessorHolds(JdbcTransactionManager transactionManager) {
        this.transactionManager = transactionManager;
    }

    /** Records the hold; false when the processor is held already (by another operation). */
    public boolean hold(Hold hold) {
        return transactionManager.fetchInTransaction(() -> {
            try (Connection connection = connection();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO ProcessorHold "
                         + "(processorName, holdId, reason, resetRequested, resetBy, heldAt) SELECT ?, ?, ?, ?, NULL, ? "
                         + "WHERE NOT EXISTS (SELECT 1 FROM ProcessorHold WHERE processorName = ?)")) {
                insert.setString(1, hold.processor());
                insert.setString(2, hold.id());
                insert.setString(3, hold.reason());
                insert.setInt(4, hold.reset() ? 1 : 0);
                insert.setLong(5, hold.heldAt().toEpochMilli());
                insert.setString(6, hold.processor());
                return insert.executeUpdate() == 1;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) { // a concurrent hold won
                    return false;
                }
                throw new JdbcException("Cannot hold processor " + hold.processor(), e);
            }
        });
    }

    /** Every hold, by processor. */
    public Map<String, Hold> all() {
        try (Connection connection = connection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT processorName, holdId, reason, resetRequested, resetBy, heldAt FROM ProcessorHold");
             ResultSet rs = statement.executeQuery()) {
            Map<String, Hold> holds = new TreeMap<>();
            while (rs.next()) {
                holds.put(rs.getString(1), new Hold(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getInt(4) == 1, rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
            }
            return holds;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the processor holds", e);
        }
    }

    public Optional<Hold> find(String processor) {
        return Optional.ofNullable(all().get(processor));
    }

    /** Ends the hold with this id, and its acknowledgements; false when it had ended already. */
    public boolean release(String processor, String holdId) {
        return transactionManager.fetchInTransaction(() -> {
            try (Connection connection = connection();
                 PreparedStatement hold = connection.prepareStatement(
                         "DELETE FROM ProcessorHold WHERE processorName = ? AND holdId = ?");
                 PreparedStatement acks = connection.prepareStatement(
                         "DELETE FROM ProcessorHoldAck WHERE processorName = ? AND holdId = ?")) {
                hold.setString(1, processor);
                hold.setString(2, holdId);
                acks.setString(1, processor);
                acks.setString(2, holdId);
                acks.executeUpdate();
                return hold.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new JdbcException("Cannot release the hold on " + processor, e);
            }
        });
    }

    /** Records that {@code nodeId} has stopped the processor (or runs none) for this hold. */
    public void acknowledge(String processor, String holdId, String nodeId) {
        transactionManager.executeInTransaction(() -> {
            try (Connection connection = connection();
                 PreparedStatement delete = connection.prepareStatement(
                         "DELETE FROM ProcessorHoldAck WHERE processorName = ? AND nodeId = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO ProcessorHoldAck (processorName, nodeId, holdId) VALUES (?, ?, ?)")) {
                delete.setString(1, processor);
                delete.setString(2, nodeId);
                delete.executeUpdate();
                insert.setString(1, processor);
                insert.setString(2, nodeId);
                insert.setString(3, holdId);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot acknowledge the hold on " + processor, e);
            }
        });
    }

    /** The nodes that have acknowledged this hold. */
    public Set<String> acknowledged(String processor, String holdId) {
        try (Connection connection = connection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT nodeId FROM ProcessorHoldAck WHERE processorName = ? AND holdId = ?")) {
            statement.setString(1, processor);
            statement.setString(2, holdId);
            Set<String> nodes = new HashSet<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    nodes.add(rs.getString(1));
                }
            }
            return nodes;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the acknowledgements of the hold on " + processor, e);
        }
    }

    /** Takes the reset a hold asks for, unless another node has: true for exactly one node. */
    public boolean takeReset(String processor, String holdId, String nodeId) {
        return transactionManager.fetchInTransaction(() -> {
            try (Connection connection = connection();
                 PreparedStatement update = connection.prepareStatement("UPDATE ProcessorHold SET resetBy = ? "
                         + "WHERE processorName = ? AND holdId = ? AND resetRequested = 1 AND resetBy IS NULL")) {
                update.setString(1, nodeId);
                update.setString(2, processor);
                update.setString(3, holdId);
                return update.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new JdbcException("Cannot take the reset of " + processor, e);
            }
        });
    }

    /** Gives a taken reset back, for another attempt (by any projector). */
    public void returnReset(String processor, String holdId) {
        transactionManager.executeInTransaction(() -> {
            try (Connection connection = connection();
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE ProcessorHold SET resetBy = NULL WHERE processorName = ? AND holdId = ?")) {
                update.setString(1, processor);
                update.setString(2, holdId);
                update.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot return the reset of " + processor, e);
            }
        });
    }

    private Connection connection() throws SQLException {
        return transactionManager.connectionProvider().getConnection();
    }
}
