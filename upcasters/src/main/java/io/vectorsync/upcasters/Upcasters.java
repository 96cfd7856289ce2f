package io.vectorsync.upcasters;

import org.axonframework.serialization.upcasting.event.EventUpcasterChain;

/**
 * The ordered chain of every event upcaster of Vectorsync, and the only place an event store gets its chain from.
 * Empty for now: revision 1 is the first revision of every event.
 * <p>
 * To change an event's shape: raise its {@code @Revision}, write a {@code SingleEventUpcaster} from the old
 * revision to the new one, add it to {@link #chain()} after the upcasters of older revisions, and add the fixture
 * {@code src/test/resources/events/<Event>/<new revision>.json}; the old fixture stays. See the package
 * documentation for how an upcaster is written.
 */
public final class Upcasters {

    // upcasters are stateless, so one chain serves every event store
    private static final EventUpcasterChain CHAIN = new EventUpcasterChain();

    private Upcasters() {
    }

    /** Every upcaster, in the order they apply: oldest revision first. */
    public static EventUpcasterChain chain() {
        return CHAIN;
    }
}
