package io.vectorsync.query.document;

import io.vectorsync.domain.ContentBearing;
import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.DocumentRestored;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Folds a document's events, oldest first, into its current {@link DocumentState}. Pure: no I/O. */
final class DocumentFolder {

    private String title;
    private String body;
    private Map<String, Object> metadata = Map.of();
    private String source;
    private long version;
    private boolean deleted;
    private boolean erased;
    private long contentRevision;
    private Instant lastModified;
    /** Keyed by space: like the space's index, a document has one set of vectors per space. */
    private final Map<String, EmbeddingState> embeddings = new LinkedHashMap<>();

    private DocumentFolder() {
    }

    /** The state after {@code events}; empty when there are none (the document does not exist). */
    static Optional<DocumentState> fold(String tenant, String documentId, List<RecordedEvent> events) {
        if (events.isEmpty()) {
            return Optional.empty();
        }
        DocumentFolder folder = new DocumentFolder();
        events.forEach(folder::apply);
        return Optional.of(new DocumentState(tenant, documentId, folder.title, folder.body, folder.metadata,
                folder.source, folder.version, folder.deleted, folder.erased, folder.contentRevision, folder.lastModified,
                List.copyOf(folder.embeddings.values())));
    }

    private void apply(RecordedEvent event) {
        version = event.version();
        lastModified = event.timestamp();
        switch (event.payload()) {
            // content gone: an erasure follows (issue 21)
            case ContentBearing e when e.contentErased() -> {
            }
            case DocumentErased e -> {
                content(null, null, null, contentRevision);
                metadata = Map.of();
                embeddings.clear();
                deleted = true;
                erased = true;
            }
            case DocumentCreated e -> {
                // new, or written again after an erasure
                content(e.title(), e.body(), e.source(), event.version());
                metadata = metadata(e.metadata());
                deleted = false;
                erased = false;
            }
            case DocumentContentRevised e -> content(e.title(), e.body(), e.source(), event.version());
            case DocumentMetadataChanged e -> metadata = metadata(e.metadata());
            case DocumentEmbedded e -> embedded(e);
            case DocumentDeleted e -> deleted = true;
            case DocumentRestored e -> {
                // a restore sets content like a revision: the index dropped the vectors on delete
                content(e.title(), e.body(), e.source(), event.version());
                metadata = metadata(e.metadata());
                deleted = false;
            }
            // an event type newer than this code still counts for version and lastModified
            default -> {
            }
        }
    }

    private void content(String title, String body, String source, long revision) {
        this.title = title;
        this.body = body;
        this.source = source;
        this.contentRevision = revision;
    }

    private void embedded(DocumentEmbedded e) {
        EmbeddingState known = embeddings.get(e.space());
        // the write side refuses stale embeddings; should one be in the log anyway, it must not hide a newer one
        if (known != null && known.contentRevision() > e.contentRevision()) {
            return;
        }
        int chunks = e.chunks() == null ? 0 : e.chunks().size();
        embeddings.put(e.space(), new EmbeddingState(e.space(), e.model(), e.dimension(), e.contentRevision(), chunks, e.chunker()));
    }

    private static Map<String, Object> metadata(Map<String, Object> metadata) {
        return metadata == null ? Map.of() : metadata;
    }
}
