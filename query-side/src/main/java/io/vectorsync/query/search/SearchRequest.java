package io.vectorsync.query.search;

import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.query.TextEmbedder;

/**
 * A validated search request. In {@code KNN} mode exactly one of {@code text} and {@code vector} is
 * set; in {@code HYBRID} mode {@code text} is set, {@code vector} may be too, and {@code minScore} is
 * null. A vector has the space's dimension, and {@code minScore} is null or within [0, 1].
 * {@code consistentWith}, when set, is the log position the answer must reflect; {@code indexVersion}, when
 * set, names an index version to search instead of the live one (a point-in-time build, say), as it is.
 */
record SearchRequest(
        String tenant,
        SpaceSpec space,
        SearchMode mode,
        String text,
        float[] vector,
        int k,
        MetadataFilter filter,
        Float minScore,
        Long consistentWith,
        Integer indexVersion) {

    /** The k-NN query; a text is embedded here, after validation, so a bad request costs no inference. */
    VectorQuery toQuery(TextEmbedder embedder) {
        return new VectorQuery(tenant, queryVector(embedder), k, filter, minScore);
    }

    /** The hybrid query: BM25 on the text, k-NN on the given vector or else on the text's embedding. */
    HybridQuery toHybridQuery(TextEmbedder embedder) {
        return new HybridQuery(tenant, text, queryVector(embedder), k, filter);
    }

    private float[] queryVector(TextEmbedder embedder) {
        float[] queryVector = vector != null ? vector : embedder.embed(space.name(), text);
        if (queryVector.length != space.dimension()) {
            // the caller cannot fix this: the model wired to the space disagrees with its configuration
            throw new IllegalStateException("the model of space '" + space.name() + "' returned "
                    + queryVector.length + " dimensions; the space declares " + space.dimension());
        }
        return queryVector;
    }
}
