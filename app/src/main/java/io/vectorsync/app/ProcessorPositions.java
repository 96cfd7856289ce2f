package io.vectorsync.app;

import io.vectorsync.store.ClusterMembership;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.ProcessorProgress;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How far each processor has got, as read-your-writes and the write gate ask it. On a node with every role, its own
 * processor's status; on a node of a cluster, the tokens the processor's segments stored in the store, wherever they
 * run (a projector holds only some of the segments, a command or query node none).
 */
final class ProcessorPositions {

    private final NodeRoles roles;
    private final Configuration axon;
    private final EventStoreDatabase database;
    private final LogPositions log;

    ProcessorPositions(NodeRoles roles, Configuration axon, EventStoreDatabase database, LogPositions log) {
        this.roles = roles;
        this.axon = axon;
        this.database = database;
        this.log = log;
    }

    /** The lowest position of the processor's segments, -1 before it starts. */
    long position(String group) {
        if (!roles.all()) {
            return database.processedPosition(group, axon.eventSerializer());
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
        long position = database.processedPosition(group, axon.eventSerializer());
        return position < 0 ? OptionalLong.empty() : OptionalLong.of(position);
    }

    /** Whether the processor has caught up with the head of the log. */
    boolean caughtUp(String group) {
        if (!roles.all()) {
            return position(group) >= log.headPosition();
        }
        return !(local(group) instanceof StreamingEventProcessor streaming) || ProcessorProgress.caughtUp(streaming);
    }

    private Object local(String group) {
        return axon.eventProcessingConfiguration().eventProcessor(group).orElse(null);
    }
}
