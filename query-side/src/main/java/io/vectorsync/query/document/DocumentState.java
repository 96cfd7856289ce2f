package io.vectorsync.query.document;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A document as its events leave it. {@code contentRevision} is the version of the event that set the
 * current title and body; an embedding describes the current content when it was recorded for that
 * revision. A deleted document keeps its last content, so the API can still show it; an erased one (issue 21) has
 * none.
 */
record DocumentState(
        String tenant,
        String documentId,
        String title,
        String body,
        Map<String, Object> metadata,
        String source,
        long version,
        boolean deleted,
        boolean erased,
        long contentRevision,
        Instant lastModified,
        List<EmbeddingState> embeddings) {

    boolean isCurrent(EmbeddingState embedding) {
        return embedding.contentRevision() == contentRevision;
    }

    EmbeddingStatus embeddingStatus() {
        if (deleted) {
            return EmbeddingStatus.NONE;
        }
        return embeddings.stream().anyMatch(this::isCurrent) ? EmbeddingStatus.EMBEDDED : EmbeddingStatus.PENDING;
    }
}
