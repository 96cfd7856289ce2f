package io.vectorsync.projections.index.lucene;

/**
 * HNSW graph parameters of the Lucene index: {@code m} links per node and the {@code beamWidth}
 * candidates considered while building (OpenSearch calls it {@code ef_construction}), which only affect
 * segments written from then on; and {@code efSearch}, the candidates a query considers before it keeps
 * its best k (OpenSearch's {@code ef_search}, with the same default). Larger values buy recall with time
 * (and, for the first two, memory).
 */
public record HnswSettings(
        int m,
        int beamWidth,
        int efSearch) {

    /** OpenSearch's default {@code ef_search}, and this index's. */
    public static final int DEFAULT_EF_SEARCH = 100;

    /** Lucene's own defaults for the graph; OpenSearch's for the search. */
    public static final HnswSettings DEFAULT = new HnswSettings(16, 100, DEFAULT_EF_SEARCH);

    public HnswSettings {
        if (m < 1 || beamWidth < 1 || efSearch < 1) {
            throw new IllegalArgumentException("HNSW m, beamWidth and efSearch must be positive, got m=" + m
                    + ", beamWidth=" + beamWidth + ", efSearch=" + efSearch);
        }
    }

    public HnswSettings(int m, int beamWidth) {
        this(m, beamWidth, DEFAULT_EF_SEARCH);
    }
}
