package io.vectorsync.projections.versions;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;

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

    /** @param coveringWait how long the version's processor may take to see what the live one had seen */
    public Swap(TokenStore tokens, TransactionManager transactions, Duration coveringWait) {
        this.tokens = tokens;
        this.transactions = transactions;
        this.coveringWait = coveringWait;
    }

    /**
     * Stops {@code live} (named {@code liveGroup}), waits until {@code target} covers its tokens, then answers what
     * {@code handOver} makes of those tokens. When the wait runs out, nothing has changed and the swap is called off
     * with an {@link IllegalStateException}.
     */
    public <T> T run(EventProcessor live, String liveGroup, StreamingEventProcessor target,
                     Function<Map<Integer, TrackingToken>, T> handOver) {
        live.shutDown();
        try {
            Map<Integer, TrackingToken> stoppedAt = new TreeMap<>();
            transactions.executeInTransaction(() -> {
                for (int segment : tokens.fetchSegments(liveGroup)) {
                    stoppedAt.put(segment, tokens.fetchToken(liveGroup, segment));
                    tokens.releaseClaim(liveGroup, segment);
                }
            });
            awaitCovering(target, liveGroup, stoppedAt);
            return handOver.apply(stoppedAt);
        } finally {
            live.start();
        }
    }

    private void awaitCovering(StreamingEventProcessor target, String liveGroup, Map<Integer, TrackingToken> live) {
        long deadline = System.nanoTime() + coveringWait.toNanos();
        while (!covers(target.processingStatus(), live)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(target.getName() + " did not see every event " + liveGroup + " had "
                        + "seen within " + coveringWait + "; the swap was called off and nothing changed");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + target.getName(), e);
            }
        }
    }

    /** Whether each segment's token has seen every event the same segment of {@code live} had seen. */
    static boolean covers(Map<Integer, EventTrackerStatus> status, Map<Integer, TrackingToken> live) {
        if (status.isEmpty()) {
            return false;
        }
        for (Map.Entry<Integer, TrackingToken> theirs : live.entrySet()) {
            if (theirs.getValue() == null) {
                continue;
            }
            EventTrackerStatus ours = status.get(theirs.getKey());
            TrackingToken token = ours == null ? null : ours.getTrackingToken();
            if (token == null || !WrappedToken.unwrapUpperBound(token)
                    .covers(WrappedToken.unwrapUpperBound(theirs.getValue()))) {
                return false;
            }
        }
        return true;
    }
}
