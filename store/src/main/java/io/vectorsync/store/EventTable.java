package io.vectorsync.store;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.util.stream.Stream;

/**
 * Axon's JDBC event storage engine as this application uses it: it takes no snapshots (a document's history is a
 * handful of events, and the aggregate cache keeps recent ones in memory), so loading a document does not first
 * look for a snapshot. Axon's engine asks the snapshot table on every load, one query per write for nothing.
 */
class EventTable extends JdbcEventStorageEngine {

    EventTable(Builder builder) {
        super(builder);
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return Stream.empty();
    }
}
