package io.vectorsync.projections.index;

/**
 * The k best documents of a tenant by both meaning ({@code vector}) and words ({@code text}, BM25 over
 * the passages), both restricted by the filter. Scores of hybrid hits rank, they do not measure: they
 * come from fusing two rankings and are not comparable with k-NN scores.
 */
public record HybridQuery(
        String tenant,
        String text,
        float[] vector,
        int k,
        MetadataFilter filter) {
}
