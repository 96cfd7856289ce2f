package io.vectorsync.app;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentMetadataChanged;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import jakarta.json.JsonObject;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/admin/dead-letters}: a poison event blocks only its document, is listed with its cause and attempts,
 * stays through a failed retry, and flows with the events behind it once the cause is fixed and it is retried.
 */
class DeadLetterAdminTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void aPoisonEventWaitsWithItsDocumentAndFlowsOnceTheCauseIsFixedAndItIsRetried() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            // vectors for a space this node does not have (yet): a configuration the operator fixes
            poison(app, "poison");
            app.put("/v1/tenants/acme/documents/healthy", """
                    {"title": "Healthy", "body": "fine", "vectors": {"space": "tiny", "vector": [0, 0, 1, 0]}}""");
            TestApp.await("the healthy document flows past the poison one", PATIENCE,
                    () -> app.app().indexes().forSpace("tiny").version("acme", "healthy").isPresent());
            TestApp.await("both events of the poison document are dead letters", PATIENCE,
                    () -> letters(app).getInt("letters") == 2);

            JsonObject groups = app.get("/v1/admin/dead-letters").json();
            assertThat(groups.getJsonArray("groups").getValuesAs(JsonObject.class))
                    .anySatisfy(group -> {
                        assertThat(group.getString("group")).isEqualTo("vector-index");
                        assertThat(group.getInt("sequences")).isEqualTo(1);
                        assertThat(group.getInt("letters")).isEqualTo(2);
                    });
            JsonObject sequence = letters(app).getJsonArray("sequences").getJsonObject(0);
            assertThat(sequence.getString("sequence")).isEqualTo("acme/poison");
            JsonObject first = sequence.getJsonArray("letters").getJsonObject(0);
            assertThat(first.getString("eventType")).isEqualTo("DocumentEmbedded");
            assertThat(first.getJsonNumber("sequenceNumber").longValue()).isZero();
            assertThat(first.getJsonObject("cause").getString("message")).contains("extra");
            assertThat(first.getInt("attempts")).isEqualTo(1);
            assertThat(first.getJsonObject("payload").getString("space")).isEqualTo("extra");
            assertThat(sequence.getJsonArray("letters").getJsonObject(1).getString("eventType"))
                    .isEqualTo("DocumentMetadataChanged");

            JsonObject retried = app.post("/v1/admin/dead-letters/vector-index/retry", "application/json", "").json();
            assertThat(retried.getInt("sequencesTried")).isEqualTo(1);
            assertThat(retried.getInt("sequencesCleared")).as("the cause is still there").isZero();
            assertThat(retried.getInt("lettersLeft")).isEqualTo(2);
            assertThat(letters(app).getJsonArray("sequences").getJsonObject(0).getJsonArray("letters")
                    .getJsonObject(0).getInt("attempts")).isEqualTo(2);
        }
        // the fix: the node now has the space; dead letters survived the restart
        try (TestApp app = TestApp.start(withExtraSpace(dataDir))) {
            assertThat(letters(app).getInt("letters")).isEqualTo(2);

            JsonObject retried = app.post("/v1/admin/dead-letters/vector-index/retry?sequence=acme/poison",
                    "application/json", "").json();

            assertThat(retried.getInt("sequencesCleared")).isEqualTo(1);
            assertThat(retried.getInt("lettersLeft")).isZero();
            var extra = app.app().indexes().forSpace("extra");
            assertThat(extra.version("acme", "poison")).as("the event behind it went through too").hasValue(2);
            assertThat(extra.content("acme", "poison").orElseThrow().metadata()).containsEntry("fixed", true);
        }
    }

    @Test
    void aDeadLetterCanBeEvictedAndUnknownOnesAreProblems() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            poison(app, "doomed");
            TestApp.await("dead-lettered", PATIENCE, () -> letters(app).getInt("letters") == 2);
            String id = letters(app).getJsonArray("sequences").getJsonObject(0).getJsonArray("letters")
                    .getJsonObject(0).getString("id");

            TestApp.Response evicted = app.delete("/v1/admin/dead-letters/vector-index/letters/" + id);

            assertThat(evicted.status()).as(evicted.body()).isEqualTo(200);
            assertThat(evicted.json().getInt("lettersLeft")).isEqualTo(1);
            TestApp.Response again = app.delete("/v1/admin/dead-letters/vector-index/letters/" + id);
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(app.get("/v1/admin/dead-letters/nope").status()).isEqualTo(404);
            TestApp.Response noSuchSequence = app.post("/v1/admin/dead-letters/vector-index/retry?sequence=acme/none",
                    "application/json", "");
            assertThat(noSuchSequence.status()).isEqualTo(404);
            assertThat(noSuchSequence.body()).contains("acme/none");
        }
    }

    static void poison(TestApp app, String documentId) {
        var embedded = new DocumentEmbedded("acme", documentId, 1, "extra",
                new EmbeddingProvenance("client", null, true, ChunkerSettings.CLIENT), 4, "Poison", Map.of(),
                List.of(EmbeddedChunk.of(0, 0, 3, "bad", new float[]{1, 0, 0, 0})));
        String aggregate = "acme/" + documentId;
        app.app().eventStore().publish(new GenericDomainEventMessage<>("Document", aggregate, 0, embedded));
        app.app().eventStore().publish(new GenericDomainEventMessage<>("Document", aggregate, 1,
                new DocumentMetadataChanged("acme", documentId, Map.of("fixed", Boolean.TRUE))));
    }

    private static JsonObject letters(TestApp app) {
        return app.get("/v1/admin/dead-letters/vector-index").json();
    }

    /** {@link TestApp#keys} with a third space, {@code extra}, for client vectors of 4 dimensions. */
    static Settings withExtraSpace(Path dataDir) {
        return TestApp.keys(dataDir).clientSpace("extra", 4).settings();
    }
}
