package io.vectorsync.projections.index;

import io.vectorsync.projections.hotcache.HotDocument;
import io.vectorsync.projections.hotcache.HotMerge;
import io.vectorsync.projections.index.IndexWrite.ChangeMetadata;
import io.vectorsync.projections.index.IndexWrite.Delete;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.MetadataFilter.AnyOf;
import io.vectorsync.projections.index.MetadataFilter.Condition;
import io.vectorsync.projections.index.MetadataFilter.Equals;
import io.vectorsync.projections.index.MetadataFilter.Range;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.vectorsync.projections.index.TestVectors.blend;
import static io.vectorsync.projections.index.TestVectors.orthogonal;
import static io.vectorsync.projections.index.TestVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The behaviour every {@link VectorIndex} adapter must have. An adapter's test extends this class and
 * says how to open its index; the Lucene and OpenSearch adapters run the same cases.
 */
public abstract class VectorIndexContract {

    protected static final int DIMENSION = 8;
    protected static final SpaceSpec SPACE = new SpaceSpec("contract-space", DIMENSION, SpaceSpec.Metric.COSINE);
    protected static final String TENANT = "acme";
    protected static final Provenance PROVENANCE = new Provenance("test-model", "paragraph", 256, 32);

    protected VectorIndex index;

    /**
     * Opens the index of {@code space}, empty at the start of each test. Within one test every call
     * must open the same storage, so closing an index and opening it again shows what it persisted.
     */
    protected abstract VectorIndex openIndex(SpaceSpec space);

    /** How many deleted or replaced entries the index's storage still holds (before a merge drops them). */
    protected abstract long deletedEntriesStored() throws Exception;

    /** Whether a small index keeps its deleted entries until a merge (or may merge them away as it writes). */
    protected boolean deletesStayUntilMerged() {
        return true;
    }

    /**
     * Makes everything applied so far visible to searches and counts, through the port: nothing to do
     * where apply is searchable on return (Lucene); OpenSearch refreshes.
     */
    private static void makeSearchable(VectorIndex index) {
        index.makeSearchable();
    }

