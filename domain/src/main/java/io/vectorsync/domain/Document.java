package io.vectorsync.domain;

import io.vectorsync.domain.UpsertOutcome.Result;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A document of one tenant's content system and the vectors recorded for its content.
 * <p>
 * Its {@code version} is the sequence number of its last event plus one (0 before the first event);
 * a content revision is the version of the event that set that content (created, revised or restored).
 * An expected version (If-Match) conflicts when the document changed after it — content, metadata, deletion
 * or restore; embeddings recorded since (the encoder's, at its own pace) do not count, or a client that read
 * a document just before its text was embedded would be refused for a change nobody made to what it wrote.
 */
public class Document {

    @AggregateIdentifier
    private String id;
    private String tenant;
    private String documentId;
    private long version;
    /** The version of the last event that was not an embedding: what an expected version must not be behind. */
    private long lastChange;
    private String title;
    private String contentHash;
    private Map<String, Object> metadata;
    private boolean deleted;
    /** Erased (issue 21): deleted, its content unreadable; an upsert starts the document afresh. */
    private boolean erased;
    private long contentRevision;
    private Map<String, RecordedEmbedding> embeddings = new HashMap<>();

    /** What was last recorded in one embedding space: enough to tell whether re-sent vectors are new. */
    private record RecordedEmbedding(long contentRevision, String fingerprint) {
    }

    public Document() {
        // required by Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public UpsertOutcome handle(UpsertDocument command) {
        DocumentIds.requireValidTenant(command.tenant());
        DocumentIds.requireValidDocumentId(command.documentId());
        String newTitle = command.title() == null ? "" : command.title();
        requireAtMost("title", newTitle, DocumentLimits.MAX_TITLE_LENGTH);
        if (command.body() == null) {
            throw new InvalidInputException("body", "is required");
        }
        requireAtMost("body", command.body(), DocumentLimits.MAX_BODY_LENGTH);
        requireAtMost("source", command.source(), DocumentLimits.MAX_SOURCE_LENGTH);
        Map<String, Object> newMetadata = MetadataRules.normalize(command.metadata());
        SuppliedEmbedding vectors = command.embedding();
        if (vectors != null) {
            EmbeddingRules.requireValid("vectors.", vectors.space(), vectors.model(), vectors.dimension(), vectors.chunks());
        }
        if (command.expectedVersion() != null
                && (command.expectedVersion() < lastChange || command.expectedVersion() > version)) {
            throw new VersionConflictException(command.expectedVersion(), version);
        }

        String newHash = ContentHash.of(newTitle, command.body());
        if (id == null || erased) {
            apply(new DocumentCreated(command.tenant(), command.documentId(), newTitle, command.body(),
                    newMetadata, command.source(), newHash), contentMetaData(vectors));
            recordSupplied(vectors);
            return new UpsertOutcome(Result.CREATED, version);
        }
        if (deleted) {
            apply(new DocumentRestored(tenant, documentId, newTitle, command.body(), newMetadata,
                    command.source(), newHash), contentMetaData(vectors));
            recordSupplied(vectors);
            return new UpsertOutcome(Result.RESTORED, version);
        }
        boolean contentChanged = !newHash.equals(contentHash);
        boolean metadataChanged = !newMetadata.equals(metadata);
        boolean vectorsChanged = vectors != null && (contentChanged || !isLastRecorded(vectors));
        if (!contentChanged && !metadataChanged && !vectorsChanged) {
            return new UpsertOutcome(Result.UNCHANGED, version);
        }
        if (contentChanged) {
            apply(new DocumentContentRevised(tenant, documentId, newTitle, command.body(), command.source(), newHash),
                    contentMetaData(vectors));
        }
        if (metadataChanged) {
            apply(new DocumentMetadataChanged(tenant, documentId, newMetadata));
        }
        if (vectorsChanged) {
            recordSupplied(vectors);
        }
        Result result = !contentChanged && metadataChanged ? Result.METADATA_CHANGED : Result.REVISED;
        return new UpsertOutcome(result, version);
    }

    @CommandHandler
    public void handle(RecordEmbeddings command) {
        EmbeddingRules.requireValid("", command.space(), command.model(), command.dimension(), command.chunks());
        if (command.chunker() == null) {
            throw new InvalidInputException("chunker", "is required");
        }
        if (deleted || command.contentRevision() < contentRevision) {
            return; // a stale embedding never overwrites newer text
        }
        if (command.contentRevision() > contentRevision) {
            throw new InvalidInputException("contentRevision", "no such content revision");
        }
        apply(new DocumentEmbedded(tenant, documentId, contentRevision, command.space(),
                new EmbeddingProvenance(command.model(), command.modelVersion(),
                        EmbeddingRules.normalized(command.chunks()), command.chunker()),
                command.dimension(), title, metadata, command.chunks()));
    }

    @CommandHandler
    public DeleteOutcome handle(DeleteDocument command) {
        requireAtMost("reason", command.reason(), DocumentLimits.MAX_REASON_LENGTH);
        if (deleted) {
            return new DeleteOutcome(false, version);
        }
        apply(new DocumentDeleted(tenant, documentId, command.reason()));
        return new DeleteOutcome(true, version);
    }

    @CommandHandler
    public EraseOutcome handle(EraseDocument command) {
        if (erased) {
            return new EraseOutcome(false, version);
        }
        apply(new DocumentErased(tenant, documentId));
        return new EraseOutcome(true, version);
    }

    /** Marks a content event whose upsert brought its own vectors, so the encoder leaves that revision alone. */
    private static MetaData contentMetaData(SuppliedEmbedding vectors) {
        return vectors == null ? MetaData.emptyInstance() : MetaData.with(EventMetadataKeys.VECTORS_SUPPLIED, true);
    }

    private void recordSupplied(SuppliedEmbedding vectors) {
        if (vectors != null) {
            // a client names no model version; whether its vectors are unit length is plain to see
            apply(new DocumentEmbedded(tenant, documentId, contentRevision, vectors.space(),
                    new EmbeddingProvenance(vectors.model(), null, EmbeddingRules.normalized(vectors.chunks()),
                            ChunkerSettings.CLIENT),
                    vectors.dimension(), title, metadata, vectors.chunks()));
        }
    }

    private boolean isLastRecorded(SuppliedEmbedding vectors) {
        RecordedEmbedding last = embeddings.get(vectors.space());
        return last != null
                && last.contentRevision() == contentRevision
                && last.fingerprint().equals(EmbeddingRules.fingerprint(vectors.model(), vectors.dimension(), vectors.chunks()));
    }

    private static void requireAtMost(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidInputException(field, "must be at most " + maxLength + " characters");
        }
    }

    @EventSourcingHandler
    void on(DocumentCreated event, @SequenceNumber long sequenceNumber) {
        id = DocumentIds.aggregateId(event.tenant(), event.documentId());
        tenant = event.tenant();
        documentId = event.documentId();
        title = event.title();
        contentHash = event.contentHash();
        metadata = event.metadata();
        version = sequenceNumber + 1;
        lastChange = version;
        contentRevision = version;
        deleted = false;
        erased = false;
        embeddings = new HashMap<>();
    }

    @EventSourcingHandler
    void on(DocumentContentRevised event, @SequenceNumber long sequenceNumber) {
        title = event.title();
        contentHash = event.contentHash();
        version = sequenceNumber + 1;
        lastChange = version;
        contentRevision = version;
    }

    @EventSourcingHandler
    void on(DocumentMetadataChanged event, @SequenceNumber long sequenceNumber) {
        metadata = event.metadata();
        version = sequenceNumber + 1;
        lastChange = version;
    }

    @EventSourcingHandler
    void on(DocumentEmbedded event, @SequenceNumber long sequenceNumber) {
        // a fingerprint rather than the vectors themselves: they can be megabytes
        version = sequenceNumber + 1;
        if (event.contentErased()) {
            return; // read after an erasure: a DocumentErased follows
        }
        embeddings.put(event.space(), new RecordedEmbedding(event.contentRevision(),
                EmbeddingRules.fingerprint(event.model(), event.dimension(), event.chunks())));
    }

    @EventSourcingHandler
    void on(DocumentDeleted event, @SequenceNumber long sequenceNumber) {
        deleted = true;
        version = sequenceNumber + 1;
        lastChange = version;
    }

    @EventSourcingHandler
    void on(DocumentRestored event, @SequenceNumber long sequenceNumber) {
        deleted = false;
        title = event.title();
        contentHash = event.contentHash();
        metadata = event.metadata();
        version = sequenceNumber + 1;
        lastChange = version;
        contentRevision = version;
    }

    @EventSourcingHandler
    void on(DocumentErased event, @SequenceNumber long sequenceNumber) {
        deleted = true;
        erased = true;
        title = null;
        contentHash = null;
        metadata = null;
        embeddings = new HashMap<>();
        version = sequenceNumber + 1;
        lastChange = version;
    }
}
