package io.vectorsync.query.document;

import java.util.Map;

/**
 * Where a document's events stand in the whole log: what a point-in-time build or {@code consistentWith} is
 * given. The event store's messages carry only the document's own sequence numbers.
 */
@FunctionalInterface
public interface EventPositions {

    /** None known: histories go without positions. */
    EventPositions NONE = aggregateId -> Map.of();

    /** The aggregate's events: sequence number → position in the log. */
    Map<Long, Long> of(String aggregateId);
}
