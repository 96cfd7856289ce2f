package io.vectorsync.projections.index;

import java.util.List;

/**
 * The two rankings a hybrid answer fuses, each best first with one hit per document: by meaning (k-NN,
 * scores are similarities) and by words (BM25 over the passages, scores are not comparable across
 * queries). {@link RankFusion} turns them into the answer.
 */
public record HybridRankings(List<DocumentHit> byMeaning, List<DocumentHit> byWords) {

    public HybridRankings {
        byMeaning = List.copyOf(byMeaning);
        byWords = List.copyOf(byWords);
    }
}
