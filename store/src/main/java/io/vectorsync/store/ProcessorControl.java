package io.vectorsync.store;

import io.vectorsync.json.ReportedProblem;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starting and stopping processors on every node at once, through the store ({@link ProcessorHolds}): what a pause,
 * a replay and a swap need when a processor's segments are spread over several projector nodes. Axon's own
 * {@code shutDown} and {@code resetTokens} act on this node only, and a reset fails while another node claims a
 * segment.
 * <p>
 * Every projector node polls the holds every {@link #POLL}: it stops its instance of each held processor and
 * acknowledges the hold (also when it runs no such processor), and starts again what it stopped once the hold is
 * gone. A replay's hold asks for a reset, which one projector node that runs the processor performs once every live
 * projector has acknowledged; it then ends the hold. The node that asks acts on itself at once, so a single node
 * never waits for a poll.
 */
public final class ProcessorControl implements AutoCloseable {

    public static final Duration POLL = Duration.ofMillis(200);
    private static final Logger LOG = Logger.getLogger(ProcessorControl.class.getName());

    /** A processor is held by another operation already: what it is, for a 409. */
    public static final class HeldException extends IllegalStateException implements ReportedProblem {
        public HeldException(String message) {
            super(message);
        }

        @Override
        public int status() {
            return 409;
        }

        @Override
        public String slug() {
            return "processor-held";
        }

        @Override
        public String title() {
            return "The processor is held by another operation";
        }
    }

    /** Live projector nodes did not stop a processor in time: nothing was changed, for a 503. */
    public static final class NotStoppedException extends IllegalStateException implements ReportedProblem {
        public NotStoppedException(String message) {
            super(message);
        }

        @Override
        public int status() {
            return 503;
        }

        @Override
        public String slug() {
            return "processor-not-stopped";
        }

        @Override
        public String title() {
            return "Not every projector node stopped the processor in time";
        }

        @Override
        public long retryAfterSeconds() {
            return 5;
        }
    }

    /** A hold this node asked for; closing it ends the hold (and this node starts its instance again). */
    public final class Held implements AutoCloseable {
        private final ProcessorHolds.Hold hold;

        private Held(ProcessorHolds.Hold hold) {
            this.hold = hold;
        }

        public ProcessorHolds.Hold hold() {
            return hold;
        }

        @Override
        public void close() {
            release(hold);
        }
    }

    private final ProcessorHolds holds;
    private final ClusterNodes nodes;
    private final String nodeId;
    private final Supplier<Map<String, StreamingEventProcessor>> processors;
    private final Clock clock;
    private final List<Runnable> beforeApplying = new CopyOnWriteArrayList<>();
    /** What this node stopped for a hold, to start again when the hold ends. */
    private final Set<String> stoppedHere = ConcurrentHashMap.newKeySet();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ProcessorHolds.Hold> current = Map.of();
    private final ScheduledExecutorService timer;

    /**
     * @param projector  whether this node runs processors: only projector nodes poll and acknowledge
     * @param processors the streaming processors this node runs, by name
     */
    public ProcessorControl(EventStoreDatabase database, String nodeId, boolean projector,
                            Supplier<Map<String, StreamingEventProcessor>> processors, Clock clock) {
        this.holds = database.processorHolds();
        this.nodes = database.clusterNodes();
        this.nodeId = nodeId;
        this.processors = processors;
        this.clock = clock;
        this.timer = !projector ? null : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("processor-control").factory());
        if (timer != null) {
            timer.scheduleWithFixedDelay(this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs {@code action} on every poll after the holds are read and before they are applied: what brings this
     * node's processors in line with the store (the index versions), so a processor whose hold ends is started
     * again only if it should still run here.
     */
    public void beforeApplying(Runnable action) {
        beforeApplying.add(action);
    }

    /** Whether the processor is held (as of this node's last look at the store). */
    public boolean isHeld(String processor) {
        return current.containsKey(processor);
    }

    /** The hold on a processor, from the store. */
    public Optional<ProcessorHolds.Hold> holdOf(String processor) {
        return holds.find(processor);
    }

    /** Holds the processor on every node from now on, without waiting; a 409 when something else holds it. */
    public ProcessorHolds.Hold hold(String processor, String reason, boolean reset) {
        ProcessorHolds.Hold hold = new ProcessorHolds.Hold(processor, UUID.randomUUID().toString(), reason, reset, null,
                clock.instant());
        if (!holds.hold(hold)) {
            String other = holds.find(processor).map(ProcessorHolds.Hold::reason).orElse("another operation");
            throw new HeldException("processor '" + processor + "' is held on every node (" + other + "); try again "
                    + "once that is over");
        }
        apply(holds.all());
        return hold;
    }

    /**
     * Holds the processor and waits until every live projector node has stopped it: afterwards no node processes
     * it until the returned hold is closed. When {@code wait} runs out the hold ends and an
     * {@link IllegalStateException} names the nodes that did not answer.
     */
    public Held holdEverywhere(String processor, String reason, Duration wait) {
        ProcessorHolds.Hold hold = hold(processor, reason, false);
        try {
            awaitAcknowledged(hold, wait);
            return new Held(hold);
        } catch (RuntimeException e) {
            release(hold);
            throw e;
        }
    }

    /** Ends a hold: this node starts what it stopped for it at once, the others within a poll. */
    public void release(ProcessorHolds.Hold hold) {
        holds.release(hold.processor(), hold.id());
        apply(holds.all());
    }

    /**
     * Replays a processor from the start on every node: holds it, and once every live projector has stopped it,
     * resets its tokens (the reset handlers prepare the target) and ends the hold. Performed here when this node
     * runs the processor, else by a projector node that does. Answers whether the replay has started within
     * {@code wait}; when not, it is still asked for and goes ahead once the nodes answer.
     */
    public boolean replay(String processor, Duration wait) {
        ProcessorHolds.Hold hold = hold(processor, "replay from the start", true);
        long deadline = System.nanoTime() + wait.toNanos();
        StreamingEventProcessor local = processors.get().get(processor);
        while (System.nanoTime() < deadline) {
            if (holds.find(processor).filter(h -> h.id().equals(hold.id())).isEmpty()) {
                return true; // another node performed it
            }
            if (local != null && missing(hold).isEmpty() && reset(hold, local)) {
                return true;
            }
            sleep();
        }
        return false;
    }

    private void awaitAcknowledged(ProcessorHolds.Hold hold, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Set<String> missing = missing(hold);
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new NotStoppedException("the projector nodes " + missing + " did not stop processor '"
                        + hold.processor() + "' within " + wait.toSeconds() + " s; nothing was changed");
            }
            sleep();
        }
    }

    /** The live projector nodes that have not acknowledged the hold yet (this node acts at once). */
    private Set<String> missing(ProcessorHolds.Hold hold) {
        Set<String> acked = holds.acknowledged(hold.processor(), hold.id());
        Instant now = clock.instant();
        Set<String> missing = new java.util.TreeSet<>();
        for (ClusterNodes.Node node : ClusterMembership.live(nodes.all(), now)) {
            if (ClusterMembership.isProjector(node.roles()) && !acked.contains(node.id())) {
                missing.add(node.id());
            }
        }
        return missing;
    }

    private void poll() {
        try {
            Map<String, ProcessorHolds.Hold> held = holds.all();
            current = held;
            for (Runnable action : beforeApplying) {
                action.run();
            }
            // a hold that ended while the registry was followed is not applied again; a processor whose hold ended
            // starts again only after a look at the registry that came after the end (the next poll)
            apply(held, holds.all());
            for (ProcessorHolds.Hold hold : held.values()) {
                StreamingEventProcessor local = processors.get().get(hold.processor());
                if (hold.reset() && hold.resetBy() == null && local != null && missing(hold).isEmpty()) {
                    reset(hold, local);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "processor control on " + nodeId + ": " + e.getMessage(), e);
        }
    }

    private void apply(Map<String, ProcessorHolds.Hold> held) {
        apply(held, held);
    }

    /**
     * Stops what is held, acknowledges it, and starts what this node stopped for a hold that has ended.
     *
     * @param held  the holds as read before this node followed the registry: what has ended here starts again
     * @param fresh the holds as read after it: only what is still held is stopped and acknowledged
     */
    private synchronized void apply(Map<String, ProcessorHolds.Hold> held, Map<String, ProcessorHolds.Hold> fresh) {
        current = fresh;
        Map<String, StreamingEventProcessor> local = processors.get();
        for (ProcessorHolds.Hold hold : held.values()) {
            ProcessorHolds.Hold still = fresh.get(hold.processor());
            if (still == null || !still.id().equals(hold.id())) {
                continue;
            }
            StreamingEventProcessor processor = local.get(hold.processor());
            if (processor != null && processor.isRunning()) {
                processor.shutDown();
                stoppedHere.add(hold.processor());
                LOG.info(() -> nodeId + " stopped processor '" + hold.processor() + "': " + hold.reason());
            }
            if (timer != null && acknowledged.add(hold.id())) {
                holds.acknowledge(hold.processor(), hold.id(), nodeId);
            }
        }
        for (String name : List.copyOf(stoppedHere)) {
            if (!held.containsKey(name)) {
                stoppedHere.remove(name);
                StreamingEventProcessor processor = local.get(name);
                if (processor != null && !processor.isRunning()) {
                    processor.start();
                    LOG.info(() -> nodeId + " started processor '" + name + "' again: its hold has ended");
                }
            }
        }
        acknowledged.retainAll(fresh.values().stream().map(ProcessorHolds.Hold::id).toList());
    }

    /** Resets the processor's tokens if this node takes the reset; false when it is not done (tried again later). */
    private boolean reset(ProcessorHolds.Hold hold, StreamingEventProcessor processor) {
        if (!holds.takeReset(hold.processor(), hold.id(), nodeId)) {
            return false;
        }
        try {
            processor.resetTokens(); // every live node has stopped it; the reset handlers prepare the target
        } catch (UnableToClaimTokenException e) {
            // a node that crashed still claims a segment until its claim times out
            holds.returnReset(hold.processor(), hold.id());
            return false;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "replay of '" + hold.processor() + "' failed; the processor runs on from where it "
                    + "was: " + e.getMessage(), e);
            release(hold);
            throw e;
        }
        LOG.info(() -> nodeId + " reset the tokens of '" + hold.processor() + "': it replays the log from the start");
        release(hold);
        return true;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the projector nodes", e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
