package io.vectorsync.store;

import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How far a streaming processor has got in the log, as this node sees it (the segments it claims): the one place
 * that reads Axon's per-segment tracker statuses for read-your-writes, index pressure, swaps and readiness.
 */
public final class ProcessorProgress {

    private ProcessorProgress() {
    }

    /** The lowest position of its segments here; -1 before it has claimed one or read an event. */
    public static long lowestPosition(StreamingEventProcessor processor) {
        return statuses(processor).stream().mapToLong(status -> status.getCurrentPosition().orElse(-1))
                .min().orElse(-1);
    }

    /**
     * The lowest position of the processor's segments across the nodes that run them: those this node runs as they
     * stand here, the others as they last stored them ({@code stored}, by segment); -1 before one has started.
     */
    public static long lowestPosition(StreamingEventProcessor processor,
                                      Map<Integer, org.axonframework.eventhandling.TrackingToken> stored) {
        Map<Integer, EventTrackerStatus> local = processor.processingStatus();
        long lowest = local.isEmpty() ? Long.MAX_VALUE : lowestPosition(processor);
        for (Map.Entry<Integer, org.axonframework.eventhandling.TrackingToken> segment : stored.entrySet()) {
            if (!local.containsKey(segment.getKey())) {
                lowest = Math.min(lowest, segment.getValue() == null ? -1 : segment.getValue().position().orElse(-1));
            }
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }

    /**
     * {@link #lowestPosition}, while it streams normally here: empty when it is stopped, failed, replaying, or holds
     * no segment on this node.
     */
    public static OptionalLong streamingPosition(StreamingEventProcessor processor) {
        Collection<EventTrackerStatus> statuses = statuses(processor);
        if (!processor.isRunning() || statuses.isEmpty()
                || statuses.stream().anyMatch(status -> status.isErrorState() || status.isReplaying())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(lowestPosition(processor));
    }

    /** Every segment here has caught up with the head of the stream, none failed (and it holds at least one). */
    public static boolean caughtUp(StreamingEventProcessor processor) {
        Collection<EventTrackerStatus> statuses = statuses(processor);
        return !statuses.isEmpty() && statuses.stream().allMatch(status -> status.isCaughtUp() && !status.isErrorState());
    }

    /** Every segment here has reached {@code position}, none failed (and it holds at least one). */
    public static boolean reached(StreamingEventProcessor processor, long position) {
        Collection<EventTrackerStatus> statuses = statuses(processor);
        return !statuses.isEmpty() && statuses.stream().allMatch(status -> !status.isErrorState()
                && status.getCurrentPosition().orElse(-1) >= position);
    }

    private static Collection<EventTrackerStatus> statuses(StreamingEventProcessor processor) {
        return processor.processingStatus().values();
    }
}
