package io.vectorsync.query;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The read-your-writes gate: a read that names a position of the log ({@code consistentWith}, what a command's
 * answer carries) waits until what it reads reflects that position, or fails with {@link ProjectionLagException}
 * naming the projection that lags once the configured wait is over.
 * <p>
 * A document read depends only on the encoder (the store has every acknowledged event; the encoder adds the
 * embeddings of a written text). A search depends on the encoder too, and with the hot-vector cache on, on nothing
 * else: every change the encoder (or a command) commits is in the cache before its position is passed. Without the
 * cache, the vector index must also have taken the log as far as it reached by then, and made it searchable (an
 * OpenSearch refresh, only when a consistent read needs one).
 */
public final class ReadYourWrites {

    private final ToLongFunction<String> processed;
    private final LongSupplier head;
    private final Duration wait;
    private final String encoder;
    private final String index;
    private final boolean hotCache;
    private final Runnable makeSearchable;
    private final Consumer<Runnable> whileWaiting;

    /**
     * @param processed      how far a processing group has got: the lowest position of its segments, -1 before any
     * @param head           the position of the newest event in the log
     * @param wait           how long a read may wait before it fails
     * @param encoder        the encoder's processing group
     * @param index          the live vector index's processing group
     * @param hotCache       whether the hot-vector cache is on
     * @param makeSearchable makes what the indexes hold searchable (a refresh)
     * @param whileWaiting   runs a wait: the front door lets another request compute meanwhile
     */
    public ReadYourWrites(ToLongFunction<String> processed, LongSupplier head, Duration wait, String encoder,
                          String index, boolean hotCache, Runnable makeSearchable, Consumer<Runnable> whileWaiting) {
        this.processed = processed;
        this.head = head;
        this.wait = wait;
        this.encoder = encoder;
        this.index = index;
        this.hotCache = hotCache;
        this.makeSearchable = makeSearchable;
        this.whileWaiting = whileWaiting;
    }

    /** For a search: returns once what a search reads reflects {@code position}. */
    public void awaitSearchable(long position) {
        long started = System.nanoTime();
        long deadline = started + wait.toNanos();
        await(encoder, position, started, deadline);
        if (!hotCache) {
            await(index, Math.max(position, head.getAsLong()), started, deadline);
            makeSearchable.run();
        }
    }

    /** For a document read: returns once the encoder has passed {@code position}. */
    public void awaitEncoded(long position) {
        long started = System.nanoTime();
        await(encoder, position, started, started + wait.toNanos());
    }

    private void await(String group, long position, long started, long deadline) {
        if (processed.applyAsLong(group) >= position) {
            return;
        }
        whileWaiting.accept(() -> poll(group, position, started, deadline));
    }

    private void poll(String group, long position, long started, long deadline) {
        while (true) {
            long reached = processed.applyAsLong(group);
            if (reached >= position) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ProjectionLagException(group, reached, position, (System.nanoTime() - started) / 1_000_000);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProjectionLagException(group, reached, position, (System.nanoTime() - started) / 1_000_000);
            }
        }
    }
}
