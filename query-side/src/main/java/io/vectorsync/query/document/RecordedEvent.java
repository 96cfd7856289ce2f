package io.vectorsync.query.document;

import java.time.Instant;

/**
 * One stored event of a document, detached from Axon's message types so the folding is testable
 * with plain events. {@code version} is the event's sequence number plus one.
 */
record RecordedEvent(
        long version,
        Instant timestamp,
        Object payload) {
}
