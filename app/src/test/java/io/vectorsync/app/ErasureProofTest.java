package io.vectorsync.app;

import io.vectorsync.json.Float32Base64;
import io.vectorsync.projections.index.FileScan;
import io.vectorsync.projections.index.VectorIndex;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure is physical (issue 21), on the embedded default (H2 store, key file, Lucene): documents carry unique markers
 * in their title, body and metadata and known vectors; some are erased. Then every file under the data directory is
 * scanned byte for byte: the erased documents' markers and vector bytes (float32 little-endian, and base64) are
 * nowhere, while the kept documents' markers are found where the index keeps passage text (the scan sees what is
 * stored). After a restart, a replay, a blue/green rebuild and a point-in-time build at a position before the
 * erasure, the erased documents are absent and the kept ones intact; written again, an erased id starts afresh.
 */
class ErasureProofTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    static final List<String> ERASED = List.of("e1", "e2", "e3");
    static final List<String> KEPT = List.of("k1", "k2", "k3");

    @TempDir
    Path dataDir;

    private Settings settings() {
        return TestApp.base(dataDir)
                .space("tiny", "client", 4, "euclidean", 64, 8) // euclidean: the index keeps the vectors as sent
                .put("vectorsync.default-space", "tiny")
                .settings();
    }

    @Test
    void erasedDocumentsLeaveNoCopyAndStayAbsentThroughReplaysRebuildsAndPointInTimeBuilds() throws Exception {
        long beforeErasure;
        try (TestApp app = TestApp.start(settings())) {
            for (String id : concat(ERASED, KEPT)) {
                TestApp.Response written = app.put("/v1/tenants/acme/documents/" + id, document(id, "first"));
                assertThat(written.status()).as(written.body()).isEqualTo(201);
            }
            TestApp.await("every document is searchable", PATIENCE, () -> found(app, null).size() == 6);
            beforeErasure = app.app().database().headPosition();
            // a point-in-time version built before the erasure holds the documents: the erasure must reach it too
            TestApp.Response pointInTime = app.post("/v1/admin/indexes/tiny/versions", "application/json",
                    "{\"until\": {\"position\": " + beforeErasure + "}}");
            assertThat(pointInTime.status()).as(pointInTime.body()).isEqualTo(202);
            awaitCaughtUp(app, 2);
            assertThat(found(app, 2)).hasSize(6);

            for (String id : ERASED) {
                TestApp.Response erased = app.delete("/v1/tenants/acme/documents/" + id + "?erase=true&wait=true");
                assertThat(erased.status()).as(erased.body()).isEqualTo(200);
                assertThat(erased.json().getString("result")).isEqualTo("erased");
                assertThat(erased.json().getBoolean("complete")).isTrue();
            }
            TestApp.Response again = app.delete("/v1/tenants/acme/documents/e1?erase=true");
            assertThat(again.json().getString("result")).isEqualTo("already_erased");

            TestApp.Response gone = app.get("/v1/tenants/acme/documents/e1");
            assertThat(gone.status()).as(gone.body()).isEqualTo(410);
            assertThat(gone.contentType()).startsWith("application/problem+json");
            assertThat(gone.json().getString("detail")).contains("erased");
            TestApp.Response history = app.get("/v1/tenants/acme/documents/e1/history");
            assertThat(history.status()).isEqualTo(200);
            List<JsonObject> events = history.json().getJsonArray("events").getValuesAs(JsonObject.class);
            assertThat(events).extracting(event -> event.getString("type"))
                    .containsExactly("DocumentCreated", "DocumentEmbedded", "DocumentErased");
            assertThat(events).allSatisfy(event -> assertThat(event.containsKey("position")).isTrue());
            assertThat(history.body()).doesNotContain(markers("e1").toArray(String[]::new));
            assertThat(app.get("/v1/tenants/acme/documents/k1").body()).contains("zqbodyk1");

            assertThat(found(app, null)).containsExactlyInAnyOrderElementsOf(KEPT);
            assertThat(found(app, 2)).as("the point-in-time version").containsExactlyInAnyOrderElementsOf(KEPT);
            JsonObject audit = app.get("/v1/admin/audit").json();
            assertThat(audit.toString()).contains("\"action\":\"erase\"").contains("documents/e2");
        }

        Map<String, List<Path>> leftovers = scan(dataDir, erasedNeedles());
        assertThat(leftovers).as("copies of erased content in the data directory").isEmpty();
        assertThat(scan(dataDir.resolve("index"), keptBodyNeedles()))
                .as("the scan sees the kept documents' passages where the index keeps them")
                .containsOnlyKeys(keptBodyNeedles().keySet());

        try (TestApp app = TestApp.start(settings())) {
            TestApp.Response replay = app.post("/v1/admin/processors/vector-index/replay", "application/json", "");
            assertThat(replay.status()).as(replay.body()).isEqualTo(202);
            TestApp.await("the replay rebuilt the live index", PATIENCE, () -> app.app().caughtUp("vector-index")
                    && found(app, null).size() == 3);
            assertThat(found(app, null)).containsExactlyInAnyOrderElementsOf(KEPT);

            TestApp.Response rebuild = app.post("/v1/admin/indexes/tiny/versions", "application/json", "{}");
            assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
            int rebuilt = rebuild.json().getInt("version");
            TestApp.Response rewound = app.post("/v1/admin/indexes/tiny/versions", "application/json",
                    "{\"until\": {\"position\": " + beforeErasure + "}}");
            assertThat(rewound.status()).as(rewound.body()).isEqualTo(202);
            int pointInTime = rewound.json().getInt("version");
            awaitCaughtUp(app, rebuilt);
            awaitCaughtUp(app, pointInTime);
            assertThat(found(app, pointInTime)).as("built from before the erasure, without the erased documents")
                    .containsExactlyInAnyOrderElementsOf(KEPT);
            VectorIndex then = app.app().versions().orElseThrow().index("tiny", pointInTime);
            assertThat(then.content("acme", "k1")).hasValueSatisfying(content ->
                    assertThat(content.chunks().getFirst().passage()).contains("zqbodyk1"));
            assertThat(then.content("acme", "e1")).isEmpty();
            TestApp.Response swapped = app.post("/v1/admin/indexes/tiny/versions/" + rebuilt + "/swap",
                    "application/json", "");
            assertThat(swapped.status()).as(swapped.body()).isEqualTo(200);
            assertThat(found(app, null)).containsExactlyInAnyOrderElementsOf(KEPT);
            TestApp.await("no drift", PATIENCE,
                    () -> app.get("/v1/admin/indexes/tiny/drift").json().getInt("drift") == 0);

            // the same id written again is a new document, sealed with a new key
            TestApp.Response rewritten = app.put("/v1/tenants/acme/documents/e1", document("e1", "second"));
            assertThat(rewritten.status()).as(rewritten.body()).isEqualTo(201);
            assertThat(rewritten.json().getString("result")).isEqualTo("created");
            JsonObject read = app.get("/v1/tenants/acme/documents/e1").json();
            assertThat(read.getString("body")).contains("second");
            TestApp.await("the new e1 is searchable", PATIENCE, () -> found(app, null).contains("e1"));
        }
    }

    /** The PUT body of a document: markers in its title, body and metadata, and its known vector. */
    static String document(String id, String round) {
        return "{\"title\": \"Title zqtitle" + id + "\", \"body\": \"The " + round + " body holds zqbody" + id
                + " for the test.\", \"metadata\": {\"owner\": \"zqmeta" + id + "\"}, \"vectors\": {\"space\": \"tiny\", "
                + "\"vector\": " + java.util.Arrays.toString(vector(id)) + "}}";
    }

    static float[] vector(String id) {
        int n = id.charAt(1) - '0' + (id.charAt(0) == 'e' ? 0 : 10);
        return new float[]{0.1234567f + n, -2.7182817f * n, 3.1415927f + n / 7f, 42.4242f - n};
    }

    static List<String> markers(String id) {
        return List.of("zqtitle" + id, "zqbody" + id, "zqmeta" + id);
    }

    /** What must be found nowhere: the erased documents' markers and their vectors' bytes. */
    static Map<String, byte[]> erasedNeedles() {
        Map<String, byte[]> needles = new LinkedHashMap<>();
        for (String id : ERASED) {
            for (String marker : markers(id)) {
                needles.put(marker, marker.getBytes(StandardCharsets.UTF_8));
            }
            float[] vector = vector(id);
            ByteBuffer bytes = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : vector) {
                bytes.putFloat(value);
            }
            needles.put(id + " vector, float32 little-endian", bytes.array());
            needles.put(id + " vector, base64", Float32Base64.encode(vector).getBytes(StandardCharsets.US_ASCII));
        }
        return needles;
    }

    static Map<String, byte[]> keptBodyNeedles() {
        Map<String, byte[]> needles = new LinkedHashMap<>();
        for (String id : KEPT) {
            needles.put("zqbody" + id, ("zqbody" + id).getBytes(StandardCharsets.UTF_8));
        }
        return needles;
    }

    /** Each needle found, with the files it is in; every regular file under {@code root} is read whole. */
    static Map<String, List<Path>> scan(Path root, Map<String, byte[]> needles) throws IOException {
        return FileScan.scan(root, needles);
    }

    /** The ids a k-NN search near every test vector finds, in the live index or a version. */
    static List<String> found(TestApp app, Integer version) {
        List<String> ids = new ArrayList<>();
        String query = "{\"space\": \"tiny\", \"vector\": [1, -10, 3, 40], \"k\": 20"
                + (version == null ? "" : ", \"indexVersion\": " + version) + "}";
        TestApp.Response answer = app.post("/v1/tenants/acme/search", "application/json", query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        answer.json().getJsonArray("hits").getValuesAs(JsonObject.class)
                .forEach(hit -> ids.add(hit.getString("documentId")));
        return ids;
    }

    private static void awaitCaughtUp(TestApp app, int version) {
        TestApp.await("version " + version + " caught up", PATIENCE, () -> {
            JsonObject tiny = app.get("/v1/admin/indexes").json().getJsonArray("spaces").getValuesAs(JsonObject.class)
                    .stream().filter(space -> space.getString("space").equals("tiny")).findFirst().orElseThrow();
            JsonObject progress = tiny.getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                    .filter(v -> v.getInt("version") == version).findFirst().orElseThrow().getJsonObject("progress");
            return progress != null && progress.getBoolean("caughtUp");
        });
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
