package io.vectorsync.app;

import io.vectorsync.store.ClusterMembership;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.ProcessorProgress;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How far each processor has got, as read-your-writes and the write gate ask it. On a node with every role, its own
 * processor's status; on a node of a cluster, the tokens the processor's segments stored in the store, wherever they
 * run (a projector holds only some of the segments, a command or query node none), except that a projector counts the
 * segments it runs as they stand here.
 */
final class ProcessorPositions {

    private static final long TOKENS_FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final NodeRoles roles;
    private final Configuration axon;
    private final EventStoreDatabase database;
    private final LogPositions log;
    /** Per group, when its tokens were last read and the position they gave. */
    private final Map<String, long[]> tokens = new ConcurrentHashMap<>();

    ProcessorPositions(NodeRoles roles, Configuration axon, EventStoreDatabase database, LogPositions log) {
        this.roles = roles;
        this.axon = axon;
        this.database = database;
        this.log = log;
    }

    /** The lowest position of the processor's segments, -1 before it starts. */
    long position(String group) {
        if (!roles.all()) {
            return fromTokens(group);
        }
        return local(group) instanceof StreamingEventProcessor streaming ? ProcessorProgress.lowestPosition(streaming)
                : -1;
    }

    /**
     * How far the processor has got while it streams normally: on this node, empty when it is stopped, failed,
     * replaying or holds no segment here; across a cluster, empty when no live node claims one of its segments
     * (every projector stopped or crashed: the log takes writes regardless).
     */
    OptionalLong streaming(String group) {
        if (roles.all()) {
            return local(group) instanceof StreamingEventProcessor streaming
                    ? ProcessorProgress.streamingPosition(streaming) : OptionalLong.empty();
        }
        Set<String> live = new HashSet<>();
        ClusterMembership.live(database.clusterNodes().all(), Instant.now()).forEach(node -> live.add(node.id()));
        if (database.segmentOwners(group).values().stream().noneMatch(live::contains)) {
            return OptionalLong.empty();
        }
        long position = fromTokens(group);
        return position < 0 ? OptionalLong.empty() : OptionalLong.of(position);
    }

    /** Whether the processor has caught up with the head of the log. */
    boolean caughtUp(String group) {
        if (!roles.all()) {
            return position(group) >= log.headPosition();
        }
        return !(local(group) instanceof StreamingEventProcessor streaming) || ProcessorProgress.caughtUp(streaming);
    }

    /**
     * The processor's position from the tokens in the store, read at most every {@link #TOKENS_FRESH_NANOS} and
     * shared by every caller: read-your-writes polls every few milliseconds per waiting request.
     */
    private long fromTokens(String group) {
        long now = System.nanoTime();
        long[] read = tokens.get(group);
        if (read != null && now - read[0] < TOKENS_FRESH_NANOS) {
            return read[1];
        }
        // segments this node runs count as they stand here: a segment with no event of its own stores its token
        // only every claim extension
        long position = local(group) instanceof StreamingEventProcessor streaming
                && !streaming.processingStatus().isEmpty()
                ? ProcessorProgress.lowestPosition(streaming, database.storedTokens(group, axon.eventSerializer()))
                : database.processedPosition(group, axon.eventSerializer());
        tokens.put(group, new long[]{now, position});
        return position;
    }

    private Object local(String group) {
        return axon.eventProcessingConfiguration().eventProcessor(group).orElse(null);
    }
}
