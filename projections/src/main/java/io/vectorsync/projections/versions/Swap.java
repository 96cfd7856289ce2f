package io.vectorsync.projections.versions;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import io.vectorsync.store.ProcessorControl;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The hand-over at the heart of a swap: the live processor stops where it is, the version's processor is given
 * time to see every event the live one had seen (not just to get as far: an event committed late, a gap in the
 * tokens, may be behind a processor that is past its position), and then the caller's hand-over runs with the
 * tokens the live processor stopped at — to make the version live, and to feed the old live version from exactly
 * there. The live processor starts again in every case, writing into whatever is live then.
 */
final class Swap {

    private final TokenStore tokens;
    private final TransactionManager transactions;
    private final Duration coveringWait;
    private final ProcessorControl control;
    private final Function<String, Map<Integer, TrackingToken>> stored;

    /**
     * @param coveringWait how long the version's processor may take to see what the live one had seen, and the nodes
     *                     to stop a processor
     * @param control      stops a processor on every node, not only on this one
     * @param stored       the tokens a processor's segments last stored, for the segments other nodes run
     */
    public Swap(TokenStore tokens, TransactionManager transactions, Duration coveringWait, ProcessorControl control,
                Function<String, Map<Integer, TrackingToken>> stored) {
        this.tokens = tokens;
        this.transactions = transactions;
        this.coveringWait = coveringWait;
        this.control = control;
        this.stored = stored;
    }

    /**
     * Stops {@code liveGroup} on every node, waits until {@code target} covers its tokens, stops {@code target} on
     * every node too, then answers what {@code handOver} makes of the live tokens. When a wait runs out, nothing has
     * changed and the swap is called off with an {@link IllegalStateException}.
     */
    public <T> T run(String liveGroup, StreamingEventProcessor target, String reason,
                     Function<Map<Integer, TrackingToken>, T> handOver) {
        try (ProcessorControl.Held live = control.holdEverywhere(liveGroup, reason, coveringWait)) {
            Map<Integer, TrackingToken> stoppedAt = stoppedAt(liveGroup);
            awaitCovering(target, liveGroup, stoppedAt);
            try (ProcessorControl.Held feeding = control.holdEverywhere(target.getName(), reason, coveringWait)) {
                return handOver.apply(stoppedAt);
            }
        }
    }

    /**
     * The live processor's tokens, now that no node runs it; a node that crashed claims its segments until its claim
     * times out, so a claim is tried again until the wait runs out.
     */
    private Map<Integer, TrackingToken> stoppedAt(String liveGroup) {
        long deadline = System.nanoTime() + coveringWait.toNanos();
        while (true) {
            try {
                Map<Integer, TrackingToken> stoppedAt = new TreeMap<>();
                transactions.executeInTransaction(() -> {
                    for (int segment : tokens.fetchSegments(liveGroup)) {
                        stoppedAt.put(segment, tokens.fetchToken(liveGroup, segment));
                        tokens.releaseClaim(liveGroup, segment);
                    }
                });
                return stoppedAt;
            } catch (UnableToClaimTokenException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a segment of " + liveGroup + " is still claimed by a node that "
                            + "stopped answering; the swap was called off and nothing changed (try again once its "
                            + "claim has timed out)", e);
                }
                pause();
            }
        }
    }

    private void awaitCovering(StreamingEventProcessor target, String liveGroup, Map<Integer, TrackingToken> live) {
        long deadline = System.nanoTime() + coveringWait.toNanos();
        while (!covers(target, live)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(target.getName() + " did not see every event " + liveGroup + " had "
                        + "seen within " + coveringWait + "; the swap was called off and nothing changed");
            }
            pause();
        }
    }

    /**
     * Whether the version's processor covers the live tokens: where this node runs a segment, as it stands here;
     * a segment another node runs, as last stored.
     */
    private boolean covers(StreamingEventProcessor target, Map<Integer, TrackingToken> live) {
        Map<Integer, TrackingToken> positions = new TreeMap<>();
        target.processingStatus().forEach((segment, status) -> positions.put(segment, status.getTrackingToken()));
        if (covers(positions, live)) {
            return true;
        }
        stored.apply(target.getName()).forEach(positions::putIfAbsent);
        return covers(positions, live);
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a swap", e);
        }
    }

    /** Whether each segment's token has seen every event the same segment of {@code live} had seen. */
    static boolean covers(Map<Integer, TrackingToken> positions, Map<Integer, TrackingToken> live) {
        if (positions.isEmpty()) {
            return false;
        }
        for (Map.Entry<Integer, TrackingToken> theirs : live.entrySet()) {
            if (theirs.getValue() == null) {
                continue;
            }
            TrackingToken token = positions.get(theirs.getKey());
            if (token == null || !WrappedToken.unwrapUpperBound(token)
                    .covers(WrappedToken.unwrapUpperBound(theirs.getValue()))) {
                return false;
            }
        }
        return true;
    }
}
