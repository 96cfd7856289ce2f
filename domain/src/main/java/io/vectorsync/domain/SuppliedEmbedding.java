package io.vectorsync.domain;

import java.util.List;

/**
 * Vectors a content system supplies with an upsert, in a declared embedding space whose model and
 * dimension the API has resolved from configuration.
 */
public record SuppliedEmbedding(
        String space,
        String model,
        int dimension,
        List<EmbeddedChunk> chunks) {
}
