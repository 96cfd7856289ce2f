package io.vectorsync.app;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonObject;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue/green index versions through {@code /v1/admin/indexes}: a rebuild while writes continue, the swap, the
 * rollback, a drop, a rebuild that survives a restart, and one cancelled — on Lucene, and the swap on OpenSearch.
 */
class IndexVersionsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void aRebuildWhileWritesContinueSwapsWithoutLosingAWriteAndRollsBack() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            batch(app, 0, 200);
            TestApp.Response started = app.post("/v1/admin/indexes/tiny/versions", "application/json",
                    "{\"hnswM\": 8, \"hnswEfConstruction\": 50, \"efSearch\": 40, \"quantization\": \"int7\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            assertThat(started.json().getInt("version")).isEqualTo(2);
            assertThat(started.json().getString("role")).isEqualTo("building");

            // writes go on while version 2 is built: new documents, deletes, metadata changes
            batch(app, 200, 260);
            for (int i = 0; i < 10; i++) {
                app.delete("/v1/tenants/acme/documents/d" + i);
                put(app, "d" + (20 + i), "{\"lang\": \"de\"}", i + 20);
            }
            awaitCaughtUp(app, 2);
            JsonObject feeding = app.get("/v1/admin/processors/index-tiny-v2").json();
            assertThat(feeding.getString("kind")).as("the version's processor is a processing group too").isEqualTo("streaming");
            assertThat(feeding.getJsonArray("segments")).hasSize(2);

            TestApp.Response swapped = app.post("/v1/admin/indexes/tiny/versions/2/swap", "application/json", "");
            assertThat(swapped.status()).as(swapped.body()).isEqualTo(200);
            JsonObject tiny = space(app);
            assertThat(tiny.getInt("liveVersion")).isEqualTo(2);
            assertThat(version(tiny, 1).getString("role")).isEqualTo("previous");
            assertThat(Files.isDirectory(dataDir.resolve("index/tiny.v2"))).isTrue();

            batch(app, 260, 280); // after the swap: into version 2 through vector-index, into version 1 by its follower
            awaitIndexMatchesTheLog(app, 280);
            TestApp.await("no drift in either version", PATIENCE, () ->
                    app.get("/v1/admin/indexes/tiny/drift").json().getInt("drift") == 0
                            && app.get("/v1/admin/indexes/tiny/drift?version=1").json().getInt("drift") == 0);

            // rollback: version 1 followed the log, so it has every write made while version 2 was live
            assertThat(app.post("/v1/admin/indexes/tiny/versions/1/swap", "application/json", "").status()).isEqualTo(200);
            assertThat(space(app).getInt("liveVersion")).isEqualTo(1);
            awaitIndexMatchesTheLog(app, 280);

            TestApp.Response dropped = app.delete("/v1/admin/indexes/tiny/versions/2");
            assertThat(dropped.status()).as(dropped.body()).isEqualTo(200);
            assertThat(space(app).getJsonArray("versions")).hasSize(1);
            assertThat(Files.exists(dataDir.resolve("index/tiny.v2"))).isFalse();
        }
    }

    @Test
    void aRebuildInterruptedByARestartResumesAndACancelledOneLeavesTheLiveIndexAlone() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            batch(app, 0, 300);
            assertThat(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{\"autoSwap\": true}").status())
                    .isEqualTo(202);
        } // stopped at once, mid-build (or before it began)
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            TestApp.await("the resumed build swapped itself in", PATIENCE, () -> space(app).getInt("liveVersion") == 2);
            awaitIndexMatchesTheLog(app, 300);

            assertThat(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{}").json().getInt("version"))
                    .isEqualTo(3);
            assertThat(app.delete("/v1/admin/indexes/tiny/versions/3").status()).isEqualTo(200);
            assertThat(space(app).getInt("liveVersion")).isEqualTo(2);
            assertThat(Files.exists(dataDir.resolve("index/tiny.v3"))).isFalse();
            awaitIndexMatchesTheLog(app, 300);
        }
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            assertThat(space(app).getInt("liveVersion")).as("the live version survives a restart").isEqualTo(2);
            awaitIndexMatchesTheLog(app, 300);
        }
    }

    @Test
    void aPointInTimeBuildAnswersExactlyAsTheLogStoodAtItsCut() throws Exception {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            batch(app, 0, 10);
            long cut = app.app().database().headPosition();
            Thread.sleep(20);
            String cutTime = java.time.Instant.now().toString();
            Thread.sleep(20);
            // after the cut: a delete, a metadata change, new documents
            app.delete("/v1/tenants/acme/documents/d0");
            put(app, "d1", "{\"lang\": \"de\"}", 1);
            batch(app, 10, 15);

            TestApp.Response byPosition = app.post("/v1/admin/indexes/tiny/versions", "application/json",
                    "{\"until\": {\"position\": " + cut + "}}");
            assertThat(byPosition.status()).as(byPosition.body()).isEqualTo(202);
            assertThat(byPosition.json().getString("role")).isEqualTo("pointInTime");
            TestApp.Response byTime = app.post("/v1/admin/indexes/tiny/versions", "application/json",
                    "{\"until\": {\"timestamp\": \"" + cutTime + "\"}}");
            assertThat(byTime.status()).as(byTime.body()).isEqualTo(202);
            awaitCaughtUp(app, 2);
            awaitCaughtUp(app, 3);

            for (int version : new int[]{2, 3}) {
                VectorIndex then = app.app().versions().orElseThrow().index("tiny", version);
                for (int i = 0; i < 10; i++) {
                    assertThat(then.version("acme", "d" + i)).as("d%d in version %d", i, version).hasValue(2);
                }
                for (int i = 10; i < 15; i++) {
                    assertThat(then.version("acme", "d" + i)).as("d%d in version %d", i, version).isEmpty();
                }
                // searched by number: d0 still there, d1 still English, nothing written after the cut
                String near = "{\"space\": \"tiny\", \"vector\": " + vector(0) + ", \"k\": 20, \"indexVersion\": " + version + "}";
                List<String> found = ids(app.post("/v1/tenants/acme/search", "application/json", near));
                assertThat(found).hasSize(10).contains("d0").doesNotContain("d10");
                String german = "{\"space\": \"tiny\", \"vector\": " + vector(1) + ", \"filter\": {\"lang\": \"de\"}, \"indexVersion\": " + version + "}";
                assertThat(ids(app.post("/v1/tenants/acme/search", "application/json", german))).isEmpty();
            }
            // the live index has moved on
            String liveNear = "{\"space\": \"tiny\", \"vector\": " + vector(0) + ", \"k\": 20}";
            TestApp.await("the live index took every write", PATIENCE,
                    () -> ids(app.post("/v1/tenants/acme/search", "application/json", liveNear)).size() == 14);
            assertThat(ids(app.post("/v1/tenants/acme/search", "application/json", liveNear)))
                    .doesNotContain("d0").contains("d10", "d14");

            assertProblem(app.post("/v1/admin/indexes/tiny/versions/2/swap", "application/json", ""), 409, "point-in-time");
            assertProblem(app.post("/v1/tenants/acme/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"indexVersion\": 9}"), 404, "9");
            assertProblem(app.post("/v1/tenants/acme/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"indexVersion\": 2, \"consistentWith\": 3}"), 400, "consistentWith");
            assertProblem(app.post("/v1/admin/indexes/tiny/versions", "application/json",
                    "{\"until\": {\"timestamp\": \"yesterday\"}}"), 400, "until.timestamp");
        }
    }

    @Test
    void anEventTheNewVersionCannotTakeIsItsDeadLetterAndKeepsItFromGoingLiveUntilHandled() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            batch(app, 0, 20);
            // vectors of the wrong dimension, appended past the command side (which refuses them): a poison event
            var poison = new DocumentEmbedded("acme", "bad", 1, "tiny",
                    new EmbeddingProvenance("client", null, true, ChunkerSettings.CLIENT), 8, "Bad", Map.of(),
                    List.of(EmbeddedChunk.of(0, 0, 3, "bad", new float[]{1, 0, 0, 0, 0, 0, 0, 0})));
            app.app().eventStore().publish(new GenericDomainEventMessage<>("Document", "acme/bad", 0, poison));
            assertThat(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{}").status()).isEqualTo(202);
            batch(app, 20, 30);

            awaitCaughtUp(app, 2); // the build goes past it
            JsonObject letters = app.get("/v1/admin/dead-letters/index-tiny-v2").json();
            assertThat(letters.getInt("letters")).isEqualTo(1);
            JsonObject sequence = letters.getJsonArray("sequences").getJsonObject(0);
            assertThat(sequence.getString("sequence")).isEqualTo("acme/bad");
            assertThat(app.get("/v1/admin/dead-letters").json().getJsonArray("groups").getValuesAs(JsonObject.class))
                    .anySatisfy(group -> {
                        assertThat(group.getString("group")).isEqualTo("index-tiny-v2");
                        assertThat(group.getInt("letters")).isEqualTo(1);
                    });
            assertProblem(app.post("/v1/admin/indexes/tiny/versions/2/swap", "application/json", ""), 409, "dead letter");
            assertThat(space(app).getInt("liveVersion")).isEqualTo(1);
            TestApp.Response retried = app.post("/v1/admin/dead-letters/index-tiny-v2/retry", "application/json", "");
            assertThat(retried.json().getInt("lettersLeft")).as("it fails again: the cause is in the event").isEqualTo(1);

            String id = sequence.getJsonArray("letters").getJsonObject(0).getString("id");
            assertThat(app.delete("/v1/admin/dead-letters/index-tiny-v2/letters/" + id).status()).isEqualTo(200);
            TestApp.Response swapped = app.post("/v1/admin/indexes/tiny/versions/2/swap", "application/json", "");

            assertThat(swapped.status()).as(swapped.body()).isEqualTo(200);
            assertThat(app.app().indexes().forSpace("tiny").countDocuments("acme")).isEqualTo(30);
            assertThat(app.get("/v1/admin/dead-letters/index-tiny-v1").json().getInt("letters"))
                    .as("the previous version follows the log with a queue of its own").isZero();
        }
    }

    private static List<String> ids(TestApp.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().getJsonArray("hits").getValuesAs(JsonObject.class).stream()
                .map(hit -> hit.getString("documentId")).toList();
    }

    @Test
    void badRequestsAreProblems() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            assertProblem(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{\"hnswM\": 1}"), 400, "hnswM");
            assertProblem(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{\"quantization\": \"sq\"}"), 400, "int7");
            assertProblem(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{\"shards\": 2}"), 400, "OpenSearch");
            assertProblem(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{\"efSearch\": 0}"), 400, "efSearch");
            assertProblem(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{\"m\": 8}"), 400, "m");
            assertProblem(app.post("/v1/admin/indexes/nope/versions", "application/json", "{}"), 404, "nope");
            assertProblem(app.post("/v1/admin/indexes/tiny/versions/7/swap", "application/json", ""), 404, "7");
            assertProblem(app.delete("/v1/admin/indexes/tiny/versions/1"), 409, "live");
            assertProblem(app.post("/v1/admin/indexes/tiny/versions/x/swap", "application/json", ""), 400, "version");
        }
    }

    @Test
    void onOpenSearchTheSwapMovesTheAliasesAndTheRollbackMovesThemBack() throws Exception {
        String url = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(url).as("VECTORSYNC_TEST_OPENSEARCH_URL; run the tests with bin/test").isNotBlank();
        String prefix = "bg-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).opensearch(url, prefix, 1, 0).settings())) {
            batch(app, 0, 100);
            // a replay in place first: the live index moves to v2 behind the aliases, so a rebuild must take v3
            assertThat(app.post("/v1/admin/processors/vector-index/replay", "application/json", "").status()).isEqualTo(202);
            assertThat(aliasTarget(url, prefix + "-tiny")).isEqualTo(prefix + "-tiny-v2");
            awaitIndexMatchesTheLog(app, 100);
            TestApp.Response started = app.post("/v1/admin/indexes/tiny/versions", "application/json",
                    "{\"hnswM\": 8, \"efSearch\": 64}");
            assertThat(started.status()).isEqualTo(202);
            assertThat(started.json().getInt("version")).isEqualTo(3);
            batch(app, 100, 120);
            awaitCaughtUp(app, 3);
            assertThat(app.post("/v1/admin/indexes/tiny/versions/3/swap", "application/json", "").status()).isEqualTo(200);

            assertThat(aliasTarget(url, prefix + "-tiny")).isEqualTo(prefix + "-tiny-v3");
            assertThat(aliasTarget(url, prefix + "-tiny-write")).isEqualTo(prefix + "-tiny-v3");
            assertThat(space(app).getInt("liveVersion")).isEqualTo(3);
            JsonObject aliases = space(app).getJsonObject("aliases"); // what the console shows
            assertThat(aliases.getString("read")).isEqualTo(prefix + "-tiny");
            assertThat(aliases.getString("write")).isEqualTo(prefix + "-tiny-write");
            assertThat(aliases.getString("index")).isEqualTo(prefix + "-tiny-v3");
            assertThat(space(app).getJsonArray("versions").getValuesAs(JsonObject.class))
                    .extracting(v -> v.getString("index")).contains(prefix + "-tiny-v3", prefix + "-tiny-v2");
            batch(app, 120, 130);
            VectorIndex live = app.app().indexes().forSpace("tiny");
            ((OpenSearchVectorIndex) live).refresh();
            awaitIndexMatchesTheLog(app, 130);

            assertThat(app.post("/v1/admin/indexes/tiny/versions/2/swap", "application/json", "").status()).isEqualTo(200);
            assertThat(aliasTarget(url, prefix + "-tiny")).isEqualTo(prefix + "-tiny-v2");
            assertThat(app.delete("/v1/admin/indexes/tiny/versions/2").status()).as("the live one").isEqualTo(409);
            assertThat(app.delete("/v1/admin/indexes/tiny/versions/3").status()).isEqualTo(200);
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/" + prefix + "-tiny-v3"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(404);
            awaitIndexMatchesTheLog(app, 130);
        } finally {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/" + prefix + "-*")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private static String aliasTarget(String url, String alias) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/_alias/" + alias)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return io.vectorsync.json.Json.createReader(new java.io.StringReader(body)).readObject().keySet().iterator().next();
    }

    /** Every document's index entry has the version the event store has for it, and only live ones count. */
    private static void awaitIndexMatchesTheLog(TestApp app, int documents) {
        String[] mismatch = {null};
        try {
            TestApp.await("the live index matches the log", PATIENCE, () -> {
                VectorIndex index = app.app().indexes().forSpace("tiny");
                index.makeSearchable();
                long live = 0;
                for (int i = 0; i < documents; i++) {
                    JsonObject document = app.get("/v1/tenants/acme/documents/d" + i).json();
                    long version = document.getJsonNumber("version").longValue();
                    long indexed = index.version("acme", "d" + i).orElse(-1);
                    if (indexed != version) {
                        mismatch[0] = "d" + i + " is at version " + indexed + " in the index, " + version + " in the log";
                        return false;
                    }
                    live += document.getBoolean("deleted") ? 0 : 1;
                }
                mismatch[0] = "the index counts " + index.countDocuments("acme") + " live documents, the log " + live;
                return index.countDocuments("acme") == live;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + mismatch[0], e);
        }
    }

    private static void awaitCaughtUp(TestApp app, int version) {
        TestApp.await("version " + version + " caught up", PATIENCE, () -> {
            JsonObject progress = version(space(app), version).getJsonObject("progress");
            return progress != null && progress.getBoolean("caughtUp");
        });
    }

    private static JsonObject space(TestApp app) {
        return app.get("/v1/admin/indexes").json().getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(space -> space.getString("space").equals("tiny")).findFirst().orElseThrow();
    }

    private static JsonObject version(JsonObject space, int version) {
        return space.getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .filter(v -> v.getInt("version") == version).findFirst().orElseThrow();
    }

    private static void batch(TestApp app, int from, int to) {
        StringBuilder ndjson = new StringBuilder();
        IntStream.range(from, to).forEach(i -> ndjson.append("{\"op\": \"upsert\", \"documentId\": \"d").append(i)
                .append("\", \"title\": \"D\", \"body\": \"document ").append(i)
                .append("\", \"metadata\": {\"lang\": \"en\"}, \"vectors\": {\"space\": \"tiny\", \"vector\": ")
                .append(vector(i)).append("}}\n"));
        TestApp.Response answer = app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", ndjson.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("\"problem\"");
    }

    private static void put(TestApp app, String id, String metadata, int i) {
        TestApp.Response answer = app.put("/v1/tenants/acme/documents/" + id, "{\"title\": \"D\", \"body\": \"document "
                + i + "\", \"metadata\": " + metadata + ", \"vectors\": {\"space\": \"tiny\", \"vector\": " + vector(i) + "}}");
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
    }

    private static String vector(int i) {
        return "[" + (1 + i % 7) + ", " + (i % 5) + ", " + (i % 3) + ", 1]";
    }

    private static void assertProblem(TestApp.Response response, int status, String mentions) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).contains(mentions);
    }
}
