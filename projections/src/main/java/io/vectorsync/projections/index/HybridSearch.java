package io.vectorsync.projections.index;

import java.util.List;

/**
 * What an index that can also rank by words offers (the OpenSearch adapter; the Lucene adapter indexes
 * no passage terms). Callers test for it: {@code index instanceof HybridSearch hybrid}.
 */
public interface HybridSearch {

    /** Up to {@code k} documents, best first, each with its best chunk; never another tenant's. */
    List<DocumentHit> hybridSearch(HybridQuery query);

    /**
     * The two rankings {@link #hybridSearch} fuses with {@link RankFusion}, for a caller that merges
     * documents of its own into them first (the hot-vector cache); each holds more than {@code k}
     * documents when the index has them.
     */
    HybridRankings hybridRankings(HybridQuery query);
}
