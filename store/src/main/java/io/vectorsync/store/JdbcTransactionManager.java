package io.vectorsync.store;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.ConnectionWrapperFactory;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plain-JDBC transactions for Axon without Spring: a transaction binds one connection to the thread,
 * and {@link #connectionProvider()} hands that connection to the event store, token store and
 * dead-letter queue, so an event handler's token update and the events its commands append commit
 * together. Nested transactions join the outer one.
 * <p>
 * Actions can run just before a transaction commits, after everything in it was written: the data keys reach their
 * storage there before the events sealed with them commit, and an erasure destroys its document's keys there
 * (issue 21). A failing action rolls the transaction back.
 */
public final class JdbcTransactionManager implements TransactionManager {

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    /** What runs before the thread's transaction commits, in order. */
    private final ThreadLocal<List<Runnable>> beforeThisCommit = new ThreadLocal<>();
    /** What runs before every transaction commits, after its own actions. */
    private final List<Runnable> beforeEachCommit = new CopyOnWriteArrayList<>();

    public JdbcTransactionManager(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Transaction startTransaction() {
        if (current.get() != null) {
            return JOINED;
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new JdbcException("Could not start a transaction", e);
        }
        current.set(connection);
        return new Transaction() {
            @Override
            public void commit() {
                try {
                    beforeCommit(connection);
                    connection.commit();
                } catch (SQLException e) {
                    throw new JdbcException("Could not commit a transaction", e);
                } finally {
                    release(connection);
                }
            }

            @Override
            public void rollback() {
                try {
                    connection.rollback();
                } catch (SQLException e) {
                    throw new JdbcException("Could not roll back a transaction", e);
                } finally {
                    release(connection);
                }
            }
        };
    }

    /** Runs {@code action} before every transaction commits (after the transaction's own actions). */
    public void beforeEachCommit(Runnable action) {
        beforeEachCommit.add(action);
    }

    /**
     * Runs {@code action} just before the thread's transaction commits, after everything in it was written; false
     * (and nothing registered) when the thread has no transaction.
     */
    public boolean beforeCommit(Runnable action) {
        if (current.get() == null) {
            return false;
        }
        List<Runnable> actions = beforeThisCommit.get();
        if (actions == null) {
            actions = new ArrayList<>();
            beforeThisCommit.set(actions);
        }
        actions.add(action);
        return true;
    }

    private void beforeCommit(Connection connection) throws SQLException {
        try {
            List<Runnable> actions = beforeThisCommit.get();
            for (int i = 0; actions != null && i < actions.size(); i++) {
                actions.get(i).run();
            }
            beforeEachCommit.forEach(Runnable::run);
        } catch (RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** The thread's transactional connection (never closed by its users), or a fresh auto-commit one. */
    public ConnectionProvider connectionProvider() {
        return () -> {
            Connection connection = current.get();
            if (connection == null) {
                return dataSource.getConnection();
            }
            return ConnectionWrapperFactory.wrap(connection, new ConnectionWrapperFactory.NoOpCloseHandler());
        };
    }

    private void release(Connection connection) {
        current.remove();
        beforeThisCommit.remove();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the transaction already ended; a failing close leaves nothing to undo
        }
    }

    private static final Transaction JOINED = new Transaction() {
        @Override
        public void commit() {
            // the outer transaction commits
        }

        @Override
        public void rollback() {
            // the outer transaction's unit of work rolls back as a whole
        }
    };
}
