package io.vectorsync.projections.index;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal Rank Fusion: a document scores {@code 1 / (60 + rank)} for each ranking it appears in,
 * summed. It needs no score normalisation, which matters because BM25 scores are unbounded and k-NN
 * scores are not comparable with them. A document's passage comes from the first ranking that has it.
 */
public final class RankFusion {

    /** The constant of the RRF paper (Cormack et al., 2009): damps the weight of the top ranks. */
    public static final int RANK_CONSTANT = 60;

    private RankFusion() {
    }

    /** The top {@code k} documents by summed reciprocal rank, ties by document id. */
    public static List<DocumentHit> fuse(List<List<DocumentHit>> rankings, int k) {
        Map<String, Double> scores = new HashMap<>();
        Map<String, DocumentHit> passages = new LinkedHashMap<>();
        for (List<DocumentHit> ranking : rankings) {
            for (int rank = 1; rank <= ranking.size(); rank++) {
                DocumentHit hit = ranking.get(rank - 1);
                scores.merge(hit.documentId(), 1.0 / (RANK_CONSTANT + rank), Double::sum);
                passages.putIfAbsent(hit.documentId(), hit);
            }
        }
        return passages.values().stream()
                .map(hit -> withScore(hit, scores.get(hit.documentId()).floatValue()))
                .sorted(Comparator.comparingDouble((DocumentHit hit) -> -hit.score())
                        .thenComparing(DocumentHit::documentId))
                .limit(k)
                .toList();
    }

    /** The fused answer of both rankings. */
    public static List<DocumentHit> fuse(HybridRankings rankings, int k) {
        return fuse(List.of(rankings.byMeaning(), rankings.byWords()), k);
    }

    private static DocumentHit withScore(DocumentHit hit, float score) {
        return new DocumentHit(hit.documentId(), score, hit.title(), hit.chunkIndex(), hit.passage(), hit.start(),
                hit.end(), hit.metadata(), hit.version(), hit.contentRevision());
    }
}
