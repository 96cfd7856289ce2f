package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How far erasures are physically complete (issue 21), table {@code ErasurePurge} (one row): the erasure processor
 * raises {@code requestedThrough} to the position of each erasure it has removed from the indexes, in the transaction
 * that records its progress; a purger expunges the indexes and shreds the destroyed keys, then raises
 * {@code purgedThrough} to what it purged. Every node reads it: an erasure at position p is complete once
 * {@code purgedThrough >= p}.
 */
public final class ErasurePurges {

    /** What was asked for and what is done, as positions in the log (-1: nothing). */
    public record State(long requestedThrough, long purgedThrough) {

        public boolean pending() {
            return requestedThrough > purgedThrough;
        }
    }

    private final JdbcTransactionManager transactions;
    private final javax.sql.DataSource dataSource;

    ErasurePurges(JdbcTransactionManager transactions, javax.sql.DataSource dataSource) {
        this.transactions = transactions;
        this.dataSource = dataSource;
    }

    /** Asks for a purge through {@code position}, in the thread's transaction when it has one. */
    public void request(long position) {
        ensureRow();
        transactions.executeInTransaction(() -> {
            update("UPDATE ErasurePurge SET requestedThrough = ? WHERE id = 1 AND requestedThrough < ?", position,
                    position);
        });
    }

    /** Records a purge done through {@code position}. */
    public void purged(long position) {
        ensureRow();
        transactions.executeInTransaction(() -> {
            update("UPDATE ErasurePurge SET purgedThrough = ? WHERE id = 1 AND purgedThrough < ?", position, position);
        });
    }

    public State state() {
        try (Connection connection = transactions.connectionProvider().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT requestedThrough, purgedThrough FROM ErasurePurge WHERE id = 1");
             ResultSet row = select.executeQuery()) {
            return row.next() ? new State(row.getLong(1), row.getLong(2)) : new State(-1, -1);
        } catch (SQLException e) {
            throw new JdbcException("Cannot read how far erasures are purged", e);
        }
    }

    /** Makes the row on a connection of its own (a concurrent insert's failure must not abort the caller's transaction). */
    private void ensureRow() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO ErasurePurge (id, requestedThrough, "
                     + "purgedThrough) SELECT 1, -1, -1 WHERE NOT EXISTS (SELECT 1 FROM ErasurePurge WHERE id = 1)")) {
            connection.setAutoCommit(true);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) { // else another transaction made it
                throw new JdbcException("Cannot record how far erasures are purged", e);
            }
        }
    }

    private void update(String sql, long first, long second) {
        try (Connection connection = transactions.connectionProvider().getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setLong(1, first);
            update.setLong(2, second);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new JdbcException("Cannot record how far erasures are purged", e);
        }
    }
}
