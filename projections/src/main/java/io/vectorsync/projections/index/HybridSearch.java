package io.vectorsync.projections.index;

import java.util.List;

/**
 * What an index that can also rank by words offers (both adapters: BM25 over the passages, fused with k-NN by
 * {@link RankFusion}). Callers test for it: {@code index instanceof HybridSearch hybrid}, then {@link #ranksByWords}.
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

    /**
     * Whether the index can rank by words now; false for an embedded index written before passages were indexed
     * as terms (it must be rebuilt, or its projection replayed), whose hybrid searches throw
     * {@link IllegalStateException} rather than find nothing by words.
     */
    default boolean ranksByWords() {
        return true;
    }
}
