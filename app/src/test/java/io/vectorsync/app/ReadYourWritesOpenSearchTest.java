package io.vectorsync.app;

import io.vectorsync.projections.hotcache.HotDocument;
import io.vectorsync.projections.hotcache.HotVectorCache;
import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-your-writes against OpenSearch whose indexes refresh once an hour: whatever a search finds of a
 * write right after its acknowledgement, only the hot-vector cache (or, without it, the refresh that a
 * consistent read asks for) can explain.
 */
class ReadYourWritesOpenSearchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String NEAR_X = "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"k\": 10}";

    @TempDir
    Path dataDir;
    private TestApp app;
    private String prefix;

    @AfterEach
    void stopAndDropIndexes() throws Exception {
        if (app != null) {
            app.close();
        }
        String url = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/" + prefix + "-*")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void searchesRightAfterTheAckSeeCreatesDeletesAndRevisionsTheIndexDoesNotShowYet() throws Exception {
        app = TestApp.start(hourlyRefresh().cache(true).settings());
        HotVectorCache cache = app.app().cache().orElseThrow();
        OpenSearchVectorIndex index = tinyIndex();

        put("to-delete", "Old notice", "The office closes early on Fridays.", "[0.9, 0.1, 0, 0]");
        put("to-revise", "Opening hours", "We open at eight.", "[0.8, 0.2, 0, 0]");
        awaitIndexApplied();
        index.refresh(); // the hourly refresh, now: the index shows both, so the cache lets them go
        TestApp.await("the cache let the indexed documents go", PATIENCE, () -> cache.stats("tiny").entries() == 0);
        assertThat(ids(search(NEAR_X))).containsExactly("to-delete", "to-revise");

        // each search below is asked once, right after the write's acknowledgement
        put("fresh", "New notice", "Parking is free this week.", "[1, 0, 0, 0]");
        assertThat(ids(search(NEAR_X))).containsExactly("fresh", "to-delete", "to-revise");

        assertThat(app.delete("/v1/tenants/acme/documents/to-delete").status()).isBetween(200, 204);
        assertThat(ids(search(NEAR_X))).containsExactly("fresh", "to-revise");

        put("to-revise", "Opening hours", "We now open at seven.", "[0.8, 0.2, 0, 0]");
        JsonObject revised = hit(search(NEAR_X), "to-revise");
        assertThat(revised.getJsonObject("passage").getString("text")).isEqualTo("We now open at seven.");

        // the index has applied every write but, until its next refresh, its searches show none of them
        awaitIndexApplied();
        List<DocumentHit> indexOnly = index.search(new VectorQuery("acme", new float[]{1, 0, 0, 0}, 10, MetadataFilter.NONE, null));
        assertThat(indexOnly).extracting(DocumentHit::documentId).containsExactly("to-delete", "to-revise");
        assertThat(indexOnly.get(1).passage()).isEqualTo("We open at eight.");
        assertThat(cache.stats("tiny").entries()).as("the cache holds what the index does not show").isEqualTo(3);

        index.refresh();
        TestApp.await("the cache let the refreshed documents go", PATIENCE, () -> cache.stats("tiny").entries() == 0);
        assertThat(ids(search(NEAR_X))).containsExactly("fresh", "to-revise");
    }

    @Test
    void hybridSearchesRightAfterTheAckFindTheWordsOfAFreshDocumentAndNotADeletedOne() throws Exception {
        app = TestApp.start(hourlyRefresh().cache(true).settings());
        HotVectorCache cache = app.app().cache().orElseThrow();
        OpenSearchVectorIndex index = tinyIndex();
        put("gasket", "Gaskets", "Replacement gaskets for every pump model.", "[0, 1, 0, 0]");
        put("retired", "Old part", "Part XK-4471 was retired last year.", "[0, 0, 1, 0]");
        awaitIndexApplied();
        index.refresh();
        TestApp.await("the cache let the indexed documents go", PATIENCE, () -> cache.stats("tiny").entries() == 0);
        String hybrid = "{\"space\": \"tiny\", \"mode\": \"hybrid\", \"text\": \"XK-4471\", \"vector\": [0, 1, 0, 0], \"k\": 3}";
        // fused: retired is second by meaning and first by words, gasket first by meaning only
        assertThat(ids(search(hybrid))).containsExactly("retired", "gasket");

        put("stock", "Stock note", "Item XK-4471 ships from Leipzig.", "[0, 0, 0, 1]");
        assertThat(app.delete("/v1/tenants/acme/documents/retired").status()).isBetween(200, 204);

        // only the cache knows: stock has the words and is second by meaning; retired is gone
        assertThat(ids(search(hybrid))).containsExactly("stock", "gasket");
    }

    @Test
    void theCacheNeverServesAnEntryOlderThanTheIndexs() throws Exception {
        app = TestApp.start(hourlyRefresh().cache(true).settings());
        HotVectorCache cache = app.app().cache().orElseThrow();
        OpenSearchVectorIndex index = tinyIndex();
        for (int i = 1; i <= 3; i++) { // closer to the first place than the second is, so they fill the index's answer
            put("other-" + i, "Other", "Something else.", "[0, 0, 0." + i + ", 1]");
        }
        put("moving", "Moving", "First place.", "[0, 0, 0, 1]");
        put("moving", "Moving", "Second place.", "[1, 0, 0, 0]");
        awaitIndexApplied();
        index.refresh();
        TestApp.await("the cache let the indexed documents go", PATIENCE, () -> cache.stats("tiny").entries() == 0);
        long indexed = index.version("acme", "moving").orElseThrow();

        // as if the cache had missed the move: it holds the first version, the index shows the second,
        // which is far from the query, so no index hit of "moving" tells the merge about the newer version
        HotDocument stale = new HotDocument("acme", "moving", indexed - 2, false, 1, "Moving", Map.of(),
                List.of(new IndexChunk(0, "First place.", 0, 12, new float[]{0, 0, 0, 1})), System.currentTimeMillis());
        String nearFirstPlace = "{\"space\": \"tiny\", \"vector\": [0, 0, 0, 1], \"k\": 1}";
        boolean servedWhileCached = false;
        for (int attempt = 0; attempt < 20 && !servedWhileCached; attempt++) {
            if (cache.get("tiny", "acme", "moving").isEmpty()) {
                assertThat(cache.offer("tiny", stale)).isTrue();
            }
            assertThat(ids(search(nearFirstPlace))).containsExactly("other-1");
            // the sweeper also drops such an entry within half a second; this search ran while it was there
            servedWhileCached = cache.get("tiny", "acme", "moving").isPresent();
        }
        assertThat(servedWhileCached).as("a search ran while the stale entry was cached").isTrue();
        assertThat(hit(search(NEAR_X), "moving").getJsonObject("passage").getString("text")).isEqualTo("Second place.");
    }

    @Test
    void withoutTheCacheAConsistentSearchRefreshesTheIndexAndAPlainOneWaitsForTheRefresh() {
        app = TestApp.start(hourlyRefresh().settings());
        long position = put("fresh", "New notice", "Parking is free this week.", "[1, 0, 0, 0]");

        assertThat(ids(search(NEAR_X))).as("not searchable before a refresh").isEmpty();
        assertThat(ids(search("{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"consistentWith\": " + position + "}")))
                .containsExactly("fresh");
        assertThat(ids(search(NEAR_X))).containsExactly("fresh");
    }

    /** OpenSearch under a prefix of this test's own, refreshed hourly: a write is searchable once refreshed. */
    private SettingsKeys hourlyRefresh() {
        String url = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(url)
                .as("VECTORSYNC_TEST_OPENSEARCH_URL must be the URL of an OpenSearch node with the k-NN plugin; "
                        + "run the tests with bin/test, or export VECTORSYNC_TEST_OPENSEARCH_URL=$(bin/opensearch start)")
                .isNotBlank();
        prefix = "ryw-" + UUID.randomUUID().toString().substring(0, 8);
        return TestApp.keys(dataDir).opensearch(url, prefix, 1, 0)
                .put("vectorsync.index.opensearch.refresh-interval-ms", Duration.ofHours(1).toMillis());
    }

    /** Until the vector-index processor has passed every event stored so far (applied, not refreshed). */
    private void awaitIndexApplied() {
        long head = app.app().database().headPosition();
        TestApp.await("the index applied every write", PATIENCE,
                () -> app.app().position(Vectorsync.VECTOR_INDEX_GROUP) >= head);
    }

    private OpenSearchVectorIndex tinyIndex() {
        return (OpenSearchVectorIndex) app.app().indexes().forSpace("tiny");
    }

    /** Upserts with a client vector; returns the write's position. */
    private long put(String documentId, String title, String body, String vector) {
        TestApp.Response answer = app.put("/v1/tenants/acme/documents/" + documentId, "{\"title\": \"" + title
                + "\", \"body\": \"" + body + "\", \"vectors\": {\"space\": \"tiny\", \"vector\": " + vector + "}}");
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
        return answer.json().getJsonNumber("position").longValue();
    }

    private JsonObject search(String body) {
        TestApp.Response answer = app.post("/v1/tenants/acme/search", "application/json", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> ids(JsonObject answer) {
        return answer.getJsonArray("hits").getValuesAs(JsonObject.class).stream().map(hit -> hit.getString("documentId")).toList();
    }

    private static JsonObject hit(JsonObject answer, String documentId) {
        return answer.getJsonArray("hits").getValuesAs(JsonObject.class).stream()
                .filter(hit -> hit.getString("documentId").equals(documentId)).findFirst()
                .orElseThrow(() -> new AssertionError(documentId + " not in " + answer));
    }
}
