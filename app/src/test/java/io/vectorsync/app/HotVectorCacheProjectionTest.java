package io.vectorsync.app;

import io.vectorsync.projections.hotcache.HotDocument;
import io.vectorsync.projections.hotcache.HotVectorCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vectorsync.json.Json;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The hot-vector cache projection in the running app, on an embedded Hazelcast member. */
class HotVectorCacheProjectionTest {

    @TempDir
    Path dataDir;

    @Test
    void everyChangeOfADocumentReachesTheCache() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            HotVectorCache cache = app.app().cache().orElseThrow();
            pauseIndexing(app); // so no entry leaves because the index has it

            assertThat(app.put("/v1/tenants/acme/documents/doc-1", body("en", "[1, 0, 0, 0]")).status()).isBetween(200, 201);
            HotDocument first = await(cache, "doc-1", document -> !document.deleted());
            assertThat(first.title()).isEqualTo("Guide");
            assertThat(first.metadata()).containsEntry("lang", "en");
            assertThat(first.chunks()).hasSize(1);
            assertThat(first.chunks().getFirst().vector()).containsExactly(1, 0, 0, 0);

            assertThat(app.put("/v1/tenants/acme/documents/doc-1", body("de", "[1, 0, 0, 0]")).status()).isEqualTo(200);
            HotDocument changed = await(cache, "doc-1", document -> "de".equals(document.metadata().get("lang")));
            assertThat(changed.version()).isGreaterThan(first.version());
            assertThat(changed.chunks().getFirst().vector()).containsExactly(1, 0, 0, 0);

