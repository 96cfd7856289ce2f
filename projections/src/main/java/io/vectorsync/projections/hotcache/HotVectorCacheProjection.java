package io.vectorsync.projections.hotcache;

import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.projections.index.IndexChunk;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every change of a document into the hot-vector cache as soon as its event is stored: new
 * vectors, a metadata change, a delete. Versions are the index's (sequence number plus one), so the
 * cache and the index can be compared document by document.
 * <p>
 * It runs in a subscribing processor, in the unit of work that stores the event, and defers each
 * cache write to after that unit of work's transaction commits: the cache never holds a change the event store
 * rolled back, and holds every committed one before the command is acknowledged. Every process
 * writes the events of the commands it handles, so in a cluster each event reaches the shared cache
 * once. A cache write that fails is logged and counted, never failing the command: the index shows
 * the change after its next refresh.
 * <p>
 * A restored document needs no write: its tombstone stays until the embedding that follows the
 * restore replaces it, as in the index.
 * <p>
 * A metadata change of a document the cache does not hold needs its vectors: they are folded from
 * the document's own events in the event store (its last embedding in each space).
 */
@ProcessingGroup(HotVectorCacheModule.PROCESSING_GROUP)
class HotVectorCacheProjection {

    private static final Logger LOG = Logger.getLogger(HotVectorCacheProjection.class.getName());

    private final HotVectorCache cache;
    private final Collection<String> spaces;
    private final EventStore events;
    private final Clock clock;

    HotVectorCacheProjection(HotVectorCache cache, Collection<String> spaces, EventStore events, Clock clock) {
        this.cache = cache;
        this.spaces = List.copyOf(spaces);
        this.events = events;
        this.clock = clock;
    }

    @EventHandler
    void on(DocumentEmbedded event, @SequenceNumber long sequenceNumber) {
        if (event.contentErased()) {
            tombstones(event.tenant(), event.documentId(), sequenceNumber);
            return;
        }
        afterCommit(event.tenant(), event.documentId(),
                () -> cache.offer(event.space(), document(event, sequenceNumber + 1, event.metadata())));
    }

    @EventHandler
    void on(DocumentMetadataChanged event, @SequenceNumber long sequenceNumber) {
        if (event.contentErased()) {
            tombstones(event.tenant(), event.documentId(), sequenceNumber);
            return;
        }
        afterCommit(event.tenant(), event.documentId(), () -> changeMetadata(event, sequenceNumber));
    }

    private void changeMetadata(DocumentMetadataChanged event, long sequenceNumber) {
        long version = sequenceNumber + 1;
        Map<String, DocumentEmbedded> cold = null;
        for (String space : spaces) {
            HotDocument hot = cache.get(space, event.tenant(), event.documentId()).orElse(null);
            if (hot != null) {
                if (!hot.deleted() && hot.version() < version) {
                    cache.offer(space, hot.withMetadata(version, event.metadata(), clock.millis()));
                }
                continue;
            }
            if (cold == null) {
                cold = lastEmbeddings(event.tenant(), event.documentId(), sequenceNumber);
            }
            DocumentEmbedded embedded = cold.get(space);
            if (embedded != null) {
                cache.offer(space, document(embedded, version, event.metadata()));
            }
        }
    }

    @EventHandler
    void on(DocumentDeleted event, @SequenceNumber long sequenceNumber) {
        tombstones(event.tenant(), event.documentId(), sequenceNumber);
    }

    /** An erased document's entries are replaced by tombstones, which hold no content (issue 21). */
    @EventHandler
    void on(DocumentErased event, @SequenceNumber long sequenceNumber) {
        tombstones(event.tenant(), event.documentId(), sequenceNumber);
    }

    private void tombstones(String tenant, String documentId, long sequenceNumber) {
        afterCommit(tenant, documentId, () -> {
            for (String space : spaces) {
                cache.offer(space, HotDocument.tombstone(tenant, documentId, sequenceNumber + 1, clock.millis()));
            }
        });
    }

    private void forget(String tenant, String documentId) {
        for (String space : spaces) {
            try {
                cache.forget(space, tenant, documentId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not drop " + tenant + "/" + documentId + " from the hot-vector cache "
                        + "of space '" + space + "' either; searches drop it once the index shows a newer version: "
                        + e.getMessage());
            }
        }
    }

    /**
     * Runs the write once the event is committed (at once outside a unit of work); never throws. It is
     * an on-commit handler of the root unit of work, so it runs right after the transaction commits
     * (the transaction's own handler comes first) and before after-commit handlers — among them the
     * one that advances a streaming processor's position: when the encoder's position has passed an
     * event, the embeddings it recorded for it are in the cache.
     * <p>
     * When a write fails, the document's entries are dropped if the cache still answers: an entry that
     * missed a change must not be served as the document's latest state.
     */
    private void afterCommit(String tenant, String documentId, Runnable write) {
        Runnable guarded = () -> {
            try {
                write.run();
            } catch (RuntimeException e) {
                cache.countFailure();
                LOG.log(Level.WARNING, "the hot-vector cache missed a change of " + tenant + "/" + documentId
                        + " (the index shows it after its next refresh): " + e.getMessage(), e);
                forget(tenant, documentId);
            }
        };
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().onCommit(unitOfWork -> guarded.run());
        } else {
            guarded.run();
        }
    }

    private HotDocument document(DocumentEmbedded event, long version, Map<String, Object> metadata) {
        List<IndexChunk> chunks = event.chunks().stream().map(HotVectorCacheProjection::chunk).toList();
        return new HotDocument(event.tenant(), event.documentId(), version, false, event.contentRevision(),
                event.title(), metadata, chunks, clock.millis());
    }

    private static IndexChunk chunk(EmbeddedChunk chunk) {
        return new IndexChunk(chunk.index(), chunk.text(), chunk.start(), chunk.end(), chunk.vector());
    }

    /** The document's last embedding per space up to {@code sequenceNumber}, none after a delete. */
    private Map<String, DocumentEmbedded> lastEmbeddings(String tenant, String documentId, long sequenceNumber) {
        Map<String, DocumentEmbedded> last = new LinkedHashMap<>();
        DomainEventStream stream = events.readEvents(DocumentIds.aggregateId(tenant, documentId));
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (message.getSequenceNumber() > sequenceNumber) {
                break;
            }
            switch (message.getPayload()) {
                case DocumentEmbedded embedded when !embedded.contentErased() -> last.put(embedded.space(), embedded);
                case DocumentDeleted ignored -> last.clear();
                case DocumentErased ignored -> last.clear();
                default -> {
                }
            }
        }
        return last;
    }
}
