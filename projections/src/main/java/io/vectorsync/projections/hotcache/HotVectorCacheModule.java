package io.vectorsync.projections.hotcache;

import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Clock;
import java.util.Collection;

/**
 * Entry point of the hot-vector cache projection. Register {@link #projection} as an event handler of
 * a pooled streaming processor named {@link #PROCESSING_GROUP} that starts at the head of the log: the
 * cache only has to hold what the index has not made searchable yet, so a new installation needs no
 * history in it, and a restarted one resumes from its token.
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
