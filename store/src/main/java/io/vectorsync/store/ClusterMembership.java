package io.vectorsync.store;

import org.axonframework.eventhandling.StreamingEventProcessor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node in the cluster: it records itself in the store and beats every {@link #EVERY}, and, as a projector, keeps
 * its share of each processor's segments to at most ceil(segments ÷ live projectors) by releasing the extra ones
 * for a while, so the other projectors claim them. A node that stops leaves the table; one that crashes stays there,
 * no longer live once it has not beaten for {@link #LIVE_WITHIN}, and its segments move once their claims time out.
 */
public final class ClusterMembership implements AutoCloseable {

    /** How often a node beats (and balances). */
    public static final Duration EVERY = Duration.ofSeconds(2);
    /** A node whose last beat is older is not live. */
    public static final Duration LIVE_WITHIN = Duration.ofSeconds(10);
    /** How long a released segment is left to the others: two of the coordinators' claim intervals (5 s). */
    private static final Duration RELEASE_FOR = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ClusterMembership.class.getName());

    private final EventStoreDatabase database;
    private final ClusterNodes nodes;
    private final ClusterNodes.Node self;
    private final boolean projector;
    private final Supplier<Map<String, StreamingEventProcessor>> processors;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    /**
     * Records this node at once, then beats in the background.
     *
     * @param roles      as configured ({@code all}, or a comma-separated list)
     * @param processors the streaming processors this node runs, by name (none unless it is a projector)
     */
    public ClusterMembership(EventStoreDatabase database, String nodeId, String roles, String address,
                             Supplier<Map<String, StreamingEventProcessor>> processors, Clock clock) {
        this.database = database;
        this.nodes = database.clusterNodes();
        this.self = new ClusterNodes.Node(nodeId, roles, address, clock.instant(), clock.instant());
        this.projector = isProjector(roles);
        this.processors = processors;
        this.clock = clock;
        nodes.beat(self);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("cluster-membership")
                .factory());
        timer.scheduleWithFixedDelay(this::tick, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The nodes that have beaten within {@link #LIVE_WITHIN}. */
    public static List<ClusterNodes.Node> live(List<ClusterNodes.Node> nodes, Instant now) {
        return nodes.stream().filter(node -> node.heartbeatAt().isAfter(now.minus(LIVE_WITHIN))).toList();
    }

    static boolean isProjector(String roles) {
        return roles.equals("all") || List.of(roles.split(",")).contains("projector");
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            nodes.beat(new ClusterNodes.Node(self.id(), self.roles(), self.address(), self.startedAt(), now));
            if (projector) {
                balance(now);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster membership of " + self.id() + ": " + e.getMessage(), e);
        }
    }

    /** Releases, per processor, one segment beyond this node's fair share (one a beat: the others catch up). */
    void balance(Instant now) {
        long projectors = live(nodes.all(), now).stream().filter(node -> isProjector(node.roles())).count();
        if (projectors < 2) {
            return;
        }
        Map<String, Map<Integer, String>> owners = database.segmentOwners();
        for (Map.Entry<String, StreamingEventProcessor> entry : processors.get().entrySet()) {
            Map<Integer, String> segments = owners.get(entry.getKey());
            if (segments == null) {
                continue;
            }
            long fair = (segments.size() + projectors - 1) / projectors;
            List<Integer> mine = new ArrayList<>(entry.getValue().processingStatus().keySet());
            if (mine.size() > fair) {
                int released = mine.stream().max(Integer::compare).orElseThrow();
                LOG.info(() -> self.id() + " holds " + mine.size() + " segments of " + entry.getKey() + " among "
                        + projectors + " projectors: releasing segment " + released);
                entry.getValue().releaseSegment(released, RELEASE_FOR.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            nodes.leave(self.id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "forgetting node " + self.id() + ": " + e.getMessage(), e);
        }
    }
}
