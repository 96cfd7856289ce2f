package io.vectorsync.projections.hotcache;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets cache entries go once the index shows them: every {@code interval}, for the documents this
 * member owns, asks each space's index which versions searches see now
 * ({@link VectorIndex#searchableVersions}) and removes each entry the index shows at its version or a
 * newer one — only while the entry still holds that version, so a change written meanwhile stays.
 * An entry the index never reaches (a refused write, a lagging projection) stays until it is evicted.
 */
public final class HotCacheSweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HotCacheSweeper.class.getName());
    /** Documents per searchable-versions request. */
    static final int BATCH = 500;

    private final HotVectorCache cache;
    private final VectorIndexes indexes;
    private final ScheduledExecutorService timer;

    private HotCacheSweeper(HotVectorCache cache, VectorIndexes indexes) {
        this.cache = cache;
        this.indexes = indexes;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hot-cache-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static HotCacheSweeper start(HotVectorCache cache, VectorIndexes indexes, Duration interval) {
        HotCacheSweeper sweeper = new HotCacheSweeper(cache, indexes);
        sweeper.timer.scheduleWithFixedDelay(sweeper::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return sweeper;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // the index may be unreachable for a while: entries simply stay until the next sweep
            LOG.log(Level.FINE, "hot-cache sweep skipped: " + e.getMessage(), e);
        }
    }

    /** One pass over every space; returns how many entries left. */
    public int sweep() {
        int removed = 0;
        for (VectorIndex index : indexes.all()) {
            String space = index.space().name();
            Map<String, List<HotDocument>> byTenant = new LinkedHashMap<>();
            for (HotDocument document : cache.owned(space)) {
                byTenant.computeIfAbsent(document.tenant(), ignored -> new ArrayList<>()).add(document);
            }
            for (Map.Entry<String, List<HotDocument>> tenant : byTenant.entrySet()) {
                List<HotDocument> documents = tenant.getValue();
                for (int from = 0; from < documents.size(); from += BATCH) {
                    removed += sweep(index, space, tenant.getKey(), documents.subList(from, Math.min(documents.size(), from + BATCH)));
                }
            }
        }
        return removed;
    }

    private int sweep(VectorIndex index, String space, String tenant, Collection<HotDocument> documents) {
        Map<String, Long> searchable = index.searchableVersions(tenant,
                documents.stream().map(HotDocument::documentId).toList());
        int removed = 0;
        for (HotDocument document : documents) {
            Long version = searchable.get(document.documentId());
            if (version != null && version >= document.version() && cache.removeIfUnchanged(space, document)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
