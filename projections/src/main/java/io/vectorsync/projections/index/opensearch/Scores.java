package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.SpaceSpec;

/**
 * Converts k-NN scores to the scale of {@link SpaceSpec.Metric}, so both adapters score the same
 * vectors alike. For cosine ({@code (1 + cos) / 2}) and Euclidean ({@code 1 / (1 + d²)}) OpenSearch
 * already uses that scale. For inner product it scores like Lucene's maximum inner product,
 * {@code 1 + dot} for a positive dot product and {@code 1 / (1 - dot)} otherwise, where the port
 * promises {@code (1 + dot) / 2}. Both are monotonic, so ranks do not change.
 */
final class Scores {

    private Scores() {
    }

    static float fromOpenSearch(SpaceSpec.Metric metric, float score) {
        if (metric != SpaceSpec.Metric.DOT_PRODUCT) {
            return score;
        }
        double dot = score >= 1 ? score - 1.0 : 1.0 - 1.0 / score;
        return (float) ((1 + dot) / 2);
    }
}
