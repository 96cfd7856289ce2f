package io.vectorsync.app;

import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.command.encoder.MiniLmQuantizedEmbeddingModel;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving a space to another model: a new index version of the quantized model is built from re-embedding events
 * while the live one keeps its model's vectors; new content meanwhile gets both; search switches with the swap
 * and back with the rollback.
 */
class ReembeddingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final List<String> BODIES = List.of(
            "If you forgot your password, open Account settings and choose Reset password.",
            "Invoices are listed under Billing; download any month as a PDF.",
            "Money goes back to the original card within ten business days after we receive the item.",
            "Drain the pump, pull out the old O-ring and press in a new one until it sits flush.");

    @TempDir
    Path dataDir;

    @Test
    void aSpaceMovesToTheQuantizedModelAndBack() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            for (int i = 0; i < BODIES.size(); i++) {
                put(app, "doc-" + i, BODIES.get(i));
            }
            TestApp.await("embedded and indexed", PATIENCE, () -> app.app().indexes().forSpace("default").countDocuments("acme") == 4);

            TestApp.Response started = app.post("/v1/admin/indexes/default/versions", "application/json",
                    "{\"model\": \"all-minilm-l6-v2-q\", \"reembedPerSecond\": 50}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            assertThat(started.json().getString("model")).isEqualTo(MiniLmQuantizedEmbeddingModel.ID);
            put(app, "fresh", "Parking is free for visitors this week, at the north entrance."); // during the move
            TestApp.await("re-embedded and caught up", PATIENCE, () -> {
                JsonObject version = version(app, 2);
                return version.containsKey("progress") && version.getJsonObject("progress").getBoolean("caughtUp");
            });
            assertThat(version(app, 2).getJsonObject("reembedding").getInt("documentsDone")).isGreaterThanOrEqualTo(4);

            // a text search of the version being built is embedded with that version's model: a document's own
            // text (as embedded: title and body) finds it at a cosine of 1, which the other model would not give
            JsonObject own = app.post("/v1/tenants/acme/search", "application/json", Json.createObjectBuilder()
                    .add("text", "Note\n" + BODIES.get(0)).add("k", 1).add("indexVersion", 2).build().toString()).json()
                    .getJsonArray("hits").getJsonObject(0);
            assertThat(own.getString("documentId")).isEqualTo("doc-0");
            assertThat(own.getJsonNumber("score").doubleValue()).isGreaterThan(0.9999);

            VectorIndex quantized = app.app().versions().orElseThrow().index("default", 2);
            VectorIndex full = app.app().indexes().forSpace("default");
            for (String id : List.of("doc-0", "doc-1", "doc-2", "doc-3", "fresh")) {
                TestApp.await(id + " in both versions", PATIENCE, () -> quantized.content("acme", id).isPresent()
                        && full.content("acme", id).isPresent());
                assertThat(quantized.content("acme", id).orElseThrow().provenance().model()).as(id)
                        .isEqualTo(MiniLmQuantizedEmbeddingModel.ID);
                assertThat(full.content("acme", id).orElseThrow().provenance().model()).as("the live one keeps its model")
                        .isEqualTo(MiniLmEmbeddingModel.ID);
            }

            TestApp.Response swapped2 = app.post("/v1/admin/indexes/default/versions/2/swap", "application/json", "");
            assertThat(swapped2.status()).as(swapped2.body()).isEqualTo(200);
            assertThat(first(app, "how do I reset my password")).isEqualTo("doc-0"); // the query embedded with the new model
            assertThat(app.app().indexes().forSpace("default").content("acme", "doc-1").orElseThrow().provenance().model())
                    .isEqualTo(MiniLmQuantizedEmbeddingModel.ID);
            put(app, "after", "The cafeteria serves soup and sandwiches from eleven to two.");
            TestApp.await("the new text is in the live version", PATIENCE,
                    () -> "after".equals(first(app, "when can I get lunch")));

            // rollback: the full-model version followed the log and got the new text embedded with its model
            TestApp.Response swapped1 = app.post("/v1/admin/indexes/default/versions/1/swap", "application/json", "");
            assertThat(swapped1.status()).as(swapped1.body()).isEqualTo(200);
            TestApp.await("the rolled-back version has the text written while it was not live", PATIENCE,
                    () -> "after".equals(first(app, "when can I get lunch")));
            assertThat(app.app().indexes().forSpace("default").content("acme", "after").orElseThrow().provenance().model())
                    .isEqualTo(MiniLmEmbeddingModel.ID);
            assertThat(app.get("/v1/admin/indexes/default/drift").json().getInt("drift")).isZero();
            assertThat(app.get("/v1/admin/indexes/default/drift?version=2").json().getInt("drift")).isZero();
        }
    }

    private static String first(TestApp app, String text) {
        TestApp.Response answer = app.post("/v1/tenants/acme/search", "application/json", "{\"text\": \"" + text + "\", \"k\": 1}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        var hits = answer.json().getJsonArray("hits");
        return hits.isEmpty() ? null : hits.getJsonObject(0).getString("documentId");
    }

    private static JsonObject version(TestApp app, int version) {
        return app.get("/v1/admin/indexes").json().getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(space -> space.getString("space").equals("default")).findFirst().orElseThrow()
                .getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .filter(v -> v.getInt("version") == version).findFirst().orElseThrow();
    }

    private static void put(TestApp app, String id, String body) {
        TestApp.Response answer = app.put("/v1/tenants/acme/documents/" + id, "{\"title\": \"Note\", \"body\": \"" + body + "\"}");
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
    }
}
