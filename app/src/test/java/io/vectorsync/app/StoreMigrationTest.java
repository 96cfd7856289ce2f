package io.vectorsync.app;

import io.vectorsync.cli.VectorsyncCli;
import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.TestPostgres;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real app on its embedded store, moved to PostgreSQL with {@code vectorsync store migrate} and started again
 * over the same data directory: the same searches find the same passages with the same scores, every document has
 * the same history (positions included), the processors resume at the head instead of replaying (the Lucene
 * indexes' files stay as they were), and new writes go on from there.
 */
class StoreMigrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> DOCUMENTS = List.of("password", "garden", "revenue", "north", "east", "west");
    private static final List<String[]> SEARCHES = List.of(
            new String[]{"default", "{\"text\": \"I cannot log in, how do I get new login credentials?\", \"k\": 5}"},
            new String[]{"default", "{\"text\": \"plants\", \"filter\": {\"year\": {\"gte\": 2025}}}"},
            new String[]{"default", "{\"text\": \"quarterly revenue\", \"k\": 10}"},
            new String[]{"tiny", "{\"space\": \"tiny\", \"vector\": [0.9, 0.1, 0, 0], \"k\": 5}"},
            new String[]{"tiny", "{\"space\": \"tiny\", \"vector\": [0.1, 0, 1, 0], \"k\": 5}"});

    @TempDir
    Path dataDir;

    @Test
    void anEmbeddedStoreMovedToPostgresqlAnswersAsBeforeAndItsProcessorsResumeAtTheHead() throws Exception {
        Map<String, JsonValue> searches = new LinkedHashMap<>();
        Map<String, JsonObject> documents = new LinkedHashMap<>();
        Map<String, JsonValue> histories = new LinkedHashMap<>();
        long head;
        Map<String, Long> segments;
        Map<String, Long> indexFiles;
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            write(app, "password", """
                    {"title": "Resetting your password",
                     "body": "If you forgot your password, open Account settings and choose Reset password.",
                     "metadata": {"team": "support", "year": 2024}}""");
            write(app, "garden", """
                    {"title": "Tomatoes", "body": "Water tomato plants deeply twice a week.", "metadata": {"year": 2022}}""");
            write(app, "revenue", """
                    {"title": "Quarterly results", "body": "Revenue grew eleven percent in the third quarter."}""");
            write(app, "north", """
                    {"title": "North", "body": "points north", "vectors": {"space": "tiny", "vector": [1, 0, 0, 0]}}""");
            write(app, "east", """
                    {"title": "East", "body": "points east", "vectors": {"space": "tiny", "vector": [0, 1, 0, 0]}}""");
            write(app, "west", """
                    {"title": "West", "body": "points west", "vectors": {"space": "tiny", "vector": [0, 0, 1, 0]}}""");
            // a metadata change and a delete
            assertThat(app.put("/v1/tenants/acme/documents/garden", """
                    {"title": "Tomatoes", "body": "Water tomato plants deeply twice a week.", "metadata": {"year": 2025}}""")
                    .json().getString("result")).isEqualTo("metadata_changed");
            assertThat(app.delete("/v1/tenants/acme/documents/west").json().getString("result")).isEqualTo("deleted");
            // the first hits (all of them for the filtered and the vector searches) once every write is indexed
            List<List<String>> expected = List.of(List.of("password"), List.of("garden"), List.of("revenue"),
                    List.of("north", "east"), List.of("north", "east"));
            for (int i = 0; i < SEARCHES.size(); i++) {
                String request = SEARCHES.get(i)[1];
                List<String> first = expected.get(i);
                boolean all = i == 1 || i >= 3;
                try {
                    TestApp.await(request + " finds " + first, PATIENCE, () -> {
                        List<String> ids = ids(app, request);
                        return all ? ids.equals(first) : ids.size() >= first.size() && ids.subList(0, first.size()).equals(first);
                    });
                } catch (AssertionError e) {
                    assertThat(ids(app, request)).as(request).startsWith(first.toArray(String[]::new));
                    throw e;
                }
            }
            awaitCaughtUp(app);
            head = app.app().database().headPosition();
            for (String[] search : SEARCHES) {
                searches.put(search[1], hits(app, search[1]));
            }
            for (String id : DOCUMENTS) {
                documents.put(id, app.get("/v1/tenants/acme/documents/" + id).json());
                histories.put(id, app.get("/v1/tenants/acme/documents/" + id + "/history").json().get("events"));
            }
            segments = positions(app);
            assertThat(segments).as("before the migration").isNotEmpty().allSatisfy((segment, position) ->
                    assertThat(position).as(segment).isEqualTo(head));
        }
        indexFiles = indexFiles();

        StoreSettings postgres = TestPostgres.freshDatabase();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VectorsyncCli.run(new PrintWriter(out), new PrintWriter(err), "store", "migrate",
                "--from", dataDir.toString(), "--to", postgres.url(), "--progress", "none");
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("Verified");

        try (TestApp app = TestApp.start(TestApp.keys(dataDir).store(postgres).settings())) {
            assertThat(app.app().database().description()).startsWith("jdbc:postgresql:");
            assertThat(app.app().database().headPosition()).isEqualTo(head);
            TestApp.await("every segment claimed", PATIENCE, () -> positions(app).keySet().equals(segments.keySet()));
            assertThat(positions(app)).as("resumed at the head: no replay").allSatisfy((segment, position) ->
                    assertThat(position).as(segment).isEqualTo(head));
            awaitCaughtUp(app);
            assertThat(indexFiles()).as("the Lucene indexes were not rewritten").isEqualTo(indexFiles);

            for (String[] search : SEARCHES) {
                assertThat(hits(app, search[1])).as(search[1]).isEqualTo(searches.get(search[1]));
            }
            for (String id : DOCUMENTS) {
                assertThat(app.get("/v1/tenants/acme/documents/" + id).json()).as(id).isEqualTo(documents.get(id));
                assertThat(app.get("/v1/tenants/acme/documents/" + id + "/history").json().get("events"))
                        .as(id).isEqualTo(histories.get(id));
            }

            // new writes continue the log and are searchable
            TestApp.Response south = app.put("/v1/tenants/acme/documents/south", """
                    {"title": "South", "body": "points south", "vectors": {"space": "tiny", "vector": [0, 0, 0, 1]}}""");
            assertThat(south.status()).as(south.toString()).isEqualTo(201);
            // created and its client vectors recorded: the next two global indexes, no gap, no collision
            assertThat(app.get("/v1/tenants/acme/documents/south/history").json().getJsonArray("events")
                    .getValuesAs(JsonObject.class)).extracting(e -> e.getJsonNumber("position").longValue())
                    .containsExactly(head + 1, head + 2);
            TestApp.Response revised = app.put("/v1/tenants/acme/documents/revenue", """
                    {"title": "Quarterly results", "body": "Sales of subscriptions doubled in Europe this quarter."}""");
            assertThat(revised.json().getString("result")).isEqualTo("revised");
            TestApp.await("the new writes searchable", PATIENCE, () ->
                    ids(app, "{\"space\": \"tiny\", \"vector\": [0, 0, 0.1, 1], \"k\": 1}").equals(List.of("south"))
                            && passage(app, "{\"text\": \"subscriptions in Europe\", \"k\": 1}").contains("doubled"));
            awaitCaughtUp(app);
            assertThat(positions(app)).allSatisfy((segment, position) ->
                    assertThat(position).as(segment).isGreaterThan(head + 1));
        }
    }

    private static void write(TestApp app, String id, String json) {
        TestApp.Response response = app.put("/v1/tenants/acme/documents/" + id, json);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    private static JsonValue hits(TestApp app, String request) {
        TestApp.Response response = app.post("/v1/tenants/acme/search", "application/json", request);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("hits");
    }

    private static List<String> ids(TestApp app, String request) {
        return hits(app, request).asJsonArray().stream().map(v -> v.asJsonObject().getString("documentId")).toList();
    }

    private static String passage(TestApp app, String request) {
        var hits = hits(app, request).asJsonArray();
        return hits.isEmpty() ? "" : hits.getJsonObject(0).getJsonObject("passage").getString("text");
    }

    private static void awaitCaughtUp(TestApp app) {
        TestApp.await("the processors caught up", PATIENCE, () ->
                app.app().caughtUp("encoder") && app.app().caughtUp("vector-index"));
    }

    /** The position of every claimed segment of the tracking processors, as the admin API shows them. */
    private static Map<String, Long> positions(TestApp app) {
        Map<String, Long> positions = new TreeMap<>();
        for (String processor : List.of("encoder", "vector-index")) {
            JsonObject status = app.get("/v1/admin/processors/" + processor).json();
            for (JsonObject segment : status.getJsonArray("segments").getValuesAs(JsonObject.class)) {
                if (segment.containsKey("position") && !segment.isNull("position")) {
                    assertThat(segment.getBoolean("replaying")).as(processor + " replaying").isFalse();
                    positions.put(processor + "/" + segment.getInt("segment"), segment.getJsonNumber("position").longValue());
                }
            }
        }
        return positions;
    }

    /**
     * Every data file of the Lucene indexes with its size: a document written again lands in a new segment
     * (a commit without changes only writes a new {@code segments_N}, which is left out).
     */
    private Map<String, Long> indexFiles() throws IOException {
        Path index = dataDir.resolve("index");
        try (Stream<Path> files = Files.walk(index)) {
            Map<String, Long> sizes = new TreeMap<>();
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("write.lock") && !f.getFileName().toString().startsWith("segments_")).toList()) {
                sizes.put(index.relativize(file).toString(), Files.size(file));
            }
            assertThat(sizes).isNotEmpty();
            return sizes;
        }
    }
}
