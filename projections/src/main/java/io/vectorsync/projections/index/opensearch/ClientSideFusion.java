package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.opensearch.ChunkSearcher.Ranking;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hybrid search without the neural-search plugin: the k-NN and the BM25 ranking come back from one
 * multi-search, and Reciprocal Rank Fusion merges them. RRF adds {@code 1 / (60 + rank)} per ranking a
 * document appears in; it needs no score normalisation, which matters because BM25 scores are
 * unbounded and k-NN scores are not comparable with them. A document's passage is its best k-NN
 * chunk, or its best BM25 chunk when only the words found it.
 */
final class ClientSideFusion implements HybridStrategy {

    /** The constant of the RRF paper (Cormack et al., 2009): damps the weight of the top ranks. */
    static final int RANK_CONSTANT = 60;
    private static final int CHUNKS_PER_HIT = 4;

    private final ChunkSearcher searcher;

    ClientSideFusion(ChunkSearcher searcher) {
        this.searcher = searcher;
    }

    @Override
    public List<DocumentHit> search(HybridQuery query) {
        int chunks = (int) Math.min((long) query.k() * CHUNKS_PER_HIT, ChunkSearcher.MAX_CHUNKS);
        List<Ranking> rankings = searcher.run(List.of(
                searcher.knn(query.tenant(), query.vector(), query.filter(), chunks),
                searcher.bm25(query.tenant(), query.text(), query.filter())), chunks, "a hybrid search");
        return fuse(rankings, query.k());
    }

    /** The top {@code k} documents by summed reciprocal rank; earlier rankings provide the passage. */
    static List<DocumentHit> fuse(List<Ranking> rankings, int k) {
        Map<String, Double> scores = new HashMap<>();
        Map<String, DocumentHit> passages = new LinkedHashMap<>();
        for (Ranking ranking : rankings) {
            List<DocumentHit> documents = ranking.documents();
            for (int rank = 1; rank <= documents.size(); rank++) {
                DocumentHit hit = documents.get(rank - 1);
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

    private static DocumentHit withScore(DocumentHit hit, float score) {
        return new DocumentHit(hit.documentId(), score, hit.title(), hit.chunkIndex(), hit.passage(), hit.start(),
                hit.end(), hit.metadata(), hit.version(), hit.contentRevision());
    }
}