    @BeforeEach
    void open() {
        index = openIndex(SPACE);
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void upsertedDocumentIsFoundWithItsBestPassage() {
        float[][] vectors = {unit(DIMENSION, 1), unit(DIMENSION, 2), unit(DIMENSION, 3)};
        Map<String, Object> metadata = Map.of("lang", "en", "year", new BigDecimal("2024"),
                "public", true, "tags", List.of("a", "b"));
        apply(List.of(replace(TENANT, "doc-1", 2, metadata, vectors)));

        List<DocumentHit> hits = index.search(query(vectors[1], 5));

        assertThat(hits).hasSize(1);
        DocumentHit hit = hits.getFirst();
        assertThat(hit.documentId()).isEqualTo("doc-1");
        assertThat(hit.score()).isCloseTo(1.0f, within(1e-4f));
        assertThat(hit.chunkIndex()).isEqualTo(1);
        assertThat(hit.passage()).isEqualTo("doc-1 passage 1 at version 2");
        assertThat(hit.start()).isEqualTo(100);
        assertThat(hit.end()).isEqualTo(199);
        assertThat(hit.title()).isEqualTo("Title of doc-1");
        assertThat(hit.metadata()).isEqualTo(metadata);
        assertThat(hit.version()).isEqualTo(2);
        assertThat(hit.contentRevision()).isEqualTo(1);
        assertThat(index.version(TENANT, "doc-1")).hasValue(2);
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
        assertThat(index.countChunks(TENANT)).isEqualTo(3);
    }

    @Test
    void revisionWithFewerChunksRemovesTheRest() {
        float[] dropped = unit(DIMENSION, 3);
        apply(List.of(replace(TENANT, "doc-1", 2, Map.of(), unit(DIMENSION, 1), unit(DIMENSION, 2), dropped)));

        apply(List.of(replace(TENANT, "doc-1", 4, Map.of(), unit(DIMENSION, 4))));

        assertThat(index.countChunks(TENANT)).isEqualTo(1);
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
        DocumentHit hit = index.search(query(dropped, 5)).getFirst();
        assertThat(hit.passage()).isEqualTo("doc-1 passage 0 at version 4");
        assertThat(hit.version()).isEqualTo(4);
    }

    @Test
    void metadataChangeKeepsVectorsAndFiltersOnTheNewMetadata() {
        float[] second = unit(DIMENSION, 2);
        apply(List.of(replace(TENANT, "doc-1", 2, Map.of("lang", "en"), unit(DIMENSION, 1), second)));

        apply(List.of(new ChangeMetadata(TENANT, "doc-1", 3, Map.of("lang", "de", "draft", false))));

        List<DocumentHit> german = index.search(query(second, 5, new Equals("lang", "de")));
        assertThat(german).singleElement().satisfies(hit -> {
            assertThat(hit.chunkIndex()).isEqualTo(1);
            assertThat(hit.score()).isCloseTo(1.0f, within(1e-4f));
            assertThat(hit.passage()).isEqualTo("doc-1 passage 1 at version 2");
            assertThat(hit.metadata()).isEqualTo(Map.of("lang", "de", "draft", false));
            assertThat(hit.version()).isEqualTo(3);
            assertThat(hit.contentRevision()).isEqualTo(1);
        });
        assertThat(index.search(query(second, 5, new Equals("lang", "en")))).isEmpty();
        assertThat(index.countChunks(TENANT)).isEqualTo(2);
    }

    @Test
    void metadataChangeOfADocumentWithoutChunksOnlyRecordsItsVersion() {
        apply(List.of(new ChangeMetadata(TENANT, "doc-1", 3, Map.of("lang", "de"))));

        assertThat(index.version(TENANT, "doc-1")).hasValue(3);
        assertThat(index.countChunks(TENANT)).isZero();
        assertThat(index.countDocuments(TENANT)).isZero();

        apply(List.of(replace(TENANT, "doc-1", 2, Map.of(), unit(DIMENSION, 1))));
        assertThat(index.countChunks(TENANT)).as("an embedding older than the metadata change").isZero();
    }

    @Test
    void deleteRemovesTheDocumentFromSearchAndCounts() {
        float[] vector = unit(DIMENSION, 1);
        apply(List.of(
                replace(TENANT, "doc-1", 2, Map.of(), vector),
                replace(TENANT, "doc-2", 2, Map.of(), unit(DIMENSION, 2))));

        apply(List.of(new Delete(TENANT, "doc-1", 3)));

        assertThat(ids(index.search(query(vector, 5)))).containsExactly("doc-2");
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
        assertThat(index.countChunks(TENANT)).isEqualTo(1);
        assertThat(index.version(TENANT, "doc-1")).as("the tombstone's version").hasValue(3);
        assertThat(index.version(TENANT, "never-written")).isEmpty();
    }

    /** Erasure (issue 21): what deletes and replacements left behind goes from storage; the rest is intact. */
    @Test
    void expungingDeletesDropsWhatDeletesLeftInStorageAndKeepsTheRest() throws Exception {
        apply(List.of(
                replace(TENANT, "doc-1", 2, Map.of(), unit(DIMENSION, 1), unit(DIMENSION, 2)),
                replace(TENANT, "doc-2", 2, Map.of("lang", "en"), unit(DIMENSION, 3)),
                replace(TENANT, "doc-3", 2, Map.of(), unit(DIMENSION, 4))));
        apply(List.of(new Delete(TENANT, "doc-1", 3), new ChangeMetadata(TENANT, "doc-2", 3, Map.of("lang", "de"))));
        index.makeSearchable();
        if (deletesStayUntilMerged()) {
            assertThat(deletedEntriesStored()).as("before: the deleted and replaced entries are still stored")
                    .isPositive();
        }

        index.expungeDeletes();

        assertThat(deletedEntriesStored()).isZero();
        assertThat(ids(index.search(query(unit(DIMENSION, 3), 5)))).contains("doc-2", "doc-3").doesNotContain("doc-1");
        assertThat(index.search(query(unit(DIMENSION, 3), 1)).getFirst().metadata()).isEqualTo(Map.of("lang", "de"));
        assertThat(index.version(TENANT, "doc-1")).as("the tombstone (no content) stays").hasValue(3);
        assertThat(index.countDocuments(TENANT)).isEqualTo(2);
        index.expungeDeletes(); // nothing left to drop: harmless
        assertThat(index.countChunks(TENANT)).isEqualTo(2);
    }

    @Test
    void countsTheLiveDocumentsOfEveryTenant() {
        apply(List.of(
                replace(TENANT, "doc-1", 2, Map.of(), unit(DIMENSION, 1), unit(DIMENSION, 2)),
                replace(TENANT, "doc-2", 2, Map.of(), unit(DIMENSION, 2)),
                replace("other-tenant", "doc-1", 2, Map.of(), unit(DIMENSION, 3))));
        apply(List.of(new Delete(TENANT, "doc-2", 3)));

        assertThat(index.countAllDocuments()).as("documents, not chunks; the deleted one not").isEqualTo(2);
    }

    @Test
    void newerEmbeddingAfterDeleteRestoresTheDocument() {
        float[] vector = unit(DIMENSION, 1);
        apply(List.of(replace(TENANT, "doc-1", 2, Map.of(), vector)));
        apply(List.of(new Delete(TENANT, "doc-1", 3)));

        apply(List.of(replace(TENANT, "doc-1", 5, Map.of(), vector)));

        assertThat(index.search(query(vector, 5))).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(5));
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
    }

    @Test
    void duplicateWritesAreHarmless() {
        float[] vector = unit(DIMENSION, 1);
        ReplaceChunks write = replace(TENANT, "doc-1", 2, Map.of(), vector, unit(DIMENSION, 2));

        apply(List.of(write));
        apply(List.of(write));
        apply(List.of(write, write));

        assertThat(index.countChunks(TENANT)).isEqualTo(2);
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
        assertThat(ids(index.search(query(vector, 5)))).containsExactly("doc-1");
    }

    @Test
    void olderWriteAfterANewerOneIsSkipped() {
        float[] newer = unit(DIMENSION, 1);
        apply(List.of(replace(TENANT, "doc-1", 5, Map.of("lang", "en"), newer)));

        apply(List.of(
                replace(TENANT, "doc-1", 3, Map.of(), unit(DIMENSION, 2), unit(DIMENSION, 3)),
                new ChangeMetadata(TENANT, "doc-1", 4, Map.of("lang", "fr"))));

        DocumentHit hit = index.search(query(newer, 5)).getFirst();
        assertThat(hit.passage()).isEqualTo("doc-1 passage 0 at version 5");
        assertThat(hit.metadata()).isEqualTo(Map.of("lang", "en"));
        assertThat(index.version(TENANT, "doc-1")).hasValue(5);
        assertThat(index.countChunks(TENANT)).isEqualTo(1);
    }

