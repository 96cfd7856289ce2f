package io.vectorsync.app;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system, for real: app on a free port, H2 file event store, Lucene index on disk and the
 * in-process all-MiniLM-L6-v2 model. Writes text, finds it by meaning, revises, re-labels, deletes,
 * restores, restarts and checks that nothing was lost or duplicated.
 */
class EndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final String PASSWORD_DOC = """
            {"title": "Resetting your password",
             "body": "If you forgot your password, open Account settings and choose Reset password. We email you a link that is valid for one hour.",
             "metadata": {"team": "support", "year": 2024, "public": true, "tags": ["account", "security"]},
             "source": "https://wiki.example/help/password"}""";
    private static final String REVENUE_DOC = """
            {"title": "Quarterly results",
             "body": "Revenue grew eleven percent in the third quarter, driven by subscriptions in Europe.",
             "metadata": {"team": "finance", "year": 2023, "public": false, "tags": ["report"]}}""";
    private static final String GARDEN_DOC = """
            {"title": "Tomatoes",
             "body": "Water tomato plants deeply twice a week and give them plenty of sun.",
             "metadata": {"team": "garden", "year": 2022, "public": true, "tags": ["plants"]}}""";

    @TempDir
    Path dataDir;

    @Test
    void documentsAreFoundByMeaningThroughTheirWholeLifeAndSurviveARestart() {
        int versionBeforeRestart;
        try (TestApp app = TestApp.start(dataDir)) {
            assertThat(app.put("/v1/tenants/acme/documents/password", PASSWORD_DOC).status()).isEqualTo(201);
            assertThat(app.put("/v1/tenants/acme/documents/revenue", REVENUE_DOC).status()).isEqualTo(201);
            assertThat(app.put("/v1/tenants/acme/documents/garden", GARDEN_DOC).status()).isEqualTo(201);
            assertThat(app.put("/v1/tenants/globex/documents/password", GARDEN_DOC).status()).isEqualTo(201);

            // by meaning: none of these words is in the password document
            awaitTopHit(app, "acme", "I cannot log in, how do I get new login credentials?", "password");
            awaitTopHit(app, "acme", "How did sales develop last quarter?", "revenue");
            JsonObject hit = search(app, "acme", "{\"text\": \"forgot login\", \"k\": 1}").getJsonArray("hits").getJsonObject(0);
            assertThat(hit.getString("title")).isEqualTo("Resetting your password");
            assertThat(hit.getJsonObject("passage").getString("text")).contains("Reset password");
            assertThat(hit.getJsonObject("metadata").getJsonArray("tags").getString(0)).isEqualTo("account");

            // tenants never see each other's documents
            TestApp.await("globex sees only its own document", PATIENCE, () -> documentIds(app, "globex",
                    "{\"text\": \"forgot my password\", \"k\": 10}").equals(List.of("password")));
            assertThat(search(app, "globex", "{\"text\": \"forgot my password\", \"k\": 10}").getJsonArray("hits")
                    .getJsonObject(0).getString("title")).isEqualTo("Tomatoes");

            // revise: the new passage replaces the old one
            TestApp.Response revised = app.put("/v1/tenants/acme/documents/password", """
                    {"title": "Resetting your password",
                     "body": "Passwords are reset by the service desk: call extension 4242 and prove who you are.",
                     "metadata": {"team": "support", "year": 2024, "public": true, "tags": ["account", "security"]}}""");
            assertThat(revised.status()).isEqualTo(200);
            assertThat(revised.json().getString("result")).isEqualTo("revised");
            TestApp.await("the revised passage is searchable", PATIENCE, () -> firstPassage(app, "acme",
                    "{\"text\": \"reset password service desk\", \"k\": 1}").contains("4242"));

            // metadata only: filters see the new labels, the vectors stay
            TestApp.Response relabelled = app.put("/v1/tenants/acme/documents/garden", GARDEN_DOC.replace("2022", "2025"));
            assertThat(relabelled.json().getString("result")).isEqualTo("metadata_changed");
            TestApp.await("the new metadata is filterable", PATIENCE, () -> documentIds(app, "acme",
                    "{\"text\": \"plants\", \"filter\": {\"year\": {\"gte\": 2025}}}").equals(List.of("garden")));
            assertThat(documentIds(app, "acme", "{\"text\": \"anything\", \"filter\": {\"team\": [\"finance\", \"garden\"], \"public\": true}}"))
                    .containsExactly("garden");

            // unchanged upserts write nothing
            TestApp.Response same = app.put("/v1/tenants/acme/documents/revenue", REVENUE_DOC);
            assertThat(same.json().getString("result")).isEqualTo("unchanged");
            assertThat(same.json().getInt("version")).isEqualTo(app.get("/v1/tenants/acme/documents/revenue").json().getInt("version"));

            // delete, then restore
            assertThat(app.delete("/v1/tenants/acme/documents/revenue").json().getString("result")).isEqualTo("deleted");
            assertThat(app.delete("/v1/tenants/acme/documents/revenue").json().getString("result")).isEqualTo("already_deleted");
            TestApp.await("the deleted document leaves search", PATIENCE, () -> !documentIds(app, "acme",
                    "{\"text\": \"quarterly revenue\", \"k\": 10}").contains("revenue"));
            assertThat(app.get("/v1/tenants/acme/documents/revenue").json().getBoolean("deleted")).isTrue();
            TestApp.Response restored = app.put("/v1/tenants/acme/documents/revenue", REVENUE_DOC);
            assertThat(restored.json().getString("result")).isEqualTo("restored");
            awaitTopHit(app, "acme", "How did sales develop last quarter?", "revenue");

            awaitCaughtUp(app);
            versionBeforeRestart = app.get("/v1/tenants/acme/documents/password").json().getInt("version");
        }

        // restart over the same data: nothing lost, nothing duplicated
        try (TestApp app = TestApp.start(dataDir)) {
            JsonObject password = app.get("/v1/tenants/acme/documents/password").json();
            assertThat(password.getInt("version")).isEqualTo(versionBeforeRestart);
            assertThat(password.getString("embeddingStatus")).isEqualTo("embedded");
            assertThat(topHit(app, "acme", "How did sales develop last quarter?")).isEqualTo("revenue");
            var index = app.app().indexes().forSpace("default");
            assertThat(index.countDocuments("acme")).isEqualTo(3);
            long chunks = index.countChunks("acme");
            assertThat(app.put("/v1/tenants/acme/documents/garden", GARDEN_DOC.replace("2022", "2025"))
                    .json().getString("result")).isEqualTo("unchanged");
            awaitCaughtUp(app);
            assertThat(index.countChunks("acme")).isEqualTo(chunks);
        }
    }

    @Test
    void clientVectorsSkipTheEncoderAndAreSearchableByVector() {
        try (TestApp app = TestApp.start(dataDir)) {
            TestApp.Response created = app.put("/v1/tenants/acme/documents/v1", """
                    {"title": "North", "body": "points north", "vectors": {"space": "tiny", "vector": [1, 0, 0, 0]}}""");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            app.put("/v1/tenants/acme/documents/v2", """
                    {"title": "East", "body": "first half. second half.", "vectors": {"space": "tiny",
                     "chunks": [{"text": "first half.", "vector": [0, 1, 0, 0]}, {"text": "second half.", "vector": [0, 0.9, 0.1, 0]}]}}""");
            TestApp.await("both are searchable", PATIENCE, () -> documentIds(app, "acme",
                    "{\"space\": \"tiny\", \"vector\": [0, 1, 0.05, 0], \"k\": 5}").equals(List.of("v2", "v1")));
            JsonObject best = search(app, "acme", "{\"space\": \"tiny\", \"vector\": [0, 0.9, 0.1, 0], \"k\": 1}")
                    .getJsonArray("hits").getJsonObject(0);
            assertThat(best.getJsonObject("passage").getString("text")).isEqualTo("second half.");
            assertThat(best.getJsonObject("passage").getInt("start")).isEqualTo(12);

            awaitCaughtUp(app);
            // the encoder left them alone: only the client's embedding exists
            JsonObject document = app.get("/v1/tenants/acme/documents/v1").json();
            assertThat(document.getJsonArray("embeddings")).hasSize(1);
            assertThat(document.getJsonArray("embeddings").getJsonObject(0).getString("space")).isEqualTo("tiny");
        }
    }

    @Test
    void aHistoryTellsWhereEachEventStandsInTheLog() {
        try (TestApp app = TestApp.start(dataDir)) {
            long created = app.put("/v1/tenants/acme/documents/h", """
                    {"title": "H", "body": "b", "vectors": {"space": "tiny", "vector": [1, 0, 0, 0]}}""")
                    .json().getJsonNumber("position").longValue();
            app.put("/v1/tenants/acme/documents/other", "{\"body\": \"between\"}");
            long relabelled = app.put("/v1/tenants/acme/documents/h", """
                    {"title": "H", "body": "b", "metadata": {"lang": "en"}}""").json().getJsonNumber("position").longValue();

            List<JsonObject> events = app.get("/v1/tenants/acme/documents/h/history").json().getJsonArray("events")
                    .getValuesAs(JsonObject.class);

            assertThat(events).extracting(e -> e.getString("type"))
                    .containsExactly("DocumentCreated", "DocumentEmbedded", "DocumentMetadataChanged");
            // a write's answer carries the position of its last event: here the client's vectors
            assertThat(events.get(1).getJsonNumber("position").longValue()).isEqualTo(created);
            assertThat(events.getFirst().getJsonNumber("position").longValue()).isEqualTo(created - 1);
            assertThat(events.getLast().getJsonNumber("position").longValue()).isEqualTo(relabelled);
            assertThat(relabelled).as("another document's events came between").isGreaterThan(created + 1);
        }
    }

    @Test
    void badInputGetsAProblemAndWritesNothing() {
        try (TestApp app = TestApp.start(dataDir)) {
            String path = "/v1/tenants/acme/documents/doc-1";
            assertProblem(app.put(path, "{\"title\": \"x\", \"body\": "), 400, "body");
            assertProblem(app.put(path, "{\"title\": 5, \"body\": \"b\"}"), 400, "title");
            assertProblem(app.put(path, "{\"title\": \"t\"}"), 400, "body");
            assertProblem(app.put(path, "{\"body\": \"b\", \"titel\": \"t\"}"), 400, "titel");
            assertProblem(app.put(path, "{\"body\": \"b\", \"metadata\": {\"nested\": {\"a\": 1}}}"), 400, "metadata.nested");
            assertProblem(app.put(path, "{\"body\": \"b\", \"vectors\": {\"space\": \"tiny\", \"vector\": [1, 2, 3]}}"), 400, "vectors.vector");
            assertProblem(app.put(path, "{\"body\": \"b\", \"vectors\": {\"space\": \"tiny\", \"vector\": [1, 2, 3, 1e39]}}"), 400, "vectors.vector");
            assertProblem(app.put(path, "{\"body\": \"b\", \"vectors\": {\"space\": \"nope\", \"vector\": [1]}}"), 400, "vectors.space");
            assertProblem(app.put(path, "{\"body\": \"" + "x".repeat(300 * 1024) + "\"}"), 413, null);
            assertProblem(app.put("/v1/tenants/ACME!/documents/doc-1", "{\"body\": \"b\"}"), 400, "tenant");
            assertProblem(app.get(path), 404, null);
            assertProblem(app.delete(path), 404, null);

            assertThat(app.put(path, "{\"body\": \"hello\"}").status()).isEqualTo(201);
            assertThat(embeddedVersion(app, path)).as("the encoder embedded version 1").isEqualTo(2);
            assertThat(app.put(path, "{\"body\": \"changed\"}", "If-Match", "\"1\"").status())
                    .as("an embedding recorded since the version read is no conflict").isEqualTo(200);
            assertProblem(app.put(path, "{\"body\": \"again\"}", "If-Match", "\"2\""), 412, "If-Match"); // changed at 3
            long current = embeddedVersion(app, path);
            assertProblem(app.post("/v1/tenants/acme/search", "application/json", "{\"text\": \"x\", \"k\": 0}"), 400, "k");
            assertProblem(app.post("/v1/tenants/acme/search", "application/json", "{\"k\": 3}"), 400, null);
            assertProblem(app.post("/v1/tenants/acme/search", "application/json",
                    "{\"text\": \"" + "y".repeat(1100 * 1024) + "\"}"), 413, null);
            assertProblem(app.put(path, "{\"body\": \"b\"}", "If-Match", "yesterday"), 400, "If-Match");
            assertThat(app.get(path).json().getInt("version")).isEqualTo(current);
        }
    }

    @Test
    void batchesStreamOneResultPerLine() {
        try (TestApp app = TestApp.start(dataDir)) {
            String ndjson = """
                    {"documentId": "a", "title": "A", "body": "alpha"}
                    {"documentId": "b", "body": "beta", "metadata": {"n": 1}}
                    not json
                    {"documentId": "a", "body": "alpha two"}
                    {"op": "delete", "documentId": "b"}
                    {"op": "delete", "documentId": "zzz"}
                    """ + "{\"documentId\": \"big\", \"body\": \"" + "z".repeat(300 * 1024) + "\"}\n";
            TestApp.Response response = app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", ndjson);
            assertThat(response.status()).isEqualTo(200);
            List<String> lines = response.body().lines().toList();
            assertThat(lines).hasSize(7);
            assertThat(lines.get(6)).contains("\"status\":413");
            assertThat(lines.get(0)).contains("\"status\":201").contains("\"result\":\"created\"");
            assertThat(lines.get(1)).contains("\"status\":201");
            assertThat(lines.get(2)).contains("\"status\":400").contains("invalid-input");
            assertThat(lines.get(3)).contains("\"status\":200").contains("\"result\":\"revised\"");
            assertThat(lines.get(4)).contains("\"result\":\"deleted\"");
            assertThat(lines.get(5)).contains("\"status\":404");
            assertThat(app.get("/v1/tenants/acme/documents/a").json().getString("body")).isEqualTo("alpha two");
        }
    }

    private static void assertProblem(TestApp.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        JsonObject problem = response.json();
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("detail")).isNotBlank();
        if (field != null) {
            assertThat(problem.getString("field")).as(response.toString()).isEqualTo(field);
        }
    }

    private static void awaitCaughtUp(TestApp app) {
        TestApp.await("the processors caught up", PATIENCE, () ->
                app.app().caughtUp("encoder") && app.app().caughtUp("vector-index"));
    }

    private static void awaitTopHit(TestApp app, String tenant, String text, String documentId) {
        TestApp.await(documentId + " is the top hit for '" + text + "'", PATIENCE,
                () -> documentId.equals(topHit(app, tenant, text)));
    }

    private static String topHit(TestApp app, String tenant, String text) {
        List<String> ids = documentIds(app, tenant, "{\"text\": \"" + text + "\", \"k\": 3}");
        return ids.isEmpty() ? null : ids.getFirst();
    }

    private static String firstPassage(TestApp app, String tenant, String request) {
        var hits = search(app, tenant, request).getJsonArray("hits");
        return hits.isEmpty() ? "" : hits.getJsonObject(0).getJsonObject("passage").getString("text");
    }

    private static List<String> documentIds(TestApp app, String tenant, String request) {
        return search(app, tenant, request).getJsonArray("hits").stream()
                .map(v -> v.asJsonObject().getString("documentId")).toList();
    }

    private static JsonObject search(TestApp app, String tenant, String request) {
        TestApp.Response response = app.post("/v1/tenants/" + tenant + "/search", "application/json", request);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** The document's version once the encoder has embedded its current content. */
    private static long embeddedVersion(TestApp app, String path) {
        TestApp.await(path + " embedded", Duration.ofSeconds(60),
                () -> "embedded".equals(app.get(path).json().getString("embeddingStatus")));
        return app.get(path).json().getJsonNumber("version").longValue();
    }
}
