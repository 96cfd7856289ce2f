package io.vectorsync.projections.index;

/** The fixed properties an index needs of an embedding space. */
public record SpaceSpec(
        String name,
        int dimension,
        Metric metric) {

    public enum Metric {
        /** Score (1 + cosine) / 2, in [0, 1]. */
        COSINE,
        /** Score (1 + dot) / 2 on unit vectors. */
        DOT_PRODUCT,
        /** Score 1 / (1 + squared distance). */
        EUCLIDEAN
    }
}
