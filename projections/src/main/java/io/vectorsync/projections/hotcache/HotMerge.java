package io.vectorsync.projections.hotcache;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.MetadataMatcher;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.lucene.LuceneVectorIndex;
import org.apache.lucene.index.VectorSimilarityFunction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges an index's k-NN answer with what the hot-vector cache knows of the same tenant: index hits of
 * documents the cache holds at the same or a newer version (or as deleted) leave, and the cache's live
 * documents that pass the filter come in, each scored exactly against every chunk with the metric's
 * Lucene similarity — the function behind both adapters' scores. For the documents involved, the
 * ranking is the one a fully refreshed index would give.
 */
public final class HotMerge {

    /** The largest number of cached documents an index query over-fetches for. */
    static final int MAX_OVER_FETCH = 1_000;

    private HotMerge() {
    }

    /**
     * How many documents to ask the index for so that, after the cached ones leave, {@code k} others
     * remain: {@code k} plus the tenant's cached documents (up to {@link #MAX_OVER_FETCH}).
     */
    public static int indexK(int k, Collection<HotDocument> hot) {
        return k + Math.min(hot.size(), MAX_OVER_FETCH);
    }

    public static List<DocumentHit> merge(SpaceSpec space, VectorQuery query, List<DocumentHit> indexHits,
                                          Collection<HotDocument> hot) {
        Map<String, HotDocument> byId = new HashMap<>();
        for (HotDocument document : hot) {
            if (document.tenant().equals(query.tenant())) {
                byId.merge(document.documentId(), document, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        float minScore = query.minScore() == null ? Float.NEGATIVE_INFINITY : query.minScore();
        List<DocumentHit> merged = new ArrayList<>();
        Map<String, Long> indexVersions = new HashMap<>();
        for (DocumentHit hit : indexHits) {
            indexVersions.put(hit.documentId(), hit.version());
            HotDocument cached = byId.get(hit.documentId());
            if (cached == null || cached.version() < hit.version()) {
                merged.add(hit);
            }
        }
        VectorSimilarityFunction similarity = LuceneVectorIndex.similarity(space.metric());
        for (HotDocument document : byId.values()) {
            if (document.deleted() || document.chunks().isEmpty()
                    || !MetadataMatcher.matches(query.filter(), document.metadata())) {
                continue;
            }
            DocumentHit best = best(document, query.vector(), similarity);
            boolean newerInIndex = indexVersions.getOrDefault(document.documentId(), -1L) > document.version();
            if (best.score() >= minScore && !newerInIndex) {
                merged.add(best);
            }
        }
        return merged.stream()
                .sorted(Comparator.comparingDouble((DocumentHit hit) -> -hit.score()).thenComparing(DocumentHit::documentId))
                .limit(query.k())
                .toList();
    }

    private static DocumentHit best(HotDocument document, float[] query, VectorSimilarityFunction similarity) {
        IndexChunk best = null;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (IndexChunk chunk : document.chunks()) {
            float score = similarity.compare(query, chunk.vector());
            if (score > bestScore) {
                bestScore = score;
                best = chunk;
            }
        }
        return new DocumentHit(document.documentId(), bestScore, document.title(), best.index(), best.passage(),
                best.start(), best.end(), document.metadata(), document.version(), document.contentRevision());
    }
}
