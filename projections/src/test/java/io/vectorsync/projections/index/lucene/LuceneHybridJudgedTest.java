package io.vectorsync.projections.index.lucene;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.Provenance;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorQuery;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hybrid against k-NN on the embedded index, on a judged keyword-heavy set ({@code keyword-judged.json}: part numbers,
 * error codes and command names among passages that differ in little else). The vectors come from a deterministic
 * stand-in embedder ({@link #embed}: character trigrams hashed into 64 dimensions), since this module has no model;
 * like a real dense model it blurs identifiers that share most of their characters (XK-4471 and XK-4417), which is
 * what BM25's exact terms correct. Prints the figures of {@code docs/benchmarks.md} (rerun this test to measure again):
 * MRR@10, recall@1 and recall@5, and the mean latency of each mode over the set.
 */
class LuceneHybridJudgedTest {

    private static final int DIMENSION = 64;
    private static final int K = 10;
    private static final String TENANT = "judged";
    private static final Provenance PROVENANCE = new Provenance("trigram-hash-64", "whole", 256, 0);

    @TempDir
    Path directory;

    @Test
    void hybridRanksKeywordHeavyQueriesAtLeastAsWellAsKnn() {
        JsonObject set = load();
        SpaceSpec space = new SpaceSpec("judged", DIMENSION, SpaceSpec.Metric.COSINE);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(space, directory.resolve("judged"), HnswSettings.DEFAULT)) {
            List<IndexWrite> writes = new ArrayList<>();
            for (JsonObject document : set.getJsonArray("documents").getValuesAs(JsonObject.class)) {
                String text = document.getString("text");
                writes.add(new ReplaceChunks(TENANT, document.getString("id"), 1, 1, document.getString("id"), Map.of(),
                        PROVENANCE, List.of(new IndexChunk(0, text, 0, text.length(), embed(text)))));
            }
            index.apply(writes);
            List<JsonObject> queries = set.getJsonArray("queries").getValuesAs(JsonObject.class);

            Figures knn = measure(queries, text -> index.search(
                    new VectorQuery(TENANT, embed(text), K, MetadataFilter.NONE, null)));
            Figures hybrid = measure(queries, text -> index.hybridSearch(
                    new HybridQuery(TENANT, text, embed(text), K, MetadataFilter.NONE)));

            System.out.printf(Locale.ROOT, "judged keyword-heavy set: %d queries over %d documents%n", queries.size(),
                    writes.size());
            System.out.println("knn:    " + knn);
            System.out.println("hybrid: " + hybrid);
            assertThat(hybrid.mrr()).as("MRR@10").isGreaterThanOrEqualTo(knn.mrr());
            assertThat(hybrid.recallAt1()).as("recall@1").isGreaterThanOrEqualTo(knn.recallAt1());
            assertThat(hybrid.recallAt5()).as("recall@5").isGreaterThanOrEqualTo(knn.recallAt5());
        }
    }

    private static Figures measure(List<JsonObject> queries, Function<String, List<DocumentHit>> search) {
        double reciprocalRanks = 0;
        int atOne = 0;
        int atFive = 0;
        List<String> notFirst = new ArrayList<>();
        for (JsonObject query : queries) {
            List<String> relevant = query.getJsonArray("relevant").getValuesAs(JsonString::getString);
            List<DocumentHit> hits = search.apply(query.getString("text"));
            if (hits.isEmpty() || !relevant.contains(hits.getFirst().documentId())) {
                notFirst.add("'" + query.getString("text") + "' -> " + hits.stream().limit(3)
                        .map(DocumentHit::documentId).toList());
            }
            for (int rank = 1; rank <= hits.size(); rank++) {
                if (relevant.contains(hits.get(rank - 1).documentId())) {
                    reciprocalRanks += 1.0 / rank;
                    atOne += rank == 1 ? 1 : 0;
                    atFive += rank <= 5 ? 1 : 0;
                    break;
                }
            }
        }
        int rounds = 200; // after the pass above warmed up
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (JsonObject query : queries) {
                search.apply(query.getString("text"));
            }
        }
        double meanMicros = (System.nanoTime() - started) / 1e3 / rounds / queries.size();
        int n = queries.size();
        return new Figures(reciprocalRanks / n, (double) atOne / n, (double) atFive / n, meanMicros, notFirst);
    }

    record Figures(double mrr, double recallAt1, double recallAt5, double meanMicros, List<String> notFirst) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "MRR@10 %.3f, recall@1 %.3f, recall@5 %.3f, mean %.0f us per query "
                    + "(embedding included); relevant not first: %s", mrr, recallAt1, recallAt5, meanMicros, notFirst);
        }
    }

    /** Character trigrams of the lower-cased text, each hashed to a dimension and a sign; normalised. */
    static float[] embed(String text) {
        String padded = " " + text.toLowerCase(Locale.ROOT) + " ";
        float[] vector = new float[DIMENSION];
        for (int i = 0; i + 3 <= padded.length(); i++) {
            int hash = padded.substring(i, i + 3).hashCode() * 0x9E3779B1;
            vector[Math.floorMod(hash, DIMENSION)] += (hash >>> 31) == 0 ? 1 : -1;
        }
        double length = 0;
        for (float value : vector) {
            length += value * value;
        }
        if (length == 0) {
            vector[0] = 1;
            return vector;
        }
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = (float) (vector[i] / Math.sqrt(length));
        }
        return vector;
    }

    private static JsonObject load() {
        try (InputStream in = LuceneHybridJudgedTest.class.getResourceAsStream("keyword-judged.json");
             JsonReader reader = Json.createReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.readObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
