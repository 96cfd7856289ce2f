package io.vectorsync.projections.hotcache;

import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Clock;
import java.util.Collection;

/**
 * Entry point of the hot-vector cache projection. Register {@link #projection} as the event handler of
 * a subscribing processor named {@link #PROCESSING_GROUP}: it sees each event in the unit of work that
 * stores it and writes the cache once that commits, before the command is acknowledged. A streaming
 * processor would lag: Axon's embedded event store offers no availability callback, so it polls
 * every 500 ms. The cache needs no history: it only holds what the index has not made searchable yet.
 */
public final class HotVectorCacheModule {

    public static final String PROCESSING_GROUP = "hot-vector-cache";

    private HotVectorCacheModule() {
    }

    /** The annotated event handler; it does not own {@code cache}. */
    public static Object projection(HotVectorCache cache, Collection<String> spaces, EventStore events) {
        return new HotVectorCacheProjection(cache, spaces, events, Clock.systemUTC());
    }
}
