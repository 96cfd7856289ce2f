package io.vectorsync.store;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The event storage engine on PostgreSQL, where several processes append to one log. A sequence hands out global
 * indexes when rows are inserted, but transactions commit in their own order: an event that took index 7 and
 * commits after index 8 is visible later than 8, and a tracking processor that waited longer than Axon's gap
 * timeout for 7 skips it for ever (AxonFramework #4829, not fixed in 4.x). Here every append first takes one
 * transaction-scoped advisory lock, held until its commit, so indexes are taken in commit order and no committed
 * event can appear behind a later one: a gap is only ever a rolled-back append, which is right to skip. The same
 * transaction notifies {@value #CHANNEL}, delivered at commit, so other processes' processors wake at once.
 * <p>
 * Appends are serialized across the cluster for the length of an append transaction, which group commit keeps short.
 */
final class SerialAppends extends EventTable {

    static final String CHANNEL = "vectorsync_events";
    /** Any constant every process agrees on: "vs-appen". */
    private static final long LOCK = 0x76732d617070656eL;

    SerialAppends(Builder builder) {
        super(builder);
    }

    @Override
    protected PreparedStatement appendEvents(Connection connection, List<? extends EventMessage<?>> events,
                                             Serializer serializer) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + "), pg_notify('" + CHANNEL + "', '')");
        }
        return super.appendEvents(connection, events, serializer);
    }
}
