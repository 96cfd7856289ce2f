package io.vectorsync.projections.index.lucene;

/**
 * HNSW graph parameters of the Lucene index: {@code m} links per node and the {@code beamWidth}
 * candidates considered while building (OpenSearch calls it {@code ef_construction}). Larger values
 * buy recall with indexing time and memory. They only affect segments written from then on.
 */
public record HnswSettings(
        int m,
        int beamWidth) {

    /** Lucene's own defaults. */
    public static final HnswSettings DEFAULT = new HnswSettings(16, 100);

    public HnswSettings {
        if (m < 1 || beamWidth < 1) {
            throw new IllegalArgumentException("HNSW m and beamWidth must be positive, got m=" + m
                    + ", beamWidth=" + beamWidth);
        }
    }
}
