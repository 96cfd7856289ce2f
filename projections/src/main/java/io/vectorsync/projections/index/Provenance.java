package io.vectorsync.projections.index;

/** Where a document's vectors came from: model, chunker and the content revision they describe. */
public record Provenance(
        String model,
        String chunker,
        int chunkMaxTokens,
        int chunkOverlapTokens) {
}
