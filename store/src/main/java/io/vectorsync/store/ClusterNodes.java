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
 * The nodes that work on this store, table {@code ClusterNode}: each process records its id, roles and address and
 * beats every few seconds; a node whose last beat is recent is live. What the segment balance counts and
 * {@code GET /v1/admin/cluster} lists.
 */
public final class ClusterNodes {

    /** One node as it last recorded itself. */
    public record Node(String id, String roles, String address, Instant startedAt, Instant heartbeatAt) {
    }

    private final JdbcTransactionManager transactionManager;
    private final Dialect dialect;

    ClusterNodes(JdbcTransactionManager transactionManager, Dialect dialect) {
        this.transactionManager = transactionManager;
        this.dialect = dialect;
    }

    /** Records the node, or its new heartbeat. */
    public void beat(Node node) {
        transactionManager.executeInTransaction(() -> {
            try (Connection connection = transactionManager.connectionProvider().getConnection();
                 PreparedStatement statement = connection.prepareStatement(dialect == Dialect.H2
                         ? "MERGE INTO ClusterNode (nodeId, roles, address, startedAt, heartbeatAt) KEY (nodeId) "
                                 + "VALUES (?, ?, ?, ?, ?)"
                         : "INSERT INTO ClusterNode (nodeId, roles, address, startedAt, heartbeatAt) VALUES (?, ?, ?, ?, ?) "
                                 + "ON CONFLICT (nodeId) DO UPDATE SET roles = EXCLUDED.roles, address = EXCLUDED.address, "
                                 + "startedAt = EXCLUDED.startedAt, heartbeatAt = EXCLUDED.heartbeatAt")) {
                statement.setString(1, node.id());
                statement.setString(2, node.roles());
                statement.setString(3, node.address());
                statement.setLong(4, node.startedAt().toEpochMilli());
                statement.setLong(5, node.heartbeatAt().toEpochMilli());
                statement.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot record node " + node.id(), e);
            }
        });
    }

    /** Every node that has recorded itself, by id. */
    public List<Node> all() {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT nodeId, roles, address, startedAt, heartbeatAt FROM ClusterNode ORDER BY nodeId");
             ResultSet rs = statement.executeQuery()) {
            List<Node> nodes = new ArrayList<>();
            while (rs.next()) {
                nodes.add(new Node(rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))));
            }
            return nodes;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the cluster's nodes", e);
        }
    }

    /** Forgets a node that stops (one that crashes stays until it is no longer live). */
    public void leave(String nodeId) {
        transactionManager.executeInTransaction(() -> {
            try (Connection connection = transactionManager.connectionProvider().getConnection();
                 PreparedStatement statement = connection.prepareStatement("DELETE FROM ClusterNode WHERE nodeId = ?")) {
                statement.setString(1, nodeId);
                statement.executeUpdate();
            } catch (SQLException e) {
                throw new JdbcException("Cannot forget node " + nodeId, e);
            }
        });
    }
}