    @Test
    void olderWriteAfterADeleteDoesNotResurrectTheDocument() {
        float[] vector = unit(DIMENSION, 1);
        apply(List.of(replace(TENANT, "doc-1", 2, Map.of(), vector)));
        apply(List.of(new Delete(TENANT, "doc-1", 4)));

        apply(List.of(replace(TENANT, "doc-1", 3, Map.of(), vector)));

        assertThat(index.search(query(vector, 5))).isEmpty();
        assertThat(index.countDocuments(TENANT)).isZero();
        assertThat(index.countChunks(TENANT)).isZero();
        assertThat(index.version(TENANT, "doc-1")).hasValue(4);
    }

    @Test
    void laterWritesInABatchSeeEarlierOnes() {
        float[] vector = unit(DIMENSION, 1);

        apply(List.of(
                replace(TENANT, "doc-1", 1, Map.of("lang", "en"), vector, unit(DIMENSION, 2)),
                new ChangeMetadata(TENANT, "doc-1", 2, Map.of("lang", "de")),
                replace(TENANT, "doc-1", 1, Map.of("lang", "en"), vector),
                replace(TENANT, "doc-2", 1, Map.of(), unit(DIMENSION, 3)),
                new Delete(TENANT, "doc-2", 2),
                replace(TENANT, "doc-2", 1, Map.of(), unit(DIMENSION, 3))));

        assertThat(index.search(query(vector, 5))).singleElement().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo("doc-1");
            assertThat(hit.metadata()).isEqualTo(Map.of("lang", "de"));
            assertThat(hit.version()).isEqualTo(2);
        });
        assertThat(index.countChunks(TENANT)).isEqualTo(2);
        assertThat(index.version(TENANT, "doc-2")).hasValue(2);
    }

    @Test
    void batchWithAnInvalidWriteWritesNothing() {
        List<IndexWrite> batch = List.of(
                replace(TENANT, "doc-1", 1, Map.of(), unit(DIMENSION, 1)),
                replace(TENANT, "doc-2", 1, Map.of(), unit(DIMENSION + 1, 2)));

        assertThatThrownBy(() -> apply(batch))
                .isInstanceOfSatisfying(IndexWriteException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("dimension");
        assertThat(index.countChunks(TENANT)).isZero();
        assertThat(index.version(TENANT, "doc-1")).isEmpty();
    }

    @Test
    void filtersOnStringEquality() {
        indexCatalogue();
        assertThat(matching(new Equals("lang", "en"))).containsExactly("en-2021");
    }

    @Test
    void filtersOnNumberEquality() {
        indexCatalogue();
        assertThat(matching(new Equals("year", new BigDecimal("2023")))).containsExactly("de-2023");
        assertThat(matching(new Equals("year", new BigDecimal("2023.0")))).containsExactly("de-2023");
    }

    @Test
    void filtersOnBooleanEquality() {
        indexCatalogue();
        assertThat(matching(new Equals("public", true))).containsExactly("en-2021", "fr-2025");
        assertThat(matching(new Equals("public", false))).containsExactly("de-2023");
    }

    @Test
    void filtersOnAListContainingAValue() {
        indexCatalogue();
        assertThat(matching(new Equals("tags", "y"))).containsExactly("de-2023", "en-2021");
        assertThat(matching(new Equals("tags", "z"))).containsExactly("de-2023");
    }

    @Test
    void filtersOnAnyOfSeveralValues() {
        indexCatalogue();
        assertThat(matching(new AnyOf("lang", List.of("de", "fr", "nl")))).containsExactly("de-2023", "fr-2025");
        assertThat(matching(new AnyOf("tags", List.of("x", "z")))).containsExactly("de-2023", "en-2021");
        assertThat(matching(new AnyOf("year", List.of(new BigDecimal("2021"), new BigDecimal("2025")))))
                .containsExactly("en-2021", "fr-2025");
    }

    @Test
    void filtersOnANumericRange() {
        indexCatalogue();
        assertThat(matching(new Range("year", null, new BigDecimal("2022"), new BigDecimal("2025"), null)))
                .containsExactly("de-2023");
        assertThat(matching(new Range("year", new BigDecimal("2021"), null, null, null)))
                .containsExactly("de-2023", "fr-2025");
        assertThat(matching(new Range("year", null, null, null, new BigDecimal("2023"))))
                .containsExactly("de-2023", "en-2021");
        assertThat(matching(new Range("year", null, new BigDecimal("2021"), null, new BigDecimal("2021"))))
                .containsExactly("en-2021");
    }

    @Test
    void filterConditionsMustAllHold() {
        indexCatalogue();
        assertThat(matching(new Equals("public", true), new Range("year", new BigDecimal("2022"), null, null, null)))
                .containsExactly("fr-2025");
        assertThat(matching(new Equals("lang", "en"), new Equals("public", false))).isEmpty();
    }

    @Test
    void filtersApplyBeforeTheNearestNeighboursAreChosen() {
        float[] query = unit(DIMENSION, 1);
        List<IndexWrite> nearButExcluded = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            nearButExcluded.add(replace(TENANT, "near-" + i, 1, Map.of("lang", "en"),
                    blend(query, unit(DIMENSION, 100 + i), 0.1)));
        }
        apply(nearButExcluded);
        apply(List.of(replace(TENANT, "far", 1, Map.of("lang", "de"), orthogonal(query, 2))));

        // post-filtering the 4 * k nearest chunks would find nothing here
        assertThat(ids(index.search(query(query, 1, new Equals("lang", "de"))))).containsExactly("far");
    }

    @Test
    void minScoreDropsWeakMatches() {
        float[] vector = unit(DIMENSION, 1);
        apply(List.of(
                replace(TENANT, "close", 1, Map.of(), vector),
                replace(TENANT, "unrelated", 1, Map.of(), orthogonal(vector, 2))));

        List<DocumentHit> all = index.search(query(vector, 5));
        assertThat(ids(all)).containsExactly("close", "unrelated");
        assertThat(all.get(1).score()).as("cosine 0 scores (1 + 0) / 2").isCloseTo(0.5f, within(1e-4f));

        List<DocumentHit> strong = index.search(new VectorQuery(TENANT, vector, 5, MetadataFilter.NONE, 0.9f));
        assertThat(ids(strong)).containsExactly("close");
    }

    @Test
    void tenantsAreIsolated() {
        float[] vector = unit(DIMENSION, 1);
        apply(List.of(
                replace("acme", "doc-1", 1, Map.of(), vector),
                replace("globex", "doc-1", 1, Map.of(), vector, unit(DIMENSION, 2))));

        assertThat(index.search(new VectorQuery("acme", vector, 5, MetadataFilter.NONE, null)))
                .singleElement().satisfies(hit -> assertThat(hit.passage()).startsWith("doc-1 passage 0"));
        assertThat(index.countChunks("acme")).isEqualTo(1);
        assertThat(index.countChunks("globex")).isEqualTo(2);

        apply(List.of(new Delete("acme", "doc-1", 2)));

        assertThat(index.search(new VectorQuery("acme", vector, 5, MetadataFilter.NONE, null))).isEmpty();
        assertThat(index.search(new VectorQuery("globex", vector, 5, MetadataFilter.NONE, null))).hasSize(1);
        assertThat(index.countDocuments("globex")).isEqualTo(1);
        assertThat(index.version("globex", "doc-1")).hasValue(1);
        assertThat(index.search(new VectorQuery("initech", vector, 5, MetadataFilter.NONE, null))).isEmpty();
    }

    @Test
    void kLimitsTheHitsToOnePerDocumentBestFirst() {
        float[] query = unit(DIMENSION, 1);
        apply(List.of(
                replace(TENANT, "best", 1, Map.of(),
                        blend(query, unit(DIMENSION, 10), 0.3), query, blend(query, unit(DIMENSION, 11), 0.2)),
                replace(TENANT, "second", 1, Map.of(), blend(query, unit(DIMENSION, 12), 0.4)),
                replace(TENANT, "third", 1, Map.of(), blend(query, unit(DIMENSION, 13), 0.8))));

        List<DocumentHit> hits = index.search(query(query, 2));

        assertThat(ids(hits)).containsExactly("best", "second");
        assertThat(hits.getFirst().chunkIndex()).isEqualTo(1);
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }

    @Test
    void aDocumentWithManyCloseChunksDoesNotCrowdOutOthers() {
        float[] query = unit(DIMENSION, 1);
        float[][] crowd = new float[12][];
        for (int i = 0; i < crowd.length; i++) {
            crowd[i] = blend(query, unit(DIMENSION, 100 + i), 0.05);
        }
        apply(List.of(
                replace(TENANT, "crowd", 1, Map.of(), crowd),
                replace(TENANT, "other", 1, Map.of(), blend(query, unit(DIMENSION, 2), 0.6))));

        assertThat(ids(index.search(query(query, 2)))).containsExactly("crowd", "other");
    }

    @Test
    void reopenedIndexStillHoldsEverything() {
        float[] vector = unit(DIMENSION, 1);
        apply(List.of(
                replace(TENANT, "doc-1", 2, Map.of("lang", "en"), vector, unit(DIMENSION, 2)),
                replace(TENANT, "doc-2", 2, Map.of(), unit(DIMENSION, 3))));
        apply(List.of(
                new ChangeMetadata(TENANT, "doc-1", 3, Map.of("lang", "de")),
                new Delete(TENANT, "doc-2", 3)));

        index.close();
        index = openIndex(SPACE);

        assertThat(index.search(query(vector, 5, new Equals("lang", "de")))).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(3));
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
        assertThat(index.countChunks(TENANT)).isEqualTo(2);
        assertThat(index.version(TENANT, "doc-2")).hasValue(3);

        apply(List.of(replace(TENANT, "doc-2", 2, Map.of(), unit(DIMENSION, 3))));
        assertThat(index.countDocuments(TENANT)).as("the tombstone survived the restart").isEqualTo(1);
    }

    @Test
    void aMetadataValueLongerThanAnIndexedTermIsRefusedAndOneAtTheLimitIsIndexed() {
        String longest = "é".repeat(16_383); // 32,766 UTF-8 bytes: Lucene's longest term, OpenSearch's longest keyword
        apply(List.of(replace(TENANT, "doc-1", 1, Map.of("note", longest, "tags", List.of("a")), unit(DIMENSION, 1))));
        assertThat(matching(new Equals("note", longest))).containsExactly("doc-1");

        for (Map<String, Object> metadata : List.<Map<String, Object>>of(Map.of("note", longest + "x"),
                Map.of("tags", List.of("a", longest + "x")))) {
            assertThatThrownBy(() -> apply(List.of(replace(TENANT, "doc-2", 1, metadata, unit(DIMENSION, 2)))))
                    .hasMessageContaining("metadata '" + metadata.keySet().iterator().next() + "' is longer than "
                            + "32766 UTF-8 bytes");
        }
        assertThat(index.version(TENANT, "doc-2")).isEmpty();
    }

    @Test
    void aZeroVectorHasNoCosineSimilarityAndIsRefusedInAQueryAndInAWrite() {
        float[] zero = new float[DIMENSION];
        assertThatThrownBy(() -> index.search(query(zero, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the query has a zero vector");
        assertThatThrownBy(() -> apply(List.of(replace(TENANT, "doc-1", 1, Map.of(), zero))))
                .hasMessageContaining("zero vector");
        assertThat(index.version(TENANT, "doc-1")).isEmpty();
    }

    @Test
    void queryVectorOfAnotherDimensionIsRejected() {
        assertThatThrownBy(() -> index.search(query(unit(DIMENSION + 1, 1), 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension " + (DIMENSION + 1))
                .hasMessageContaining("dimension " + DIMENSION);
    }

    private void apply(List<IndexWrite> writes) {
        index.apply(writes);
        makeSearchable(index);
    }

    /** Three documents of distinct metadata whose ids say what they hold. */
    private void indexCatalogue() {
        apply(List.of(
                replace(TENANT, "en-2021", 1, Map.of("lang", "en", "year", new BigDecimal("2021"),
                        "public", true, "tags", List.of("x", "y")), unit(DIMENSION, 1)),
                replace(TENANT, "de-2023", 1, Map.of("lang", "de", "year", new BigDecimal("2023"),
                        "public", false, "tags", List.of("y", "z")), unit(DIMENSION, 2)),
                replace(TENANT, "fr-2025", 1, Map.of("lang", "fr", "year", new BigDecimal("2025"),
                        "public", true, "tags", List.of()), unit(DIMENSION, 3))));
    }

    /** Ids of every catalogue document the conditions let through, sorted. */
    private List<String> matching(Condition... conditions) {
        List<DocumentHit> hits = index.search(query(unit(DIMENSION, 42), 10, conditions));
        return ids(hits).stream().sorted().toList();
    }

    @Test
    void searchableVersionsIncludeTombstonesAndOnlyTheTenantsDocuments() {
        index.apply(List.of(replace(TENANT, "seen", 3, Map.of(), unit(DIMENSION, 1)),
                replace(TENANT, "gone", 2, Map.of(), unit(DIMENSION, 2)),
                new IndexWrite.Delete(TENANT, "gone", 4)));
        makeSearchable(index);

        assertThat(index.searchableVersions(TENANT, List.of("seen", "gone", "never")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("seen", 3L, "gone", 4L));
        assertThat(index.searchableVersions("globex", List.of("seen"))).isEmpty();
        assertThat(index.searchableVersions(TENANT, List.of())).isEmpty();
    }

    @Test
    void aSearchWithVersionsAnswersBothAsTheSeparateCallsDo() {
        index.apply(List.of(replace(TENANT, "near", 3, Map.of(), unit(DIMENSION, 1)),
                replace(TENANT, "far", 2, Map.of(), unit(DIMENSION, 2)),
                replace(TENANT, "gone", 2, Map.of(), unit(DIMENSION, 1)),
                new IndexWrite.Delete(TENANT, "gone", 5)));
        makeSearchable(index);
        VectorQuery query = new VectorQuery(TENANT, unit(DIMENSION, 1), 2, MetadataFilter.NONE, null);

        VectorIndex.SearchWithVersions both = index.searchWithVersions(query, List.of("near", "gone", "never"));

        assertThat(both.hits()).extracting(DocumentHit::documentId).containsExactly("near", "far");
        assertThat(both.hits()).usingRecursiveFieldByFieldElementComparator().isEqualTo(index.search(query));
        assertThat(both.versions()).containsExactlyInAnyOrderEntriesOf(Map.of("near", 3L, "gone", 5L));
        assertThat(index.searchWithVersions(query, List.of()).versions()).isEmpty();
    }

    @Test
    void clearLeavesAnEmptyIndexThatTakesEveryVersionAgain() {
        index.apply(List.of(replace(TENANT, "doc", 5, Map.of(), unit(DIMENSION, 1)),
                replace("globex", "other", 3, Map.of(), unit(DIMENSION, 2)),
                new IndexWrite.Delete(TENANT, "gone", 7)));
        makeSearchable(index);

        index.clear();
        makeSearchable(index);

        assertThat(index.countDocuments(TENANT)).isZero();
        assertThat(index.countDocuments("globex")).isZero();
        assertThat(index.version(TENANT, "doc")).isEmpty();
        assertThat(index.version(TENANT, "gone")).as("tombstones go too").isEmpty();
        // a replay writes the same versions again, and they are taken
        index.apply(List.of(replace(TENANT, "doc", 5, Map.of(), unit(DIMENSION, 1)),
                replace(TENANT, "gone", 2, Map.of(), unit(DIMENSION, 3))));
        makeSearchable(index);
        assertThat(index.version(TENANT, "doc")).hasValue(5);
        assertThat(index.version(TENANT, "gone")).hasValue(2);
        assertThat(index.search(new VectorQuery(TENANT, unit(DIMENSION, 1), 5, MetadataFilter.NONE, null)))
                .extracting(DocumentHit::documentId).containsExactly("doc", "gone");
    }

    @Test
    void documentVersionsListEveryDocumentOfATenantWithTombstones() {
        index.apply(List.of(replace(TENANT, "a", 3, Map.of(), unit(DIMENSION, 1)),
                replace(TENANT, "b", 2, Map.of(), unit(DIMENSION, 2)),
                new IndexWrite.Delete(TENANT, "b", 4),
                new IndexWrite.ChangeMetadata(TENANT, "never-embedded", 6, Map.of("lang", "en")),
                replace("globex", "a", 9, Map.of(), unit(DIMENSION, 3))));
        makeSearchable(index);

        assertThat(index.documentVersions(TENANT))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 3L, "b", 4L, "never-embedded", 6L));
        assertThat(index.documentVersions("globex")).containsExactlyInAnyOrderEntriesOf(Map.of("a", 9L));
        assertThat(index.documentVersions("initech")).isEmpty();
    }

    @Test
    void contentGivesALiveDocumentsChunksWithTheirVectors() {
        float[] first = unit(DIMENSION, 1);
        float[] second = unit(DIMENSION, 2);
        index.apply(List.of(replace(TENANT, "doc", 2, Map.of("lang", "en"), first, second),
                replace(TENANT, "gone", 1, Map.of(), first),
                new IndexWrite.Delete(TENANT, "gone", 2)));

        ReplaceChunks content = index.content(TENANT, "doc").orElseThrow();
        assertThat(content.title()).isEqualTo("Title of doc");
        assertThat(content.metadata()).containsEntry("lang", "en");
        assertThat(content.chunks()).hasSize(2);
        assertThat(content.chunks().get(0).vector()).containsExactly(first);
        assertThat(content.chunks().get(1).vector()).containsExactly(second);
        assertThat(index.content(TENANT, "gone")).isEmpty();
        assertThat(index.content(TENANT, "never")).isEmpty();
        assertThat(index.content("globex", "doc")).isEmpty();
    }

    @Test
    void concurrentBatchesAndSearchesAllLand() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int thread = 0; thread < 3; thread++) {
                int offset = thread * 100;
                work.add(threads.submit(() -> {
                    for (int batch = 0; batch < 4; batch++) {
                        List<IndexWrite> writes = new ArrayList<>();
                        for (int doc = 0; doc < 5; doc++) {
                            int id = offset + batch * 5 + doc;
                            writes.add(replace(TENANT, "doc-" + id, 1, Map.of(), unit(DIMENSION, id)));
                        }
                        index.apply(writes);
                    }
                }));
            }
            work.add(threads.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    index.search(query(unit(DIMENSION, i), 3));
                }
            }));
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
        makeSearchable(index);
        assertThat(index.countDocuments(TENANT)).isEqualTo(60);
        assertThat(index.search(query(unit(DIMENSION, 7), 60))).hasSize(60);
    }

    /**
     * A stored document's own vector finds that document first at k = 1, 5 and 10, also while other documents are
     * being indexed (new segments, merges, refreshes): 384-dimensional embedding-like vectors, 1,500 stored first,
     * 2,500 more applied in small batches by another thread during the searches.
     */
    @Test
    void aDocumentsOwnVectorFindsItFirstWhileOthersAreIndexed() throws Exception {
        SpaceSpec space = new SpaceSpec("own-vector", 384, SpaceSpec.Metric.COSINE);
        float[][] vectors = TestVectors.clustered(new java.util.Random(31), 4_000, 384);
        VectorIndex own = openIndex(space);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            indexInApplies(own, java.util.Arrays.copyOf(vectors, 1_500), 250);
            Future<?> more = writer.submit(() -> {
                for (int from = 1_500; from < vectors.length; from += 100) {
                    List<IndexWrite> writes = new ArrayList<>();
                    for (int i = from; i < from + 100; i++) {
                        writes.add(replace(TENANT, "d" + i, 1, Map.of(), vectors[i]));
                    }
                    own.apply(writes);
                    own.makeSearchable();
                }
            });
            int searched = 0;
            for (int round = 0; round < 3 && (round == 0 || !more.isDone()); round++) {
                for (int i = round; i < 1_500; i += 29) {
                    for (int k : new int[] {1, 5, 10}) {
                        assertThat(ids(own.search(query(vectors[i], k)))).as("d" + i + "'s own vector at k = " + k)
                                .startsWith("d" + i);
                        searched++;
                    }
                }
            }
            more.get(2, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(searched).isGreaterThanOrEqualTo(3 * 52);
        } finally {
            writer.shutdownNow();
            own.close();
        }
    }

    // Hybrid search: both adapters rank the passages by words (BM25) and fuse that ranking with k-NN by RankFusion.

    @Test
    void hybridSearchRanksAnExactKeywordMatchFirst() {
        float[] query = unit(DIMENSION, 1);
        List<IndexWrite> writes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            writes.add(textDocument(TENANT, "near-" + i, "general advice about accounts and settings number " + i,
                    blend(query, unit(DIMENSION, 10 + i), 0.1 + i * 0.05), Map.of()));
        }
        writes.add(textDocument(TENANT, "error-code", "the installer stops with error XR-7731 on old disks",
                orthogonal(query, 2), Map.of()));
        apply(writes);

        List<DocumentHit> knn = index.search(query(query, 3));
        List<DocumentHit> hybrid = hybrid().hybridSearch(
                new HybridQuery(TENANT, "XR-7731", query, 3, MetadataFilter.NONE));

        assertThat(ids(knn)).doesNotContain("error-code");
        assertThat(hybrid.getFirst().documentId()).isEqualTo("error-code");
        assertThat(hybrid.getFirst().passage()).contains("XR-7731");
        assertThat(hybrid).hasSize(3);
        assertThat(hybrid().ranksByWords()).isTrue();
    }

    @Test
    void hybridSearchKeepsTheFilter() {
        float[] query = unit(DIMENSION, 1);
        apply(List.of(
                textDocument(TENANT, "keyword-en", "error XR-7731 explained", orthogonal(query, 2), Map.of("lang", "en")),
                textDocument(TENANT, "near-de", "allgemeine Hinweise", query, Map.of("lang", "de"))));

        List<DocumentHit> german = hybrid().hybridSearch(new HybridQuery(TENANT, "XR-7731", query, 5,
                new MetadataFilter(List.of(new Equals("lang", "de")))));

        assertThat(ids(german)).containsExactly("near-de");
    }

    @Test
    void hybridSearchNeverFindsAnotherTenantsWords() {
        float[] query = unit(DIMENSION, 1);
        apply(List.of(
                textDocument("globex", "theirs", "error XR-7731 explained", query, Map.of()),
                textDocument(TENANT, "ours", "nothing in common", orthogonal(query, 3), Map.of())));

        HybridRankings rankings = hybrid().hybridRankings(new HybridQuery(TENANT, "XR-7731", query, 5, MetadataFilter.NONE));

        assertThat(ids(rankings.byWords())).isEmpty();
        assertThat(ids(rankings.byMeaning())).containsExactly("ours");
        assertThat(ids(hybrid().hybridSearch(new HybridQuery(TENANT, "XR-7731", query, 5, MetadataFilter.NONE))))
                .containsExactly("ours");
    }

    @Test
    void hybridSearchIsTheRankFusionOfItsRankingsWithEachDocumentsBestPassageByWords() {
        float[] query = unit(DIMENSION, 1);
        apply(List.of(
                new ReplaceChunks(TENANT, "manual", 1, 1, "Manual", Map.of(), PROVENANCE, List.of(
                        new IndexChunk(0, "an introduction to the tool", 0, 27, orthogonal(query, 4)),
                        new IndexChunk(1, "run vsync-admin rebuild to rebuild an index", 28, 71, orthogonal(query, 5)))),
                textDocument(TENANT, "mention", "rebuild", blend(query, unit(DIMENSION, 7), 0.3), Map.of()),
                textDocument(TENANT, "unrelated", "the weather today", query, Map.of())));
        HybridQuery hybridQuery = new HybridQuery(TENANT, "vsync-admin rebuild", query, 2, MetadataFilter.NONE);

        HybridRankings rankings = hybrid().hybridRankings(hybridQuery);

        assertThat(ids(rankings.byWords())).containsExactly("manual", "mention");
        assertThat(rankings.byWords().getFirst().chunkIndex()).isEqualTo(1);
        assertThat(rankings.byWords().getFirst().passage()).contains("vsync-admin");
        assertThat(ids(rankings.byMeaning())).startsWith("unrelated", "mention").hasSize(3);
        assertThat(hybrid().hybridSearch(hybridQuery)).isEqualTo(RankFusion.fuse(rankings, 2));
        assertThat(ids(hybrid().hybridSearch(hybridQuery))).as("1/61 + 1/63 ahead of 1/62 + 1/62")
                .containsExactly("manual", "mention");
    }

    @Test
    void hybridSearchFindsTheWordsOfTheLatestRevisionOnly() {
        float[] query = unit(DIMENSION, 1);
        apply(List.of(
                textDocument(TENANT, "revised", "part XK-4471 gasket", query, Map.of()),
                textDocument(TENANT, "deleted", "part XK-4471 seal", query, Map.of())));
        apply(List.of(
                new ReplaceChunks(TENANT, "revised", 3, 2, "Title", Map.of(), PROVENANCE,
                        List.of(new IndexChunk(0, "part ZZ-1 gasket", 0, 16, query))),
                new Delete(TENANT, "deleted", 3)));

        HybridRankings rankings = hybrid().hybridRankings(new HybridQuery(TENANT, "XK-4471", query, 5, MetadataFilter.NONE));

        assertThat(rankings.byWords()).isEmpty();
        assertThat(ids(hybrid().hybridRankings(new HybridQuery(TENANT, "ZZ-1", query, 5, MetadataFilter.NONE))
                .byWords())).containsExactly("revised");
    }

    @Test
    void theHotCacheMergesIntoBothRankingsOfAHybridSearch() {
        float[] query = unit(DIMENSION, 1);
        apply(List.of(
                textDocument(TENANT, "indexed", "part XK-4471 gasket", orthogonal(query, 2), Map.of()),
                textDocument(TENANT, "stale", "part XK-4471 seal", orthogonal(query, 3), Map.of())));
        // the cache holds a newer "stale" without the part number, and a document the index has not seen yet
        HotDocument newer = new HotDocument(TENANT, "stale", 5, false, 4, "Stale", Map.of(),
                List.of(new IndexChunk(0, "a seal", 0, 6, orthogonal(query, 3))), 0);
        HotDocument fresh = new HotDocument(TENANT, "fresh", 1, false, 0, "Fresh", Map.of(),
                List.of(new IndexChunk(0, "XK-4471 in stock", 0, 16, query)), 0);
        HybridQuery hybridQuery = new HybridQuery(TENANT, "XK-4471", query, 5, MetadataFilter.NONE);

        List<DocumentHit> merged = HotMerge.mergeHybrid(SPACE, hybridQuery, hybrid().hybridRankings(hybridQuery),
                List.of(newer, fresh), index::searchableVersions);

        assertThat(ids(merged)).containsExactly("fresh", "indexed", "stale");
        assertThat(merged.get(2).version()).isEqualTo(5);
        assertThat(merged.get(2).passage()).isEqualTo("a seal");
    }

    @Test
    void hybridSearchNeedsTextAndAValidVector() {
        float[] query = unit(DIMENSION, 1);
        assertThatThrownBy(() -> hybrid().hybridSearch(new HybridQuery(TENANT, " ", query, 5, MetadataFilter.NONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
        assertThatThrownBy(() -> hybrid().hybridSearch(new HybridQuery(TENANT, "x", new float[DIMENSION + 1], 5,
                MetadataFilter.NONE))).isInstanceOf(IllegalArgumentException.class);
        apply(List.of(textDocument(TENANT, "doc", "some words", query, Map.of())));
        assertThat(hybrid().hybridRankings(new HybridQuery(TENANT, "?!", query, 5, MetadataFilter.NONE)).byWords())
                .as("a text without words ranks nothing by words").isEmpty();
    }

    protected HybridSearch hybrid() {
        assertThat(index).isInstanceOf(HybridSearch.class);
        return (HybridSearch) index;
    }

    /** A document of one chunk holding {@code text}, at version 1. */
    protected static ReplaceChunks textDocument(String tenant, String documentId, String text, float[] vector,
                                                Map<String, Object> metadata) {
        return new ReplaceChunks(tenant, documentId, 1, 1, "Title of " + documentId, metadata, PROVENANCE,
                List.of(new IndexChunk(0, text, 0, text.length(), vector)));
    }

    /** Documents d0, d1, … with the vectors, {@code perApply} to an apply, as ingest writes them. */
    protected static void indexInApplies(VectorIndex index, float[][] vectors, int perApply) {
        for (int from = 0; from < vectors.length; from += perApply) {
            List<IndexWrite> writes = new ArrayList<>();
            for (int i = from; i < Math.min(vectors.length, from + perApply); i++) {
                writes.add(replace(TENANT, "d" + i, 1, Map.of(), vectors[i]));
            }
            index.apply(writes);
        }
        index.makeSearchable();
    }

    /**
     * Recall@10 of {@code index} (holding {@code stored} as d0, d1, …) for the held-out {@code queries}, against the
     * exact top 10; also checks that each query's best hit has its full-precision score (the index's scores are
     * exact cosines mapped to [0, 1], also when its graph holds quantized vectors), within {@code scoreTolerance}.
     */
    protected static double recallAt10(VectorIndex index, float[][] stored, float[][] queries, double scoreTolerance) {
        double found = 0;
        for (float[] q : queries) {
            List<String> exact = TestVectors.exactTop(stored, q, 10);
            List<DocumentHit> hits = index.search(query(q, 10));
            found += ids(hits).stream().filter(exact::contains).count() / 10.0;
            DocumentHit best = hits.getFirst();
            float[] vector = stored[Integer.parseInt(best.documentId().substring(1))];
            assertThat((double) best.score()).as("score of " + best.documentId())
                    .isCloseTo((1 + TestVectors.dot(vector, q)) / 2, org.assertj.core.data.Offset.offset(scoreTolerance));
        }
        return found / queries.length;
    }

    protected static ReplaceChunks replace(String tenant, String documentId, long version,
                                           Map<String, Object> metadata, float[]... vectors) {
        List<IndexChunk> chunks = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            chunks.add(new IndexChunk(i, documentId + " passage " + i + " at version " + version,
                    i * 100, i * 100 + 99, vectors[i]));
        }
        return new ReplaceChunks(tenant, documentId, version, version - 1, "Title of " + documentId,
                metadata, PROVENANCE, chunks);
    }

    protected static VectorQuery query(float[] vector, int k, Condition... conditions) {
        return new VectorQuery(TENANT, vector, k, new MetadataFilter(List.of(conditions)), null);
    }

    protected static List<String> ids(List<DocumentHit> hits) {
        return hits.stream().map(DocumentHit::documentId).toList();
    }
}
