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

/** {@code /v1/admin/processors}: status per segment, pause, resume and replay, on the real app. */
class ProcessorAdminTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void listsEveryProcessingGroupWithItsSegments() {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            put(app, "a", "[1, 0, 0, 0]");
            TestApp.await("indexed", PATIENCE, () -> vectorIndex(app).getJsonArray("segments").getValuesAs(JsonObject.class)
                    .stream().allMatch(s -> s.getBoolean("caughtUp", false) && s.getInt("lagEvents", -1) == 0));

            JsonObject list = app.get("/v1/admin/processors").json();
            assertThat(list.getJsonArray("processors").getValuesAs(JsonObject.class))
                    .extracting(p -> p.getString("name"))
                    .containsExactly("encoder", "erasure", "hot-vector-cache", "vector-index");
            JsonObject cache = list.getJsonArray("processors").getJsonObject(2);
            assertThat(cache.getString("kind")).isEqualTo("subscribing");
            assertThat(cache.containsKey("segments")).isFalse();

            JsonObject index = vectorIndex(app);
            assertThat(index.getString("kind")).isEqualTo("streaming");
            assertThat(index.getBoolean("running")).isTrue();
            long head = index.getJsonNumber("head").longValue();
            assertThat(head).isGreaterThanOrEqualTo(1); // created, embedded
            List<JsonObject> segments = index.getJsonArray("segments").getValuesAs(JsonObject.class);
            assertThat(segments).extracting(s -> s.getInt("segment")).containsExactly(0, 1);
            assertThat(segments).allSatisfy(segment -> {
                assertThat(segment.getString("claimedBy")).isEqualTo("test-node");
                assertThat(segment.getJsonNumber("position").longValue()).isEqualTo(head);
                assertThat(segment.getJsonNumber("lagSeconds").doubleValue()).isZero();
                assertThat(segment.getBoolean("replaying")).isFalse();
            });
        }
    }

    @Test
    void aPausedGroupFallsBehindAndCatchesUpWhenResumed() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            JsonObject paused = app.post("/v1/admin/processors/vector-index/pause", "application/json", "").json();
            assertThat(paused.getBoolean("running")).isFalse();

            put(app, "a", "[1, 0, 0, 0]");
            put(app, "b", "[0, 1, 0, 0]");
            VectorIndex index = app.app().indexes().forSpace("tiny");
            assertThat(index.countDocuments("acme")).isZero();
            assertThat(app.get("/v1/admin/processors/vector-index").json().getJsonNumber("head").longValue())
                    .isGreaterThanOrEqualTo(3);

            TestApp.Response resumed = app.post("/v1/admin/processors/vector-index/resume", "application/json", "");
            assertThat(resumed.status()).isEqualTo(200);
            assertThat(resumed.json().getBoolean("running")).isTrue();
            TestApp.await("both indexed after the resume", PATIENCE, () -> index.countDocuments("acme") == 2);
        }
    }

    @Test
    void aReplayEmptiesTheIndexFirstAndRebuildsItFromTheLog() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            put(app, "a", "[1, 0, 0, 0]");
            put(app, "b", "[0, 1, 0, 0]");
            app.delete("/v1/tenants/acme/documents/b");
            VectorIndex index = app.app().indexes().forSpace("tiny");
            TestApp.await("indexed", PATIENCE, () -> index.version("acme", "a").isPresent()
                    && index.version("acme", "b").isPresent() && index.countDocuments("acme") == 1);
            // an entry the log never had: only emptying the index before the replay removes it
            index.apply(List.of(new IndexWrite.ReplaceChunks("acme", "orphan", 9, 1, "Orphan", Map.of(),
                    new Provenance("client", "client", 0, 0), List.of(new IndexChunk(0, "orphan", 0, 6, new float[]{0, 0, 1, 0})))));
            assertThat(index.countDocuments("acme")).isEqualTo(2);
            long bDeleted = index.version("acme", "b").orElseThrow();

            TestApp.Response replay = app.post("/v1/admin/processors/vector-index/replay", "application/json", "");

            assertThat(replay.status()).as(replay.body()).isEqualTo(202);
            TestApp.await("replayed", PATIENCE, () -> index.version("acme", "a").isPresent()
                    && index.version("acme", "b").equals(java.util.OptionalLong.of(bDeleted))
                    && index.countDocuments("acme") == 1 && index.version("acme", "orphan").isEmpty());
            TestApp.await("caught up", PATIENCE, () -> vectorIndex(app).getJsonArray("segments").getValuesAs(JsonObject.class)
                    .stream().allMatch(s -> s.getBoolean("caughtUp", false) && !s.getBoolean("replaying", true)));
        }
    }

    @Test
    void unknownGroupsAndGroupsWithoutAPositionAreProblems() {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).cache(true).settings())) {
            TestApp.Response unknown = app.post("/v1/admin/processors/nope/pause", "application/json", "");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.contentType()).startsWith("application/problem+json");
            assertThat(unknown.body()).contains("no processing group 'nope'");

            TestApp.Response subscribing = app.post("/v1/admin/processors/hot-vector-cache/replay", "application/json", "");
            assertThat(subscribing.status()).isEqualTo(409);
            assertThat(subscribing.contentType()).startsWith("application/problem+json");
            assertThat(subscribing.body()).contains("hot-vector-cache").contains("cannot be replayed");
        }
    }

    private static JsonObject vectorIndex(TestApp app) {
        return app.get("/v1/admin/processors/vector-index").json();
    }

    private static void put(TestApp app, String id, String vector) {
        TestApp.Response answer = app.put("/v1/tenants/acme/documents/" + id, "{\"title\": \"T\", \"body\": \"b\", "
                + "\"vectors\": {\"space\": \"tiny\", \"vector\": " + vector + "}}");
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
    }
}
