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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * The index's current versions of some documents of a tenant, as searches see them:
     * {@link io.vectorsync.projections.index.VectorIndex#searchableVersions}.
     */
    @FunctionalInterface
    public interface IndexVersions {
        Map<String, Long> of(String tenant, Collection<String> documentIds);
    }

    /**
     * The top {@code query.k()} of the index hits and the cached documents. A cached document that
     * makes the top without an index hit of its own is checked against the index's version before it
     * is served (one lookup for all of them, rarely a second): the cache never serves an entry older
     * than the index's, even one that missed a write.
     */
    public static List<DocumentHit> merge(SpaceSpec space, VectorQuery query, List<DocumentHit> indexHits,
                                          Collection<HotDocument> hot, IndexVersions indexVersions) {
        Map<String, HotDocument> byId = new HashMap<>();
        for (HotDocument document : hot) {
            if (document.tenant().equals(query.tenant())) {
                byId.merge(document.documentId(), document, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        float minScore = query.minScore() == null ? Float.NEGATIVE_INFINITY : query.minScore();
        List<DocumentHit> merged = new ArrayList<>();
        Map<String, Long> versionsInHits = new HashMap<>();
        for (DocumentHit hit : indexHits) {
            versionsInHits.put(hit.documentId(), hit.version());
            HotDocument cached = byId.get(hit.documentId());
            if (cached == null || cached.version() < hit.version()) {
                merged.add(hit);
            }
        }
        Set<String> unchecked = new HashSet<>(); // cached and served, with no index hit to compare with
        VectorSimilarityFunction similarity = LuceneVectorIndex.similarity(space.metric());
        for (HotDocument document : byId.values()) {
            if (document.deleted() || document.chunks().isEmpty()
                    || !MetadataMatcher.matches(query.filter(), document.metadata())) {
                continue;
            }
            DocumentHit best = best(document, query.vector(), similarity);
            Long indexed = versionsInHits.get(document.documentId());
            if (best.score() >= minScore && (indexed == null || indexed <= document.version())) {
                merged.add(best);
                if (indexed == null) {
                    unchecked.add(document.documentId());
                }
            }
        }
        merged.sort(Comparator.comparingDouble((DocumentHit hit) -> -hit.score()).thenComparing(DocumentHit::documentId));
        while (true) {
            List<DocumentHit> top = merged.subList(0, Math.min(query.k(), merged.size()));
            List<String> toCheck = top.stream().map(DocumentHit::documentId).filter(unchecked::contains).toList();
            if (toCheck.isEmpty()) {
                return List.copyOf(top);
            }
            Map<String, Long> versions = indexVersions.of(query.tenant(), toCheck);
            unchecked.removeAll(toCheck);
            merged.removeIf(hit -> toCheck.contains(hit.documentId())
                    && versions.getOrDefault(hit.documentId(), -1L) > byId.get(hit.documentId()).version());
        }
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
