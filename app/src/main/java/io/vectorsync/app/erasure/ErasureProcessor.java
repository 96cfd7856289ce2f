package io.vectorsync.app.erasure;

import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.store.EventStoreDatabase;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Finishes each erasure (issue 21) after its {@link DocumentErased} committed with its keys destroyed: the document
 * leaves every index this node holds — the live ones, and every version being fed, point-in-time ones included, which
 * may never read the erasure themselves — and every dead-letter queue, and a purge through its position is requested
 * ({@link ErasurePurger} expunges the indexes' files and shreds the key store, once for many erasures). A failure
 * fails the batch, which the processor retries: an erasure is never skipped.
 */
@ProcessingGroup(ErasureProcessing.PROCESSING_GROUP)
final class ErasureProcessor {
    private static final Logger LOG = Logger.getLogger(ErasureProcessor.class.getName());
    private static final String BATCH = ErasureProcessor.class.getName() + ".batch";

    private final EventStoreDatabase database;
    /** Wakes the purger once the batch is committed (it finds the request when it looks). */
    private final Runnable purger;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Supplier<List<VectorIndex>> indexes;

    ErasureProcessor(EventStoreDatabase database, Runnable purger) {
        this.database = database;
        this.purger = purger;
    }

    /** Where the indexes are, once the node has opened all of them (its index versions are opened after Axon starts). */
    void indexes(Supplier<List<VectorIndex>> indexes) {
        this.indexes = indexes;
        ready.countDown();
    }

    private record Erased(String tenant, String documentId, long version, long position) {
    }

    @EventHandler
    void on(DocumentErased event, @SequenceNumber long sequenceNumber, TrackingToken token) {
        Erased erased = new Erased(event.tenant(), event.documentId(), sequenceNumber + 1,
                token == null ? -1 : token.position().orElse(-1));
        if (!CurrentUnitOfWork.isStarted()) {
            finish(List.of(erased));
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        List<Erased> batch = root.getOrComputeResource(BATCH, key -> {
            List<Erased> documents = new ArrayList<>();
            // before the token (and the dead letters' removal) commits: done, or the batch is retried
            root.onPrepareCommit(unitOfWork -> finish(documents));
            return documents;
        });
        batch.add(erased);
    }

    private void finish(List<Erased> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        List<VectorIndex> all = indexes();
        List<IndexWrite> deletes = batch.stream()
                .<IndexWrite>map(e -> new IndexWrite.Delete(e.tenant(), e.documentId(), e.version())).toList();
        int letters = 0;
        for (Erased erased : batch) {
            letters += database.deleteDeadLetters(DocumentIds.aggregateId(erased.tenant(), erased.documentId()));
        }
        for (VectorIndex index : all) {
            index.apply(deletes); // a version guard keeps a newer write of the document (written again since)
        }
        // the expunge may wait tens of seconds for OpenSearch's retention leases: the purger does it, not this
        // transaction (which holds the processor's token)
        database.erasurePurges().request(batch.stream().mapToLong(Erased::position).max().orElse(-1));
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> purger.run());
        } else {
            purger.run();
        }
        int dropped = letters;
        LOG.info(() -> "erased " + batch.size() + " document(s): removed from " + all.size() + " index(es), "
                + dropped + " dead letter(s) removed, in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + " ms; the purge of their files follows");
    }

    private List<VectorIndex> indexes() {
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the node's indexes are not open yet; the erasure is retried");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the node's indexes", e);
        }
        return indexes.get();
    }
}
