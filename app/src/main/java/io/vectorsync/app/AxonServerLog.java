package io.vectorsync.app;

import io.axoniq.axonserver.connector.event.EventStream;
import io.axoniq.axonserver.grpc.event.EventWithToken;
import io.vectorsync.store.LogPositions;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Where events stand in Axon Server's log. Its positions are its global tokens, from 0. The head comes from the event
 * store's head token; the time of an event from a stream opened just before it that may hold one event. Axon Server
 * does not tell where an aggregate's event stands (an aggregate's events come without tokens), so a write's position is
 * the head right after it, at or past its last event, and a document's history goes without positions.
 */
final class AxonServerLog implements LogPositions {

    /** The longest a look at one event's time waits for Axon Server. */
    private static final long EVENT_WAIT_MS = 2_000;

    private final EventStore eventStore;
    private final AxonServerConnectionManager connections;
    private final String context;

    AxonServerLog(EventStore eventStore, AxonServerConnectionManager connections, String context) {
        this.eventStore = eventStore;
        this.connections = connections;
        this.context = context;
    }

    /** Asked once the write's unit of work committed, and so its events: the head is at or past them. */
    @Override
    public OptionalLong position(String aggregateId, long sequenceNumber) {
        long head = headPosition();
        return head < 0 ? OptionalLong.empty() : OptionalLong.of(head);
    }

    @Override
    public Map<Long, Long> positions(String aggregateId) {
        return Map.of();
    }

    @Override
    public long headPosition() {
        TrackingToken head = eventStore.createHeadToken(); // null while the log is empty
        return head == null ? -1 : head.position().orElse(-1);
    }

    /** Empty too when Axon Server cannot be reached: the lag in seconds is left out, the lag in events stays. */
    @Override
    public Optional<Instant> timestampAt(long position) {
        if (position < 0) {
            return Optional.empty();
        }
        // a stream from the token before the event, with room for that one event only
        EventStream stream = null;
        try {
            stream = connections.getConnection(context).eventChannel().openStream(position - 1, 1, 1);
            EventWithToken event = stream.nextIfAvailable(EVENT_WAIT_MS, TimeUnit.MILLISECONDS);
            return event == null || event.getToken() != position
                    ? Optional.empty()
                    : Optional.of(Instant.ofEpochMilli(event.getEvent().getTimestamp()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
    }
}
