package io.vectorsync.app.erasure;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.store.ErasurePurges;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes erasures physical (issue 21): whenever the erasure processor has asked for a purge ({@link ErasurePurges}),
 * every index this node holds expunges what deletes left in its files ({@link VectorIndex#expungeDeletes}: Lucene
 * merges the segments at once, OpenSearch may wait up to half a minute for its retention leases), the key store
 * rewrites itself without the destroyed keys, and the purge is recorded as done through the position asked for. Many
 * erasures share one purge. Outside the processor's transaction, so a slow merge holds nothing; a failed purge is
 * tried again (after 5 s), and one cut short by a crash is done after the restart (the request stays).
 */
final class ErasurePurger implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ErasurePurger.class.getName());
    private static final long RETRY_AFTER = TimeUnit.SECONDS.toNanos(5);

    private final ErasurePurges purges;
    private final DocumentKeys keys;
    private final Supplier<List<VectorIndex>> indexes;
    private final ScheduledExecutorService worker;
    private long failedAt; // nanoTime of the last failure, 0: none; worker thread only

    ErasurePurger(ErasurePurges purges, DocumentKeys keys, Supplier<List<VectorIndex>> indexes) {
        this.purges = purges;
        this.keys = keys;
        this.indexes = indexes;
        this.worker = TenantEraser.daemon("erasure-purger");
        worker.scheduleWithFixedDelay(this::purgeIfAsked, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** Looks now rather than at the next tick. */
    void wake() {
        if (!worker.isShutdown()) {
            worker.execute(this::purgeIfAsked);
        }
    }

    private void purgeIfAsked() {
        if (failedAt != 0 && System.nanoTime() - failedAt < RETRY_AFTER) {
            return;
        }
        try {
            ErasurePurges.State state = purges.state();
            if (!state.pending()) {
                return;
            }
            long started = System.nanoTime();
            List<VectorIndex> all = indexes.get();
            for (VectorIndex index : all) {
                index.expungeDeletes();
            }
            keys.shred();
            purges.purged(state.requestedThrough());
            failedAt = 0;
            LOG.info(() -> "erasures through position " + state.requestedThrough() + " purged: " + all.size()
                    + " index(es) expunged, the key store rewritten, in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } catch (RuntimeException e) {
            failedAt = System.nanoTime();
            LOG.log(Level.WARNING, "purging erased documents failed; tried again in 5 s: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        TenantEraser.stop(worker);
    }
}
