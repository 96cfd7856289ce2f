package io.vectorsync.query.search;

import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.query.TextEmbedder;

/**
 * A validated search request: exactly one of {@code text} and {@code vector} is set, the vector (if
 * any) has the space's dimension, and {@code minScore} is null or within [0, 1].
 */
record SearchRequest(
        String tenant,
        SpaceSpec space,
        String text,
        float[] vector,
        int k,
        MetadataFilter filter,
        Float minScore) {

    /** The index query; a text is embedded here, after validation, so a bad request costs no inference. */
    VectorQuery toQuery(TextEmbedder embedder) {
        float[] queryVector = vector != null ? vector : embedder.embed(space.name(), text);
        if (queryVector.length != space.dimension()) {
            // the caller cannot fix this: the model wired to the space disagrees with its configuration
            throw new IllegalStateException("the model of space '" + space.name() + "' returned "
                    + queryVector.length + " dimensions; the space declares " + space.dimension());
        }
        return new VectorQuery(tenant, queryVector, k, filter, minScore);
    }
}
