package io.vectorsync.projections.vectorindex;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.ContentBearing;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.Provenance;

import java.util.List;
import java.util.Optional;

/**
 * What an event writes to the index of one space: its embedding there replaces the document's chunks, a
 * metadata change, a delete or an erasure reaches every space. An event whose content is gone (its document erased
 * since, issue 21) deletes the document: it is absent until it is written again. A document's index version is the event's sequence
 * number plus one. The projection writes these as the log goes by; a drift repair writes them for single
 * documents.
 */
public final class IndexWrites {

    private IndexWrites() {
    }

    /** The write {@code event} (the document's event at {@code sequenceNumber}) makes in {@code space}, if any. */
    public static Optional<IndexWrite> of(Object event, long sequenceNumber, String space) {
        return of(event, sequenceNumber, space, null);
    }

    /**
     * The same for an index of {@code space} that takes the embeddings of one {@code model} only (null: any) — an
     * index version during a re-embedding.
     */
    public static Optional<IndexWrite> of(Object event, long sequenceNumber, String space, String model) {
        return switch (event) {
            case ContentBearing erased when erased.contentErased() ->
                    Optional.of(new IndexWrite.Delete(erased.tenant(), erased.documentId(), sequenceNumber + 1));
            case DocumentErased erased ->
                    Optional.of(new IndexWrite.Delete(erased.tenant(), erased.documentId(), sequenceNumber + 1));
            case DocumentEmbedded embedded when embedded.space().equals(space)
                    && (model == null || model.equals(embedded.model())) ->
                    Optional.of(replaceChunks(embedded, sequenceNumber));
            case DocumentMetadataChanged changed -> Optional.of(new IndexWrite.ChangeMetadata(changed.tenant(),
                    changed.documentId(), sequenceNumber + 1, changed.metadata()));
            case DocumentDeleted deleted ->
                    Optional.of(new IndexWrite.Delete(deleted.tenant(), deleted.documentId(), sequenceNumber + 1));
            default -> Optional.empty();
        };
    }

    static IndexWrite.ReplaceChunks replaceChunks(DocumentEmbedded event, long sequenceNumber) {
        ChunkerSettings chunker = event.chunker();
        Provenance provenance = new Provenance(event.model(),
                chunker == null ? null : chunker.name(),
                chunker == null ? 0 : chunker.maxTokens(),
                chunker == null ? 0 : chunker.overlapTokens());
        List<IndexChunk> chunks = event.chunks().stream().map(IndexWrites::indexChunk).toList();
        return new IndexWrite.ReplaceChunks(event.tenant(), event.documentId(), sequenceNumber + 1,
                event.contentRevision(), event.title(), event.metadata(), provenance, chunks);
    }

    private static IndexChunk indexChunk(EmbeddedChunk chunk) {
        return new IndexChunk(chunk.index(), chunk.text(), chunk.start(), chunk.end(), chunk.vector());
    }
}
