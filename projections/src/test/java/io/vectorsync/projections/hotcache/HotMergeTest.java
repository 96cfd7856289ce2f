package io.vectorsync.projections.hotcache;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.HybridRankings;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorQuery;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HotMergeTest {

    private static final SpaceSpec SPACE = new SpaceSpec("tiny", 2, SpaceSpec.Metric.COSINE);
    private static final float[] QUERY = {1, 0};
    /** An index that holds none of the cached documents. */
    private static final HotMerge.IndexVersions NOT_INDEXED = (tenant, ids) -> Map.of();

    @Test
    void aCachedNewerVersionReplacesTheIndexHitAndIsScoredExactly() {
        List<DocumentHit> index = List.of(hit("a", 0.9f, 2), hit("b", 0.8f, 1));
        HotDocument newerA = live("a", 3, Map.of(), new float[]{0, 1}); // moved away from the query

        List<DocumentHit> merged = HotMerge.merge(SPACE, query(2, MetadataFilter.NONE), index, List.of(newerA), NOT_INDEXED);

        assertThat(merged).extracting(DocumentHit::documentId).containsExactly("b", "a");
        assertThat(merged.get(1).score()).isEqualTo(0.5f); // (1 + cos 90°) / 2
        assertThat(merged.get(1).version()).isEqualTo(3);
    }

    @Test
    void aCachedDeleteHidesTheIndexHitAndAFreshDocumentAppears() {
        List<DocumentHit> index = List.of(hit("a", 0.9f, 2), hit("b", 0.8f, 1));
        HotDocument deletedA = HotDocument.tombstone("acme", "a", 3, 0);
        HotDocument freshC = live("c", 1, Map.of(), new float[]{1, 0});

        List<DocumentHit> merged = HotMerge.merge(SPACE, query(10, MetadataFilter.NONE), index, List.of(deletedA, freshC), NOT_INDEXED);

        assertThat(merged).extracting(DocumentHit::documentId).containsExactly("c", "b");
        assertThat(merged.getFirst().score()).isEqualTo(1.0f);
    }

    @Test
    void theIndexWinsWhenItHoldsANewerVersionThanTheCache() {
        List<DocumentHit> index = List.of(hit("a", 0.6f, 5));
        HotDocument olderA = live("a", 4, Map.of(), new float[]{1, 0});

        List<DocumentHit> merged = HotMerge.merge(SPACE, query(10, MetadataFilter.NONE), index, List.of(olderA), NOT_INDEXED);

        assertThat(merged).singleElement().satisfies(hit -> {
            assertThat(hit.version()).isEqualTo(5);
            assertThat(hit.score()).isEqualTo(0.6f);
        });
    }

    @Test
    void aCachedEntryOlderThanTheIndexIsNotServedEvenWhenTheIndexVersionIsNotAHit() {
        // the cache missed a's version 5, which moved a away from the query: no index hit to compare with
        HotDocument staleA = live("a", 4, Map.of(), new float[]{1, 0});
        HotDocument freshC = live("c", 1, Map.of(), new float[]{1, 0.1f});
        List<DocumentHit> index = List.of(hit("b", 0.8f, 1));
        List<Collection<String>> asked = new ArrayList<>();
        HotMerge.IndexVersions versions = (tenant, ids) -> {
            asked.add(List.copyOf(ids));
            return Map.of("a", 5L);
        };

        List<DocumentHit> merged = HotMerge.merge(SPACE, query(2, MetadataFilter.NONE), index, List.of(staleA, freshC), versions);

        assertThat(merged).extracting(DocumentHit::documentId).containsExactly("c", "b");
        assertThat(asked).as("one lookup, for the cached documents in the top k only").hasSize(1);
        assertThat(asked.getFirst()).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void cachedDocumentsThatDoNotMakeTheTopAreNotLookedUp() {
        List<DocumentHit> index = List.of(hit("a", 0.99f, 1), hit("b", 0.98f, 1));
        HotDocument far = live("far", 1, Map.of(), new float[]{-1, 0});
        List<Collection<String>> asked = new ArrayList<>();

        List<DocumentHit> merged = HotMerge.merge(SPACE, query(2, MetadataFilter.NONE), index, List.of(far),
                (tenant, ids) -> {
                    asked.add(List.copyOf(ids));
                    return Map.of();
                });

        assertThat(merged).extracting(DocumentHit::documentId).containsExactly("a", "b");
        assertThat(asked).isEmpty();
    }

    @Test
    void hybridMergesTheCacheIntoBothRankingsBeforeFusingThem() {
        // the index ranks a then b by meaning, and b then a by words; the cache holds a fresh document
        // with the part number, a deletion of b and a newer a without the words
        HybridRankings index = new HybridRankings(
                List.of(hit("a", 0.9f, 2), hit("b", 0.8f, 1)),
                List.of(hit("b", 7.5f, 1), hit("a", 3.1f, 2)));
        HotDocument fresh = new HotDocument("acme", "fresh", 1, false, 1, "Stock", Map.of(), List.of(
                new IndexChunk(0, "Item XK-4471 ships from Leipzig; xk-4471 is in stock.", 0, 50, new float[]{0, 1})), 0);
        HotDocument deletedB = HotDocument.tombstone("acme", "b", 2, 0);
        HotDocument newerA = new HotDocument("acme", "a", 3, false, 3, "A", Map.of(), List.of(
                new IndexChunk(0, "nothing about parts", 0, 19, new float[]{1, 0})), 0);
        HybridQuery query = new HybridQuery("acme", "XK-4471", QUERY, 10, MetadataFilter.NONE);

        List<DocumentHit> fused = HotMerge.mergeHybrid(SPACE, query, index, List.of(fresh, deletedB, newerA), NOT_INDEXED);

        // a: first by meaning (exact score 1.0), not in words; fresh: second by meaning, first by words
        assertThat(fused).extracting(DocumentHit::documentId).containsExactly("fresh", "a");
        assertThat(fused.get(0).score()).isEqualTo((float) (1.0 / 62 + 1.0 / 61));
        assertThat(fused.get(1).score()).isEqualTo((float) (1.0 / 61));
        assertThat(fused.get(1).version()).isEqualTo(3);
    }

    @Test
    void aCachedDocumentEntersTheWordRankingOnlyWithEveryWordAndNotWhenTheIndexIsNewer() {
        HybridRankings index = new HybridRankings(List.of(), List.of(hit("x", 2f, 1)));
        HotDocument some = live("some", 1, Map.of(), new float[]{0, 1}); // passage "passage of some"
        HotDocument stale = new HotDocument("acme", "stale", 2, false, 2, "Stale", Map.of(), List.of(
                new IndexChunk(0, "passage of stale", 0, 16, new float[]{0, -1})), 0);
        HybridQuery query = new HybridQuery("acme", "Passage of STALE", new float[]{-1, 0}, 10, MetadataFilter.NONE);

        List<DocumentHit> fused = HotMerge.mergeHybrid(SPACE, query, index, List.of(some, stale),
                (tenant, ids) -> Map.of("stale", 3L));

        // stale is older than the index in both rankings; some is found by meaning only, lacking 'stale'
        assertThat(fused).extracting(DocumentHit::documentId).containsExactly("some", "x");
        assertThat(fused.getFirst().score()).isEqualTo((float) (1.0 / 61));
        assertThat(HotMerge.terms("XK-4471, the Café!")).containsExactly("xk", "4471", "the", "café");
    }

    @Test
    void cachedDocumentsObeyTheFilterTheTenantAndTheMinimumScore() {
        HotDocument english = live("en", 1, Map.of("lang", "en", "year", new BigDecimal("2024")), new float[]{1, 0});
        HotDocument german = live("de", 1, Map.of("lang", "de", "year", new BigDecimal("2024")), new float[]{1, 0});
        HotDocument far = live("far", 1, Map.of("lang", "en", "year", new BigDecimal("2024")), new float[]{-1, 0});
        HotDocument otherTenant = new HotDocument("globex", "x", 1, false, 0, "x", Map.of("lang", "en"),
                List.of(new IndexChunk(0, "x", 0, 1, new float[]{1, 0})), 0);
        MetadataFilter english2024 = new MetadataFilter(List.of(new MetadataFilter.Equals("lang", "en"),
                new MetadataFilter.Range("year", null, new BigDecimal("2024"), null, null)));

        List<DocumentHit> merged = HotMerge.merge(SPACE, new VectorQuery("acme", QUERY, 10, english2024, 0.25f),
                List.of(), List.of(english, german, far, otherTenant), NOT_INDEXED);

        assertThat(merged).extracting(DocumentHit::documentId).containsExactly("en");
    }

    @Test
    void theBestChunkGivesTheScoreAndThePassage() {
        HotDocument twoChunks = new HotDocument("acme", "doc", 1, false, 0, "Doc", Map.of(), List.of(
                new IndexChunk(0, "far", 0, 3, new float[]{0, 1}),
                new IndexChunk(1, "near", 4, 8, new float[]{1, 0.1f})), 0);

        DocumentHit hit = HotMerge.merge(SPACE, query(1, MetadataFilter.NONE), List.of(), List.of(twoChunks), NOT_INDEXED).getFirst();

        assertThat(hit.passage()).isEqualTo("near");
        assertThat(hit.chunkIndex()).isEqualTo(1);
        assertThat(hit.start()).isEqualTo(4);
    }

    @Test
    void theIndexIsAskedForKPlusAFewAndForMoreOnlyWhenCachedDocumentsDisplacedItsHits() {
        List<HotDocument> two = List.of(live("a", 3, Map.of(), QUERY), live("b", 1, Map.of(), QUERY));
        assertThat(HotMerge.indexK(10, List.of())).isEqualTo(10);
        assertThat(HotMerge.indexK(10, two)).isEqualTo(12);
        List<HotDocument> many = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            many.add(live("d" + i, 1, Map.of(), QUERY));
        }
        assertThat(HotMerge.indexK(10, many)).as("not one per cached document").isEqualTo(20);
        assertThat(HotMerge.widerIndexK(10, 20, many)).isEqualTo(40);
        assertThat(HotMerge.widerIndexK(10, 640, many)).isEqualTo(1_010);
        assertThat(HotMerge.widerIndexK(10, 1_010, many)).as("the bound: k + cached, at most 1,000").isEqualTo(1_010);
        assertThat(HotMerge.widerIndexK(10, 12, two)).isEqualTo(12);

        HotMerge.Scored cached = HotMerge.score(SPACE, query(2, MetadataFilter.NONE), two);
        // "a" is cached at version 3, newer than its index hit: only one of the two hits stays
        List<DocumentHit> displaced = List.of(hit("a", 0.9f, 2), hit("c", 0.8f, 1));
        assertThat(HotMerge.enough(2, 2, displaced, cached)).isFalse();
        assertThat(HotMerge.enough(2, 3, displaced, cached)).as("the index had no third").isTrue();
        assertThat(HotMerge.enough(2, 2, List.of(hit("a", 0.9f, 4), hit("c", 0.8f, 1)), cached))
                .as("the index's a is newer than the cache's").isTrue();
    }

    private static VectorQuery query(int k, MetadataFilter filter) {
        return new VectorQuery("acme", QUERY, k, filter, null);
    }

    private static DocumentHit hit(String id, float score, long version) {
        return new DocumentHit(id, score, id, 0, "passage of " + id, 0, 10, Map.of(), version, version - 1);
    }

    private static HotDocument live(String id, long version, Map<String, Object> metadata, float[] vector) {
        return new HotDocument("acme", id, version, false, version - 1, id, metadata,
                List.of(new IndexChunk(0, "passage of " + id, 0, 10, vector)), 0);
    }
}
