package io.vectorsync.store;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.ConnectionWrapperFactory;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Plain-JDBC transactions for Axon without Spring: a transaction binds one connection to the thread,
 * and {@link #connectionProvider()} hands that connection to the event store, token store and
 * dead-letter queue, so an event handler's token update and the events its commands append commit
 * together. Nested transactions join the outer one.
 */
public final class JdbcTransactionManager implements TransactionManager {

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

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
