package io.vectorsync.projections.index;

/** k nearest documents of a tenant to a vector, with an optional filter and minimum score (nullable). */
public record VectorQuery(
        String tenant,
        float[] vector,
        int k,
        MetadataFilter filter,
        Float minScore) {
}
