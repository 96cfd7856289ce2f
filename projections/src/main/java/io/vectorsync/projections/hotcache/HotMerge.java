package io.vectorsync.projections.hotcache;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.HybridRankings;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.MetadataMatcher;
import io.vectorsync.projections.index.RankFusion;
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
import java.util.Locale;
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
     * How many documents to ask the index for first: {@code k}, plus one for each cached document up to {@code k} more,
     * since each may displace an index hit of its own older version. Most cached documents are new or rank far away,
     * so this is nearly always enough ({@link #enough}); asking for {@code k} plus every cached document, as a busy
     * writer leaves hundreds, made each search read hundreds of hits.
     */
    public static int indexK(int k, Collection<HotDocument> hot) {
        return k + Math.min(hot.size(), k);
    }

    /**
     * Whether an index answer to a query for {@code asked} documents holds the top {@code k}: it does when at least
     * {@code k} of its hits stay (the cache holds nothing newer of them) or the index had no more to give.
     */
    public static boolean enough(int k, int asked, List<DocumentHit> indexHits, Scored cached) {
        if (indexHits.size() < asked) {
            return true;
        }
        long kept = indexHits.stream().filter(hit -> {
            HotDocument known = cached.byId().get(hit.documentId());
            return known == null || known.version() < hit.version();
        }).count();
        return kept >= k;
    }

    /**
     * The next ask after one that was not {@link #enough}: twice as many, up to {@code k} plus the tenant's cached
     * documents (at most {@link #MAX_OVER_FETCH} of them), which always is. Equal to {@code asked} at that bound.
     */
    public static int widerIndexK(int k, int asked, Collection<HotDocument> hot) {
        return Math.max(asked, Math.min(asked * 2, k + Math.min(hot.size(), MAX_OVER_FETCH)));
    }

    /**
     * The index's current versions of some documents of a tenant, as searches see them:
     * {@link io.vectorsync.projections.index.VectorIndex#searchableVersions}.
     */
    @FunctionalInterface
    public interface IndexVersions {
        Map<String, Long> of(String tenant, Collection<String> documentIds);

        /**
         * Answers from {@code versions}, looked up already for {@code documentIds} (a document without
         * a version there is not in the index), and asks this for any other document.
         */
        default IndexVersions knowing(Collection<String> documentIds, Map<String, Long> versions) {
            Set<String> known = Set.copyOf(documentIds);
            return (tenant, ids) -> {
                Map<String, Long> answer = new HashMap<>();
                List<String> unknown = new ArrayList<>();
                for (String id : ids) {
                    if (known.contains(id)) {
                        Long version = versions.get(id);
                        if (version != null) {
                            answer.put(id, version);
                        }
                    } else {
                        unknown.add(id);
                    }
                }
                if (!unknown.isEmpty()) {
                    answer.putAll(of(tenant, unknown));
                }
                return answer;
            };
        }
    }

    /**
     * The tenant's cached documents as a query sees them: the newest entry of each, and the live ones that pass
     * the filter and the minimum score, each scored exactly by its best chunk — computed once per search.
     */
    public record Scored(Map<String, HotDocument> byId, List<DocumentHit> hits) {

        /**
         * The cached documents that make the query's top k on their own: the ones {@link #merge} checks against
         * the index first, so a caller can look their versions up together with the index's search.
         */
        public List<String> contenders(int k) {
            return hits.stream().limit(k).map(DocumentHit::documentId).toList();
        }
    }

    public static Scored score(SpaceSpec space, VectorQuery query, Collection<HotDocument> hot) {
        Map<String, HotDocument> byId = latest(query.tenant(), hot);
        VectorSimilarityFunction similarity = LuceneVectorIndex.similarity(space.metric());
        float minScore = query.minScore() == null ? Float.NEGATIVE_INFINITY : query.minScore();
        List<DocumentHit> hits = byId.values().stream()
                .filter(document -> !document.deleted() && !document.chunks().isEmpty()
                        && MetadataMatcher.matches(query.filter(), document.metadata()))
                .map(document -> best(document, query.vector(), similarity))
                .filter(hit -> hit.score() >= minScore)
                .sorted(Comparator.comparingDouble((DocumentHit hit) -> -hit.score()).thenComparing(DocumentHit::documentId))
                .toList();
        return new Scored(byId, hits);
    }

    /** {@link #merge(VectorQuery, List, Scored, IndexVersions)} after {@link #score}. */
    public static List<DocumentHit> merge(SpaceSpec space, VectorQuery query, List<DocumentHit> indexHits,
                                          Collection<HotDocument> hot, IndexVersions indexVersions) {
        return merge(query, indexHits, score(space, query, hot), indexVersions);
    }

    /**
     * The top {@code query.k()} of the index hits and the cached documents. A cached document that
     * makes the top without an index hit of its own is checked against the index's version before it
     * is served (one lookup for all of them, rarely a second): the cache never serves an entry older
     * than the index's, even one that missed a write.
     */
    public static List<DocumentHit> merge(VectorQuery query, List<DocumentHit> indexHits, Scored cached,
                                          IndexVersions indexVersions) {
        Map<String, HotDocument> byId = cached.byId();
        List<DocumentHit> merged = new ArrayList<>();
        Map<String, Long> versionsInHits = new HashMap<>();
        for (DocumentHit hit : indexHits) {
            versionsInHits.put(hit.documentId(), hit.version());
            HotDocument known = byId.get(hit.documentId());
            if (known == null || known.version() < hit.version()) {
                merged.add(hit);
            }
        }
        Set<String> unchecked = new HashSet<>(); // cached and served, with no index hit to compare with
        for (DocumentHit best : cached.hits()) {
            Long indexed = versionsInHits.get(best.documentId());
            if (indexed == null || indexed <= best.version()) {
                merged.add(best);
                if (indexed == null) {
                    unchecked.add(best.documentId());
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

    /**
     * A hybrid answer with the cache merged into both rankings before they are fused: by meaning as
     * {@link #merge} does; by words, index hits of documents the cache holds newer (or deleted) leave,
     * and cached documents of which one passage contains every word of the text come first, those with
     * more occurrences ahead. The index's BM25 cannot score a document it has not seen, so this is the
     * one place where a merged answer only approximates the refreshed index's.
     */
    public static List<DocumentHit> mergeHybrid(SpaceSpec space, HybridQuery query, HybridRankings rankings,
                                                Collection<HotDocument> hot, IndexVersions indexVersions) {
        VectorQuery meaning = new VectorQuery(query.tenant(), query.vector(),
                Math.max(query.k(), rankings.byMeaning().size()), query.filter(), null);
        List<DocumentHit> byMeaning = merge(space, meaning, rankings.byMeaning(), hot, indexVersions);
        List<DocumentHit> byWords = mergeWords(query, rankings.byWords(), latest(query.tenant(), hot), indexVersions);
        return RankFusion.fuse(List.of(byMeaning, byWords), query.k());
    }

    private static List<DocumentHit> mergeWords(HybridQuery query, List<DocumentHit> indexHits,
                                                Map<String, HotDocument> byId, IndexVersions indexVersions) {
        Map<String, Long> versionsInHits = new HashMap<>();
        indexHits.forEach(hit -> versionsInHits.put(hit.documentId(), hit.version()));
        List<String> terms = terms(query.text());
        List<DocumentHit> cached = new ArrayList<>();
        for (HotDocument document : byId.values()) {
            Long indexed = versionsInHits.get(document.documentId());
            if (document.deleted() || (indexed != null && indexed >= document.version())
                    || !MetadataMatcher.matches(query.filter(), document.metadata())) {
                continue; // an index hit of the same version keeps its own rank
            }
            DocumentHit match = wordMatch(document, terms);
            if (match != null) {
                cached.add(match);
            }
        }
        List<String> unchecked = cached.stream().map(DocumentHit::documentId)
                .filter(id -> !versionsInHits.containsKey(id)).toList();
        Map<String, Long> versions = unchecked.isEmpty() ? Map.of() : indexVersions.of(query.tenant(), unchecked);
        cached.removeIf(hit -> versions.getOrDefault(hit.documentId(), -1L) > byId.get(hit.documentId()).version());
        cached.sort(Comparator.comparingDouble((DocumentHit hit) -> -hit.score()).thenComparing(DocumentHit::documentId));
        List<DocumentHit> ranking = new ArrayList<>(cached);
        for (DocumentHit hit : indexHits) {
            HotDocument known = byId.get(hit.documentId());
            if (known == null || known.version() <= hit.version()) {
                ranking.add(hit);
            }
        }
        return ranking;
    }

    /** The passage that holds every term most often, scored by its occurrences; null when none holds them all. */
    private static DocumentHit wordMatch(HotDocument document, List<String> terms) {
        if (terms.isEmpty()) {
            return null;
        }
        IndexChunk best = null;
        int bestCount = 0;
        for (IndexChunk chunk : document.chunks()) {
            Map<String, Integer> counts = new HashMap<>();
            terms(chunk.passage()).forEach(term -> counts.merge(term, 1, Integer::sum));
            int occurrences = 0;
            for (String term : terms) {
                int count = counts.getOrDefault(term, 0);
                if (count == 0) {
                    occurrences = 0;
                    break;
                }
                occurrences += count;
            }
            if (occurrences > bestCount) {
                bestCount = occurrences;
                best = chunk;
            }
        }
        return best == null ? null : hit(document, best, bestCount);
    }

    /** Lower-case runs of letters and digits: how the index's standard analyzer splits words, near enough. */
    static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        for (String term : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!term.isEmpty()) {
                terms.add(term);
            }
        }
        return terms;
    }

    private static Map<String, HotDocument> latest(String tenant, Collection<HotDocument> hot) {
        Map<String, HotDocument> byId = new HashMap<>();
        for (HotDocument document : hot) {
            if (document.tenant().equals(tenant)) {
                byId.merge(document.documentId(), document, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        return byId;
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
        return hit(document, best, bestScore);
    }

    private static DocumentHit hit(HotDocument document, IndexChunk chunk, float score) {
        return new DocumentHit(document.documentId(), score, document.title(), chunk.index(), chunk.passage(),
                chunk.start(), chunk.end(), document.metadata(), document.version(), document.contentRevision());
    }
}
