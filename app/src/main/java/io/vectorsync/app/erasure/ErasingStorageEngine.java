package io.vectorsync.app.erasure;

import io.vectorsync.domain.DocumentErased;
import io.vectorsync.store.keys.DataKeys;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The event store's storage, which destroys an erased document's keys exactly where its {@link DocumentErased} stands
 * among the events it appends (issue 21): the events before it in the same transaction are sealed — serialized as
 * they are appended — with the key it destroys, those after it (the document written again) with a new one. The
 * destruction is part of the transaction: a row update in it on PostgreSQL; on the embedded store the key file is
 * forced just before the transaction commits.
 */
final class ErasingStorageEngine implements EventStorageEngine {

    private final EventStorageEngine delegate;
    private final DataKeys keys;

    ErasingStorageEngine(EventStorageEngine delegate, DataKeys keys) {
        this.delegate = delegate;
        this.keys = keys;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        int from = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getPayload() instanceof DocumentErased erased) {
                delegate.appendEvents(events.subList(from, i + 1));
                keys.destroy(erased.tenant(), erased.documentId());
                from = i + 1;
            }
        }
        if (from < events.size()) {
            delegate.appendEvents(from == 0 ? events : events.subList(from, events.size()));
        }
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return delegate.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return delegate.readEvents(aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return delegate.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
