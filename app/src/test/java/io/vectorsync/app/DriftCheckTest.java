package io.vectorsync.app;

import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.Provenance;
import io.vectorsync.projections.index.VectorIndex;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/admin/indexes/{space}/drift}: the index against the log, document by document, and the repair. */
class DriftCheckTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void findsMissingStaleAndOrphanedDocumentsAndRepairsJustThose() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            for (int i = 0; i < 6; i++) {
                put(app, "d" + i, "en", i);
            }
            put(app, "d1", "de", 1); // a metadata change: d1 is at version 3
            VectorIndex index = app.app().indexes().forSpace("tiny");
            TestApp.await("indexed", PATIENCE, () -> index.version("acme", "d1").orElse(-1) == 3
                    && index.countDocuments("acme") == 6);
            assertThat(drift(app).getInt("drift")).isZero();
            assertThat(drift(app).getInt("inSync")).isEqualTo(6);

            // faults no processor would make: entries lost, one put back at an old version, one never logged
            index.clear();
            var chunk = List.of(new IndexChunk(0, "document 1", 0, 10, new float[]{1, 1, 1, 1}));
            index.apply(List.of(
                    new IndexWrite.ReplaceChunks("acme", "d1", 2, 1, "D", Map.of("lang", "en"), new Provenance("client", "client", 0, 0), chunk),
                    new IndexWrite.ReplaceChunks("acme", "ghost", 7, 1, "Ghost", Map.of(), new Provenance("client", "client", 0, 0), chunk)));

            JsonObject report = drift(app);
            assertThat(report.getInt("drift")).isEqualTo(7);
            JsonObject counts = report.getJsonObject("counts");
            assertThat(counts.getInt("missing")).isEqualTo(5);
            assertThat(counts.getInt("stale")).isEqualTo(1);
            assertThat(counts.getInt("orphaned")).isEqualTo(1);
            assertThat(counts.getInt("ahead")).isZero();
            assertThat(report.getJsonObject("examples").getJsonArray("stale").getJsonObject(0).getString("documentId"))
                    .isEqualTo("d1");

            TestApp.Response repaired = app.post("/v1/admin/indexes/tiny/drift/repair", "application/json", "");
            assertThat(repaired.status()).as(repaired.body()).isEqualTo(200);
            assertThat(repaired.json().getInt("repaired")).isEqualTo(7);
            assertThat(repaired.json().getInt("drift")).isZero();
            assertThat(index.version("acme", "d1")).hasValue(3);
            assertThat(index.content("acme", "d1").orElseThrow().metadata()).containsEntry("lang", "de");
            assertThat(index.content("acme", "ghost")).as("the orphan is a tombstone now").isEmpty();
            assertThat(index.countDocuments("acme")).isEqualTo(6);
            assertThat(app.get("/v1/admin/indexes/nope/drift").status()).isEqualTo(404);
        }
    }

    private static JsonObject drift(TestApp app) {
        TestApp.Response answer = app.get("/v1/admin/indexes/tiny/drift");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static void put(TestApp app, String id, String lang, int i) {
        TestApp.Response answer = app.put("/v1/tenants/acme/documents/" + id, "{\"title\": \"D\", \"body\": \"document " + i
                + "\", \"metadata\": {\"lang\": \"" + lang + "\"}, \"vectors\": {\"space\": \"tiny\", \"vector\": [1, " + i + ", 0, 1]}}");
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
    }
}
