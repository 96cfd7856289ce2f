package io.vectorsync.query.document;

import io.vectorsync.domain.ChunkerSettings;

/** The latest vectors recorded for a document in one embedding space; the vectors themselves are left out. */
record EmbeddingState(
        String space,
        String model,
        int dimension,
        long contentRevision,
        int chunks,
        ChunkerSettings chunker) {
}
