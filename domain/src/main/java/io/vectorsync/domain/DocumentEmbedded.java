package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

import java.util.List;
import java.util.Map;

/**
 * Vectors were recorded for content revision {@code contentRevision} (the version of the event that
 * set that content) in embedding space {@code space}. Carries the title and metadata current when
 * recorded, so an index projection can write complete entries without reading anything else.
 */
@Revision("1")
public record DocumentEmbedded(
        String tenant,
        String documentId,
        long contentRevision,
        String space,
        String model,
        int dimension,
        ChunkerSettings chunker,
        String title,
        Map<String, Object> metadata,
        List<EmbeddedChunk> chunks) {
}
