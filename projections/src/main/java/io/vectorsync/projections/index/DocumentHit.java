package io.vectorsync.projections.index;

import java.util.Map;

/** A document found by a search, with its best chunk. */
public record DocumentHit(
        String documentId,
        float score,
        String title,
        int chunkIndex,
        String passage,
        int start,
        int end,
        Map<String, Object> metadata,
        long version,
        long contentRevision) {
}
