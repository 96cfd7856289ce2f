package io.vectorsync.upcasters;

import org.axonframework.serialization.upcasting.event.EventUpcasterChain;

/**
 * The ordered chain of every event upcaster of Vectorsync, and the only place an event store gets its chain from.
 * <p>
 * Revision 2 (the second release of the events) changed {@code DocumentEmbedded} three times, one upcaster per
 * change, through intermediate revisions no release ever wrote: 1 → 1.1 vectors as base64
 * ({@link DocumentEmbeddedVectorsAsBase64}), 1.1 → 1.2 provenance ({@link DocumentEmbeddedProvenance}),
 * 1.2 → 2 chunk spans ({@link DocumentEmbeddedChunkSpans}). Every other event is still at revision 1.
 * <p>
 * To change an event's shape: raise its {@code @Revision}, write a {@code SingleEventUpcaster} from the old
 * revision to the new one, add it to {@link #chain()} after the upcasters of older revisions, and add the fixture
 * {@code src/test/resources/events/<Event>/<new revision>.json}; the old fixture stays. See the package
 * documentation for how an upcaster is written.
 */
public final class Upcasters {

    static final String DOCUMENT_EMBEDDED = "io.vectorsync.domain.DocumentEmbedded";

    // upcasters are stateless, so one chain serves every event store
    private static final EventUpcasterChain CHAIN = new EventUpcasterChain(
            new DocumentEmbeddedVectorsAsBase64(),
            new DocumentEmbeddedProvenance(),
            new DocumentEmbeddedChunkSpans());

    private Upcasters() {
    }

    /** Every upcaster, in the order they apply: oldest revision first. */
    public static EventUpcasterChain chain() {
        return CHAIN;
    }
}
