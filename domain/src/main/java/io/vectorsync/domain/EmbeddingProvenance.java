package io.vectorsync.domain;

/**
 * Where a document's vectors came from, as one value: the model and the exact version of its weights
 * ({@code null} when unknown, as for vectors a client supplied without saying), whether every vector
 * has unit length, and how the text was cut into chunks ({@link ChunkerSettings#CLIENT} for client
 * vectors). Vectors of different provenance are not comparable: a rebuild or a re-embedding decides
 * on it.
 */
public record EmbeddingProvenance(
        String model,
        String modelVersion,
        boolean normalized,
        ChunkerSettings chunker) {
}
