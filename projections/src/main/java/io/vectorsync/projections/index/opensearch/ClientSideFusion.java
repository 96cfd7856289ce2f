package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.HybridRankings;
import io.vectorsync.projections.index.RankFusion;
import io.vectorsync.projections.index.opensearch.ChunkSearcher.Ranking;

import java.util.List;

/**
 * Hybrid search without the neural-search plugin: the k-NN and the BM25 ranking come back from one
 * multi-search, and {@link RankFusion} (Reciprocal Rank Fusion) merges them. A document's passage is
 * its best k-NN chunk, or its best BM25 chunk when only the words found it.
 */
final class ClientSideFusion implements HybridStrategy {

    private static final int CHUNKS_PER_HIT = 4;

    private final ChunkSearcher searcher;

    ClientSideFusion(ChunkSearcher searcher) {
        this.searcher = searcher;
    }

    @Override
    public List<DocumentHit> search(HybridQuery query) {
        return RankFusion.fuse(rankings(query), query.k());
    }

    @Override
    public HybridRankings rankings(HybridQuery query) {
        int chunks = (int) Math.min((long) query.k() * CHUNKS_PER_HIT, ChunkSearcher.MAX_CHUNKS);
        List<Ranking> rankings = searcher.run(List.of(
                searcher.knn(query.tenant(), query.vector(), query.filter(), chunks),
                searcher.bm25(query.tenant(), query.text(), query.filter())), chunks, "a hybrid search");
        return new HybridRankings(rankings.get(0).documents(), rankings.get(1).documents());
    }
}
