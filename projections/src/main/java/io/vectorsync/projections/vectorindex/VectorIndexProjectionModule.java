package io.vectorsync.projections.vectorindex;

import io.vectorsync.projections.index.VectorIndexes;

/**
 * Entry point of the vector index projection. Register {@link #projection} as an event handler of a
 * pooled streaming processor named {@link #PROCESSING_GROUP}, with a dead-letter queue: a handler
 * throws for an event the index can never take (unknown space, wrong vector dimension), and that
 * event alone should be dead-lettered. Writes are applied once per processor batch, when its unit of
 * work prepares to commit, so a failing index write fails and retries the whole batch.
 */
public final class VectorIndexProjectionModule {

    public static final String PROCESSING_GROUP = "vector-index";

    private VectorIndexProjectionModule() {
    }

    /** The annotated event handler instance; it does not own {@code indexes} and never closes them. */
    public static Object projection(VectorIndexes indexes) {
        return new VectorIndexProjection(indexes, false, space -> null);
    }

    /** The same, where each space's index takes only the embeddings of {@code modelOf(space)} (null: any). */
    public static Object projection(VectorIndexes indexes, java.util.function.Function<String, String> modelOf) {
        return new VectorIndexProjection(indexes, false, modelOf);
    }

    /**
     * A handler that feeds only {@code indexes} — the versions being rebuilt or kept for rollback — and
     * passes over embeddings of other spaces instead of failing on them.
     */
    public static Object projectionOf(VectorIndexes indexes) {
        return new VectorIndexProjection(indexes, true, space -> null);
    }

    /** The same for index versions that take only {@code model}'s embeddings (null: any). */
    public static Object projectionOf(VectorIndexes indexes, String model) {
        return new VectorIndexProjection(indexes, true, space -> model);
    }
}
