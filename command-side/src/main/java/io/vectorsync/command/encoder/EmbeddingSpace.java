package io.vectorsync.command.encoder;

import io.vectorsync.domain.ChunkerSettings;

/**
 * A named vector space: which model produces its vectors, their dimension and the similarity metric.
 * {@code model} is {@link #CLIENT_MODEL} for spaces whose vectors only content systems supply.
 */
public record EmbeddingSpace(
        String name,
        String model,
        int dimension,
        String metric,
        ChunkerSettings chunker) {

    public static final String CLIENT_MODEL = "client";

    public boolean embedsInProcess() {
        return !CLIENT_MODEL.equals(model);
    }
}
