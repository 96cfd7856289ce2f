package io.vectorsync.projections.hotcache;

import io.vectorsync.projections.index.IndexChunk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache on a real embedded Hazelcast member (and a second one joining it by address). */
class HotVectorCacheTest {

    private static final AtomicInteger SPACES = new AtomicInteger();
    private static HotVectorCache cache;

    @BeforeAll
    static void startMember() {
        cache = HotVectorCache.start(HotCacheSettings.embedded().withLimits(300, 1));
    }

    @AfterAll
    static void stopMember() {
        cache.close();
    }

    private static String freshSpace() {
        return "space" + SPACES.incrementAndGet();
    }

    @Test
    void aDocumentComesBackBitForBitWithItsMetadataAndSpans() {
        String space = freshSpace();
        float[] vector = vector(new Random(1), 384);
        vector[0] = -0.0f;
        vector[1] = Float.MIN_VALUE;
        Map<String, Object> metadata = Map.of("lang", "en", "year", new BigDecimal("2025"), "public", true,
                "tags", List.of("a", "b"));
        HotDocument document = new HotDocument("acme", "doc-1", 3, false, 2, "Title", metadata,
                List.of(new IndexChunk(0, "first passage", 0, 13, vector), new IndexChunk(1, "second", -1, -1, vector(new Random(2), 384))),
                1234L);

        assertThat(cache.offer(space, document)).isTrue();

        HotDocument read = cache.get(space, "acme", "doc-1").orElseThrow();
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.contentRevision()).isEqualTo(2);
        assertThat(read.title()).isEqualTo("Title");
        assertThat(read.metadata()).isEqualTo(metadata);
        assertThat(read.chunks()).hasSize(2);
        assertThat(read.chunks().get(0).passage()).isEqualTo("first passage");
        assertThat(read.chunks().get(1).start()).isEqualTo(-1);
        assertThat(Float.floatToRawIntBits(read.chunks().get(0).vector()[0])).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(read.chunks().get(0).vector()).containsExactly(vector);
        assertThat(read.cachedAtMillis()).isEqualTo(1234L);
    }

    @Test
    void anOlderOrEqualVersionNeverReplacesANewerOne() {
        String space = freshSpace();
        assertThat(cache.offer(space, live("acme", "doc", 5, "five"))).isTrue();

        assertThat(cache.offer(space, live("acme", "doc", 4, "four"))).isFalse();
        assertThat(cache.offer(space, live("acme", "doc", 5, "five again"))).isFalse();
        assertThat(cache.get(space, "acme", "doc").orElseThrow().title()).isEqualTo("five");

        assertThat(cache.offer(space, live("acme", "doc", 6, "six"))).isTrue();
        assertThat(cache.get(space, "acme", "doc").orElseThrow().title()).isEqualTo("six");
        assertThat(cache.stats(space).stale()).isEqualTo(2);
        assertThat(cache.stats(space).written()).isEqualTo(2);
    }

    @Test
    void aTombstoneHidesTheDocumentUntilANewerVersionArrives() {
        String space = freshSpace();
        cache.offer(space, live("acme", "doc", 2, "two"));

        assertThat(cache.offer(space, HotDocument.tombstone("acme", "doc", 3, 0))).isTrue();
        assertThat(cache.offer(space, live("acme", "doc", 2, "late two"))).isFalse();
        assertThat(cache.get(space, "acme", "doc").orElseThrow().deleted()).isTrue();

        assertThat(cache.offer(space, live("acme", "doc", 4, "restored"))).isTrue();
        assertThat(cache.get(space, "acme", "doc").orElseThrow().deleted()).isFalse();
    }

    @Test
    void aTenantSeesOnlyItsOwnDocuments() {
        String space = freshSpace();
        cache.offer(space, live("acme", "a", 1, "a"));
        cache.offer(space, live("acme", "b", 1, "b"));
        cache.offer(space, live("globex", "a", 1, "other a"));

        assertThat(cache.ofTenant(space, "acme")).extracting(HotDocument::documentId).containsExactlyInAnyOrder("a", "b");
        assertThat(cache.ofTenant(space, "globex")).extracting(HotDocument::title).containsExactly("other a");
        assertThat(cache.ofTenant(space, "initech")).isEmpty();
    }

    @Test
    void removalOnceSearchableLeavesANewerVersionInPlace() {
        String space = freshSpace();
        HotDocument two = live("acme", "doc", 2, "two");
        cache.offer(space, two);
        cache.offer(space, live("acme", "doc", 3, "three"));

        assertThat(cache.removeIfUnchanged(space, two)).isFalse();
        assertThat(cache.get(space, "acme", "doc")).isPresent();

        HotDocument three = cache.get(space, "acme", "doc").orElseThrow();
        assertThat(cache.removeIfUnchanged(space, three)).isTrue();
        assertThat(cache.get(space, "acme", "doc")).isEmpty();
        assertThat(cache.stats(space).madeSearchable()).isEqualTo(1);
        assertThat(cache.stats(space).hitRatio()).isBetween(0.5, 0.8);
    }

    @Test
    void entriesAreBoundedAndTheLeastRecentlyUsedLeave() {
        String space = freshSpace();
        for (int i = 0; i < 2_000; i++) {
            cache.offer(space, new HotDocument("acme", "d" + i, 1, false, 0, null, Map.of(),
                    List.of(new IndexChunk(0, "p", 0, 1, new float[]{1, 0})), 0));
        }
        HotVectorCache.Stats stats = cache.stats(space);
        assertThat(stats.entries()).isLessThanOrEqualTo(300);
        assertThat(stats.evicted()).isPositive();
    }

    @Test
    void overItsMemoryBudgetASpaceCachesNoNewDocumentsButStillTakesDeletesAndUpdates() {
        String space = freshSpace();
        Random random = new Random(7);
        int stored = 0;
        for (int i = 0; i < 250; i++) { // 8 chunks of 384 floats: about 13 KB each, 1 MB allowed
            List<IndexChunk> chunks = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                chunks.add(new IndexChunk(c, "passage " + c, 0, 1, vector(random, 384)));
            }
            if (cache.offer(space, new HotDocument("acme", "big" + i, 1, false, 0, null, Map.of(), chunks, 0))) {
                stored++;
            }
        }
        HotVectorCache.Stats stats = cache.stats(space);
        assertThat(stats.refusedForMemory()).isPositive();
        assertThat(stored).isLessThan(250);
        assertThat(stats.memoryBytes()).isLessThan(2L * 1024 * 1024);

        assertThat(cache.offer(space, HotDocument.tombstone("acme", "big0", 2, 0))).isTrue();
        assertThat(cache.offer(space, HotDocument.tombstone("acme", "never-cached", 2, 0))).isTrue();
    }

    @Test
    void aSecondMemberJoinsByAddressAndSeesTheSameEntries() {
        String space = freshSpace();
        cache.offer(space, live("acme", "shared", 1, "shared"));
        HotCacheSettings second = new HotCacheSettings(HotCacheSettings.Mode.EMBEDDED, "vectorsync",
                cache.members(), "127.0.0.1", 5701, 300, 1);
        try (HotVectorCache other = HotVectorCache.start(second)) {
            assertThat(other.members()).hasSize(2);
            assertThat(other.get(space, "acme", "shared").orElseThrow().title()).isEqualTo("shared");
            other.offer(space, live("acme", "from-other", 1, "from the other member"));
            assertThat(cache.get(space, "acme", "from-other")).isPresent();
        }
    }

    private static HotDocument live(String tenant, String id, long version, String title) {
        return new HotDocument(tenant, id, version, false, version - 1, title, Map.of(),
                List.of(new IndexChunk(0, title, 0, title.length(), new float[]{1, 0, 0})), 0);
    }

    private static float[] vector(Random random, int dimension) {
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return vector;
    }
}
