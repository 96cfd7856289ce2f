package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** What a failure says about the store: whether it came from the database, and whether the database is away. */
public final class StoreFailures {

    private StoreFailures() {
    }

    /** Whether the failure came from the database at all (rather than from the code around it). */
    public static boolean fromStore(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof JdbcException || t instanceof EventStoreException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure itself says the database is away: no connection within the pool's wait, a connection
     * refused, SQLState class 08 (connection exception) or 57P (the server shutting down). A dead pooled connection
     * says less ("connection is closed"), which only a fresh look at the database tells apart from a bug.
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
