package io.vectorsync.command.api;


import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Backpressure from the live index to writes (Elasticsearch's indexing pressure, counted in events): while the index's
 * processor is more than {@code maxLag} events behind the head of the log, a write waits before it reaches the store
 * (once its request has been found acceptable). The log would take writes faster than the index can follow while
 * searches share the cores; every document the index has not taken yet is merged into each search from the hot cache,
 * so an index left behind makes searches dearer and leaves it still fewer cores. A write that would have to wait longer
 * than twice {@code maxWait} (judged by the rate the index took events while it was behind) is refused at once, and
 * one that waited {@code maxWait} is refused then: 429 with a {@code Retry-After} of the time the index should need. Only a processor
 * streaming normally holds writes back: one stopped, failed or replaying (an operator's reset) does not, since the log
 * takes writes regardless.
 */
public final class IndexPressure implements WriteGate {

    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_RETRY_AFTER_SECONDS = 60;

    private final long maxLag;
    private final long maxWaitNanos;
    private final LongSupplier head;
    private final Supplier<OptionalLong> indexPosition;
    private final Consumer<Runnable> whileWaiting;
    private long checkedAt;
    private long lag;
    private String answer;
    /**
     * Events per second the index took over the last window of a second or more throughout which it was behind the
     * limit (busy, so this is what it can take, not what writes gave it); 0 until known.
     */
    private double rate;
    private long rateSince;
    private long rateSincePosition = -1;

    /**
     * @param head          the head position of the log
     * @param indexPosition how far the live index's processor has got, empty while it is not streaming normally
     */
    public IndexPressure(long maxLag, Duration maxWait, LongSupplier head, Supplier<OptionalLong> indexPosition) {
        this(maxLag, maxWait, head, indexPosition, Runnable::run);
    }

    /**
     * @param indexPosition how far the live index's processor has got while it streams normally; empty otherwise
     * @param whileWaiting  runs a wait: the front door lets another request compute meanwhile
     */
    public IndexPressure(long maxLag, Duration maxWait, LongSupplier head, Supplier<OptionalLong> indexPosition,
                         Consumer<Runnable> whileWaiting) {
        this.whileWaiting = whileWaiting;
        this.maxLag = maxLag;
        this.maxWaitNanos = maxWait.toNanos();
        this.head = head;
        this.indexPosition = indexPosition;
        this.checkedAt = System.nanoTime() - RECHECK_NANOS;
    }

    /**
     * Returns once the index is close enough, or throws {@link WriteGate.Closed}: at once when the index should need
     * longer than {@code maxWait}, else after waiting that long. The wait is a wait, not work: the write's bulkhead
     * lets another request run meanwhile.
     */
    @Override
    public void await() {
        if (closedBecause() == null) {
            return;
        }
        refuseIfHopeless();
        long deadline = System.nanoTime() + maxWaitNanos;
        whileWaiting.accept(() -> {
            while (closedBecause() != null && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        String closed = closedBecause();
        if (closed != null) {
            throw new WriteGate.Closed("nothing was written: " + closed + ", and it did not catch up within "
                    + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms", retryAfterSeconds());
        }
    }

    /** Refuses at once a write the index should need more than twice its wait to let through. */
    private synchronized void refuseIfHopeless() {
        if (rate > 0 && (lag - maxLag) / rate * 1e9 > 2.0 * maxWaitNanos) {
            throw new WriteGate.Closed("nothing was written: " + answer + ", and at the " + Math.round(rate)
                    + " events/s it has been taking it needs longer than " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos)
                    + " ms to catch up", retryAfterSeconds());
        }
    }

    /** The seconds the index should need to come within the limit, at least 1. */
    private synchronized long retryAfterSeconds() {
        if (rate <= 0 || lag <= maxLag) {
            return 1;
        }
        return Math.clamp((long) Math.ceil((lag - maxLag) / rate), 1, MAX_RETRY_AFTER_SECONDS);
    }

    /** Null while writes may go on, or why not; looked up at most every 20 ms, however many writes ask. */
    synchronized String closedBecause() {
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS) {
            checkedAt = now;
            answer = compute(now);
        }
        return answer;
    }

    private String compute(long now) {
        OptionalLong reached = indexPosition.get();
        if (reached.isEmpty()) {
            rateSincePosition = -1;
            return null;
        }
        long position = reached.getAsLong();
        lag = head.getAsLong() - position;
        if (lag <= maxLag || rateSincePosition < 0 || position < rateSincePosition) {
            rateSince = now; // a window starts (again) only while the index is behind
            rateSincePosition = lag <= maxLag ? -1 : position;
        } else if (now - rateSince >= RATE_WINDOW_NANOS) {
            rate = (position - rateSincePosition) * 1e9 / (now - rateSince);
            rateSince = now;
            rateSincePosition = position;
        }
        return lag > maxLag ? "the index is " + lag + " events behind the log (vectorsync.limits.write.max-index-lag: "
                + maxLag + ")" : null;
    }
}