            assertThat(app.delete("/v1/tenants/acme/documents/doc-1").status()).isBetween(200, 204);
            HotDocument deleted = await(cache, "doc-1", HotDocument::deleted);
            assertThat(deleted.chunks()).isEmpty();
        }
    }

    @Test
    void aMetadataChangeOfADocumentNoLongerCachedTakesItsVectorsFromTheEventStore() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            HotVectorCache cache = app.app().cache().orElseThrow();
            pauseIndexing(app);
            app.put("/v1/tenants/acme/documents/doc-2", body("en", "[0, 1, 0, 0]"));
            HotDocument hot = await(cache, "doc-2", document -> !document.deleted());
            assertThat(cache.removeIfUnchanged("tiny", hot)).isTrue(); // as once the index has it

            app.put("/v1/tenants/acme/documents/doc-2", body("fr", "[0, 1, 0, 0]"));

            HotDocument again = await(cache, "doc-2", document -> "fr".equals(document.metadata().get("lang")));
            assertThat(again.chunks().getFirst().vector()).containsExactly(0, 1, 0, 0);
            assertThat(again.title()).isEqualTo("Guide");
        }
    }

    @Test
    void searchesSeeWritesTheIndexHasNotTakenYet() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            app.put("/v1/tenants/acme/documents/indexed", body("en", "[1, 0.2, 0, 0]"));
            awaitSearch(app, "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"k\": 5}", "indexed");
            // from now on only the cache can explain what searches find; it has each write before its
            // acknowledgement, so every search below is asked once, right after the write
            pauseIndexing(app);

            app.put("/v1/tenants/acme/documents/fresh", body("de", "[1, 0, 0, 0]"));
            String near = "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"k\": 5}";
            assertThat(search(app, "acme", near)).containsExactly("fresh", "indexed");
            String english = "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"k\": 5, \"filter\": {\"lang\": \"en\"}}";
            assertThat(search(app, "acme", english)).containsExactly("indexed");

            app.put("/v1/tenants/acme/documents/indexed", body("en", "[0, 0, 1, 0]")); // moved away
            String moved = app.post("/v1/tenants/acme/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": [0, 0, 1, 0], \"k\": 1}").body();
            assertThat(moved).contains("\"documentId\":\"indexed\"").contains("\"score\":1.0");

            app.delete("/v1/tenants/acme/documents/fresh");
            assertThat(search(app, "acme", near)).containsExactly("indexed");
            assertThat(search(app, "globex", near)).isEmpty();
        }
    }

    @Test
    void anEntryLeavesOnceTheIndexShowsItsVersion() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            HotVectorCache cache = app.app().cache().orElseThrow();
            app.put("/v1/tenants/acme/documents/doc-3", body("en", "[0, 0, 0, 1]"));
            app.delete("/v1/tenants/acme/documents/doc-4"); // never existed: nothing to cache

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (cache.stats("tiny").entries() > 0) {
                assertThat(System.nanoTime()).as("entries left: %s", cache.stats("tiny")).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(cache.stats("tiny").madeSearchable()).isEqualTo(1);
            assertThat(app.app().indexes().forSpace("tiny").version("acme", "doc-3")).isPresent();
            // and the search, now from the index alone, still finds it
            assertThat(search(app, "acme", "{\"space\": \"tiny\", \"vector\": [0, 0, 0, 1], \"k\": 1}"))
                    .containsExactly("doc-3");
        }
    }

    @Test
    void aSearchConsistentWithAWritesPositionFindsItsTextOnTheFirstAsk() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            pauseIndexing(app); // only the encoder and the cache stand between the write and the search
            TestApp.Response written = app.put("/v1/tenants/acme/documents/refunds", """
                    {"title": "Refund policy", "body": "Customers can return items within 30 days for a full refund."}""");
            long position = Json.createReader(new StringReader(written.body())).readObject().getJsonNumber("position").longValue();

            String search = "{\"text\": \"how do I get my money back\", \"k\": 3, \"consistentWith\": " + position + "}";
            assertThat(search(app, "acme", search)).containsExactly("refunds");

            long started = System.nanoTime();
            TestApp.Response lagging = app.post("/v1/tenants/acme/search", "application/json",
                    "{\"text\": \"refund\", \"consistentWith\": " + (position + 1_000) + "}");
            assertThat(lagging.status()).isEqualTo(503);
            assertThat(lagging.contentType()).startsWith("application/problem+json");
            assertThat(lagging.body()).contains("projection-lagging").contains("'encoder'");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

            TestApp.Response negative = app.post("/v1/tenants/acme/search", "application/json",
                    "{\"text\": \"refund\", \"consistentWith\": -1}");
            assertThat(negative.status()).isEqualTo(400);
            assertThat(negative.body()).contains("consistentWith");
        }
    }

    @Test
    void aDocumentReadConsistentWithAWriteShowsItsEmbeddingsOrAnswers503() throws Exception {
        Settings settings = TestApp.keys(dataDir).cache(true).put("vectorsync.consistency-wait-ms", 1200).settings();
        try (TestApp app = TestApp.start(settings)) {
            app.put("/v1/tenants/acme/documents/warm-up", "{\"title\": \"Warm-up\", \"body\": \"The model's first run is slow.\"}");
            TestApp.await("the model warmed up", Duration.ofSeconds(60), () -> "embedded".equals(
                    app.get("/v1/tenants/acme/documents/warm-up").json().getString("embeddingStatus")));
            TestApp.Response written = app.put("/v1/tenants/acme/documents/refunds", """
                    {"title": "Refund policy", "body": "Customers can return items within 30 days for a full refund."}""");
            long position = written.json().getJsonNumber("position").longValue();

            TestApp.Response read = app.get("/v1/tenants/acme/documents/refunds?consistentWith=" + position);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().getString("embeddingStatus")).as("the encoder's embedding is in").isEqualTo("embedded");

            long started = System.nanoTime();
            TestApp.Response lagging = app.get("/v1/tenants/acme/documents/refunds?consistentWith=" + (position + 1_000));
            assertThat(lagging.status()).isEqualTo(503);
            assertThat(lagging.contentType()).startsWith("application/problem+json");
            assertThat(lagging.body()).contains("projection-lagging").contains("'encoder'");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the configured wait, not the default 2 s")
                    .isBetween(Duration.ofMillis(1200), Duration.ofMillis(1900));

            for (String bad : List.of("-1", "soon", "")) {
                TestApp.Response refused = app.get("/v1/tenants/acme/documents/refunds?consistentWith=" + bad);
                assertThat(refused.status()).as(bad).isEqualTo(400);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.body()).contains("consistentWith");
            }
        }
    }

    @Test
    void theCacheReportsItsSizeHitsAndMembersOverHttp() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            pauseIndexing(app);
            app.put("/v1/tenants/acme/documents/a", body("en", "[1, 0, 0, 0]"));
            app.put("/v1/tenants/acme/documents/b", body("en", "[0, 1, 0, 0]"));
            app.post("/v1/tenants/acme/documents/a/similar", "application/json", "{\"space\": \"tiny\"}"); // a hit

            TestApp.Response answer = app.get("/v1/admin/cache");
            assertThat(answer.status()).isEqualTo(200);
            var body = answer.json();
            assertThat(body.getBoolean("enabled")).isTrue();
            assertThat(body.getString("mode")).isEqualTo("embedded");
            assertThat(body.getJsonArray("members")).hasSize(1);
            var tiny = body.getJsonObject("spaces").getJsonObject("tiny");
            assertThat(tiny.getInt("entries")).isEqualTo(2);
            assertThat(tiny.getInt("written")).isEqualTo(2);
            assertThat(tiny.getInt("hits")).isEqualTo(1);
            assertThat(tiny.getJsonNumber("memoryBytes").longValue()).isPositive();
            assertThat(tiny.getInt("maxEntries")).isEqualTo(10_000);
        }
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            assertThat(app.get("/v1/admin/cache").json().getBoolean("enabled")).isFalse();
        }
    }

    @Test
    void similarDocumentsTakeTheVectorFromTheIndexOrTheCache() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            HotVectorCache cache = app.app().cache().orElseThrow();
            app.put("/v1/tenants/acme/documents/a", body("en", "[1, 0, 0, 0]"));
            app.put("/v1/tenants/acme/documents/b", body("en", "[0.9, 0.2, 0, 0]"));
            app.put("/v1/tenants/acme/documents/c", body("de", "[0, 0, 1, 0]"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (cache.stats("tiny").entries() > 0) { // all in the index: the vector of a comes from there
                assertThat(System.nanoTime()).as("the index took the documents").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(similar(app, "a", "{\"space\": \"tiny\", \"k\": 2}")).containsExactly("b", "c");
            assertThat(similar(app, "a", "{\"space\": \"tiny\", \"filter\": {\"lang\": \"de\"}}")).containsExactly("c");

            pauseIndexing(app);
            app.put("/v1/tenants/acme/documents/c", body("de", "[1, 0, 0, 0.1]")); // only the cache knows
            assertThat(similar(app, "c", "{\"space\": \"tiny\", \"k\": 2}")).containsExactly("a", "b");

            TestApp.Response unknown = app.post("/v1/tenants/acme/documents/nope/similar", "application/json",
                    "{\"space\": \"tiny\"}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.contentType()).startsWith("application/problem+json");
            app.delete("/v1/tenants/acme/documents/a");
            assertThat(app.post("/v1/tenants/acme/documents/a/similar", "application/json", "{\"space\": \"tiny\"}")
                    .status()).isEqualTo(404);
        }
    }

    private static List<String> similar(TestApp app, String documentId, String options) {
        TestApp.Response answer = app.post("/v1/tenants/acme/documents/" + documentId + "/similar", "application/json", options);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return Json.createReader(new StringReader(answer.body())).readObject().getJsonArray("hits").stream()
                .map(hit -> hit.asJsonObject().getString("documentId")).toList();
    }

    private static void pauseIndexing(TestApp app) {
        app.app().axon().eventProcessingConfiguration().eventProcessor(Vectorsync.VECTOR_INDEX_GROUP)
                .orElseThrow().shutDown();
    }

    /** The ids a search answers, asked once. */
    private static List<String> search(TestApp app, String tenant, String search) {
        String answer = app.post("/v1/tenants/" + tenant + "/search", "application/json", search).body();
        return Json.createReader(new StringReader(answer)).readObject().getJsonArray("hits").stream()
                .map(hit -> hit.asJsonObject().getString("documentId")).toList();
    }

    private static void awaitSearch(TestApp app, String search, String documentId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!search(app, "acme", search).contains(documentId)) {
            assertThat(System.nanoTime()).as("%s searchable in time", documentId).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String body(String lang, String vector) {
        return "{\"title\": \"Guide\", \"body\": \"how to\", \"metadata\": {\"lang\": \"" + lang + "\"}, "
                + "\"vectors\": {\"space\": \"tiny\", \"vector\": " + vector + "}}";
    }

    /** The cached document once it satisfies {@code condition}; a write should land within milliseconds. */
    private static HotDocument await(HotVectorCache cache, String documentId, Predicate<HotDocument> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Optional<HotDocument> document = cache.get("tiny", "acme", documentId);
            if (document.isPresent() && condition.test(document.get())) {
                return document.get();
            }
            assertThat(System.nanoTime()).as("%s in the cache in time: %s", documentId, document).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
