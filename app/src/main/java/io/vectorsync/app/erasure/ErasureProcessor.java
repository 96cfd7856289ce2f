package io.vectorsync.app.erasure;

import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.store.EventStoreDatabase;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
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
 * may never read the erasure themselves — and every dead-letter queue; then what was deleted is expunged from the
 * indexes' files and the destroyed keys from the key store's. Once per processor batch, so a tenant's erasure pays
 * for one merge per batch, not per document. A failure fails the batch, which the processor retries: an erasure is
 * never skipped. The processor's position is how far erasures are complete (what {@code ?wait=true} waits for).
 */
@ProcessingGroup(ErasureProcessing.PROCESSING_GROUP)
final class ErasureProcessor {
    private static final Logger LOG = Logger.getLogger(ErasureProcessor.class.getName());
    private static final String BATCH = ErasureProcessor.class.getName() + ".batch";

    private final EventStoreDatabase database;
    private final DocumentKeys keys;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Supplier<List<VectorIndex>> indexes;

    ErasureProcessor(EventStoreDatabase database, DocumentKeys keys) {
        this.database = database;
        this.keys = keys;
    }

    /** Where the indexes are, once the node has opened all of them (its index versions are opened after Axon starts). */
    void indexes(Supplier<List<VectorIndex>> indexes) {
        this.indexes = indexes;
        ready.countDown();
    }

    private record Erased(String tenant, String documentId, long version) {
    }

    @EventHandler
    void on(DocumentErased event, @SequenceNumber long sequenceNumber) {
        Erased erased = new Erased(event.tenant(), event.documentId(), sequenceNumber + 1);
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
            index.expungeDeletes();
        }
        keys.shred();
        int dropped = letters;
        LOG.info(() -> "erased " + batch.size() + " document(s): removed from " + all.size() + " index(es) and expunged, "
                + dropped + " dead letter(s) removed, destroyed keys shredded, in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
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
