package io.vectorsync.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where events stand in the event log, beyond what Axon's {@code EventStore} answers: the position a write's answer
 * gives for read-your-writes, a document's history positions, the head of the log and the time of an event, for
 * processor lag. The JDBC store answers all of it exactly from its events table ({@link EventStoreDatabase}); another
 * event store (Axon Server) answers what its API allows, and says so on each method.
 */
public interface LogPositions {

    /**
     * The position of an aggregate's event, asked right after the write that appended it: exactly, or a position at
     * or past it where the store cannot tell it (a read waiting for it then waits for the write and perhaps a few
     * later events too). Empty when there is no such event.
     */
    OptionalLong position(String aggregateId, long sequenceNumber);

    /** Every event of an aggregate: its sequence number → its position in the log; empty where the store cannot tell. */
    Map<Long, Long> positions(String aggregateId);

    /**
     * The positions of many events at once, by (aggregate, sequence number), for answering a batch of writes; an
     * event not found is absent. A store that can read them together says so by overriding this.
     */
    default Map<Map.Entry<String, Long>, Long> positions(java.util.List<Map.Entry<String, Long>> events) {
        Map<Map.Entry<String, Long>, Long> found = new java.util.HashMap<>();
        for (Map.Entry<String, Long> event : events) {
            position(event.getKey(), event.getValue()).ifPresent(p -> found.put(event, p));
        }
        return found;
    }

    /** The position of the newest event in the log, or -1 when it is empty. */
    long headPosition();

    /** When the event at a position was stored; empty when there is none there, or the store cannot tell. */
    Optional<Instant> timestampAt(long position);
}
