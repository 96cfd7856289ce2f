package io.vectorsync.app;

import io.vectorsync.ui.access.Bulkheads;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Backpressure from the live index to writes (Elasticsearch's indexing pressure, counted in events): while the index's
 * processor is more than {@code maxLag} events behind the head of the log, writes wait before they start, and one that
 * waited its deadline is answered 429. The event log would take writes faster than the index can follow while searches
 * share the cores; every document the index has not taken yet is merged into each search from the hot cache, so an
 * index left behind makes searches dearer and leaves it still fewer cores. Only a processor streaming normally holds
 * writes back: one stopped, failed or replaying (an operator's reset) does not, since the log takes writes regardless.
 */
final class IndexPressure implements Bulkheads.Gate {

    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final long maxLag;
    private final LongSupplier head;
    private final Supplier<OptionalLong> indexPosition;
    private long checkedAt;
    private String answer;

    /**
     * @param head          the head position of the log
     * @param indexPosition how far the live index's processor has got, empty while it is not streaming normally
     */
    IndexPressure(long maxLag, LongSupplier head, Supplier<OptionalLong> indexPosition) {
        this.maxLag = maxLag;
        this.head = head;
        this.indexPosition = indexPosition;
        this.checkedAt = System.nanoTime() - RECHECK_NANOS;
    }

    /** Looked up at most every 20 ms, however many writes ask. */
    @Override
    public synchronized String closedBecause() {
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS) {
            checkedAt = now;
            answer = compute();
        }
        return answer;
    }

    private String compute() {
        OptionalLong reached = indexPosition.get();
        if (reached.isEmpty()) {
            return null;
        }
        long lag = head.getAsLong() - reached.getAsLong();
        return lag > maxLag ? "the index is " + lag + " events behind the log (vectorsync.limits.write.max-index-lag: "
                + maxLag + ")" : null;
    }
}
