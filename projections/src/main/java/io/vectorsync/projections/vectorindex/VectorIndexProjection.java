package io.vectorsync.projections.vectorindex;

import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Projects document events into the vector index of each embedding space. A document's version is
 * its event's sequence number plus one, which makes every write idempotent.
 * <p>
 * DocumentCreated, DocumentContentRevised and DocumentRestored need no handler: the index only holds
 * embedded chunks, the old ones keep serving until the new embedding arrives, and a restored
 * document reappears with its next DocumentEmbedded.
 */
@ProcessingGroup(VectorIndexProjectionModule.PROCESSING_GROUP)
class VectorIndexProjection {

    private static final AtomicLong INSTANCES = new AtomicLong();

    private final VectorIndexes indexes;
    /**
     * Documents whose entries the index refused for good in a batch that therefore failed as a whole;
     * when the processor retries that batch, their events throw from their handlers instead, so the
     * dead-letter queue takes them and the rest of the batch goes through.
     */
    private final Map<String, String> rejectedByIndex = new ConcurrentHashMap<>();
    /** Unit-of-work resource name; per instance, should two projections ever share a unit of work. */
    private final String pendingResource = "vector-index.pending-writes." + INSTANCES.incrementAndGet();

    /** Only these spaces' embeddings: a projection that feeds some index versions and no other. */
    private final boolean onlyTheirSpaces;

    /** The model whose embeddings each space's index takes (null: any): the index version's model. */
    private final java.util.function.Function<String, String> modelOf;

    VectorIndexProjection(VectorIndexes indexes, boolean onlyTheirSpaces, java.util.function.Function<String, String> modelOf) {
        this.indexes = indexes;
        this.onlyTheirSpaces = onlyTheirSpaces;
        this.modelOf = modelOf;
    }

    /** Before a replay from the start: every index as new, so the replay writes it from scratch. */
    @ResetHandler
    void onReset() {
        rejectedByIndex.clear();
        indexes.all().forEach(VectorIndex::clear);
    }

    @EventHandler
    void on(DocumentEmbedded event, @SequenceNumber long sequenceNumber) {
        if (event.contentErased()) {
            everywhere(event, sequenceNumber);
            return;
        }
        if (onlyTheirSpaces && !indexes.has(event.space())) {
            return;
        }
        String model = modelOf.apply(event.space());
        if (model != null && !model.equals(event.model())) {
            return; // another model's vectors: they belong to another version of this space's index
        }
        VectorIndex index = indexes.forSpace(event.space());
        if (event.dimension() != index.space().dimension()) {
            throw new IllegalArgumentException("embedding of " + event.tenant() + "/" + event.documentId()
                    + " has dimension " + event.dimension() + ", but space '" + event.space()
                    + "' has dimension " + index.space().dimension());
        }
        queue(index, IndexWrites.replaceChunks(event, sequenceNumber));
    }

    @EventHandler
    void on(DocumentMetadataChanged event, @SequenceNumber long sequenceNumber) {
        everywhere(event, sequenceNumber);
    }

    @EventHandler
    void on(DocumentDeleted event, @SequenceNumber long sequenceNumber) {
        everywhere(event, sequenceNumber);
    }

    /** An erased document leaves every index (issue 21). */
    @EventHandler
    void on(DocumentErased event, @SequenceNumber long sequenceNumber) {
        everywhere(event, sequenceNumber);
    }

    /** The write of an event that reaches every space: a metadata change, a delete or an erasure. */
    private void everywhere(Object event, long sequenceNumber) {
        for (VectorIndex index : indexes.all()) {
            queue(index, IndexWrites.of(event, sequenceNumber, index.space().name()).orElseThrow());
        }
    }

    /**
     * Validates now, so a bad event throws from its own handler and is dead-lettered alone; applies
     * later, once per batch: the root unit of work of a processor batch spans all its events.
     */
    private void queue(VectorIndex index, IndexWrite write) {
        String key = write.tenant() + "/" + write.documentId();
        String rejection = rejectedByIndex.remove(key);
        if (rejection != null) {
            throw new IllegalArgumentException("the index refused the entries of " + key + ": " + rejection);
        }
        index.validate(write);
        if (!CurrentUnitOfWork.isStarted()) {
            index.apply(List.of(write));
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        root.getOrComputeResource(pendingResource, name -> {
            PendingWrites pending = new PendingWrites(rejectedByIndex);
            root.onPrepareCommit(unitOfWork -> pending.applyAll());
            return pending;
        }).add(index, write);
    }

    /** The writes of one batch, per index in event order. A rolled-back batch drops them with its resources. */
    private static final class PendingWrites {

        private final Map<VectorIndex, List<IndexWrite>> byIndex = new LinkedHashMap<>();
        private final Map<String, String> rejectedByIndex;

        PendingWrites(Map<String, String> rejectedByIndex) {
            this.rejectedByIndex = rejectedByIndex;
        }

        void add(VectorIndex index, IndexWrite write) {
            byIndex.computeIfAbsent(index, ignored -> new ArrayList<>()).add(write);
        }

        void applyAll() {
            try {
                byIndex.forEach(VectorIndex::apply);
            } catch (IndexWriteException e) {
                if (!e.isTransient()) {
                    rejectedByIndex.putAll(e.rejected());
                }
                throw e;
            }
        }
    }
}
