package io.vectorsync.app;

import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two processes' worth of Vectorsync in one JVM, on one PostgreSQL store and one OpenSearch, with their roles split
 * (issue 16): node A takes writes and serves the admin API and runs no processor; node B runs the processors and
 * serves searches. A write acknowledged by A is found by a search on B that names its position (read-your-writes
 * through the token store), and each node answers only its own APIs.
 */
class NodeRolesTest {

    @Test
    void aCommandNodeAndAProjectorQueryNodeShareTheStoreAndTheIndex(@TempDir Path dirA, @TempDir Path dirB) {
        StoreSettings store = TestPostgres.freshDatabase();
        String prefix = "roles-" + UUID.randomUUID().toString().substring(0, 8);
        String opensearch = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(opensearch).as("VECTORSYNC_TEST_OPENSEARCH_URL: run the tests with bin/test").isNotBlank();
        Settings commandNode = TestApp.keys(dirA).store(store).opensearch(opensearch, prefix, 1, 0)
                .put("vectorsync.node.id", "node-a").put("vectorsync.node.roles", "command,admin").settings();
        Settings projectorNode = TestApp.keys(dirB).store(store).opensearch(opensearch, prefix, 1, 0)
                .put("vectorsync.node.id", "node-b").put("vectorsync.node.roles", "projector, query").settings();

        try (TestApp a = TestApp.start(commandNode)) {
            try (TestApp b = TestApp.start(projectorNode)) {
                writtenOnOneFoundOnTheOther(a, b);
            }
            assertThat(a.app().streamingPosition("vector-index")).as("no projector left: the write gate opens")
                    .isEmpty();
        }
    }

    private static void writtenOnOneFoundOnTheOther(TestApp a, TestApp b) {
        {
            assertThat(a.app().processors()).as("node A runs no processor").isEmpty();
            assertThat(b.app().processors()).containsKeys("encoder", "vector-index");

            long position = -1;
            for (int i = 0; i < 20; i++) {
                TestApp.Response written = a.put("/v1/tenants/acme/documents/d" + i, "{\"title\":\"d" + i
                        + "\",\"body\":\"b\"," + PostgresStoreTest.TINY.formatted(vector(i)) + "}");
                assertThat(written.status()).isEqualTo(201);
                position = Math.max(position, written.json().getJsonNumber("position").longValue());
            }
            for (int i = 0; i < 20; i += 7) {
                JsonObject search = b.post("/v1/tenants/acme/search", "application/json", "{\"vector\":["
                        + vector(i) + "],\"space\":\"tiny\",\"k\":1,\"consistentWith\":" + position + "}").json();
                assertThat(search.getJsonArray("hits").getJsonObject(0).getString("documentId"))
                        .as("written on A, searched on B").isEqualTo("d" + i);
            }

            long lastWrite = position;
            // B stores a segment's token with its batch, or within a claim extension (500 ms) when it had no event
            TestApp.await("A, which runs no processor, reads B's progress from the token store", Duration.ofSeconds(5),
                    () -> a.app().position("vector-index") >= lastWrite);
            assertThat(a.app().streamingPosition("vector-index").orElse(-1)).as("A's write gate sees B's progress")
                    .isGreaterThanOrEqualTo(position);

            assertThat(b.put("/v1/tenants/acme/documents/x", "{\"body\":\"b\"}").status())
                    .as("B has no command API").isEqualTo(404);
            assertThat(b.get("/v1/admin/processors").status()).as("B has no admin API").isEqualTo(404);
            TestApp.Response nobody = a.get("/v1/admin/indexes");
            assertThat(nobody.status()).as("no node runs the index versions and serves the admin API: " + nobody.body())
                    .isEqualTo(503);
            assertThat(nobody.body()).contains("no-admin-projector");
            assertThat(a.post("/v1/tenants/acme/search", "application/json", "{\"vector\":[1,0,0,0],"
                    + "\"space\":\"tiny\"}").status()).as("A has no query API").isEqualTo(404);
            assertThat(a.app().database().segmentOwners("vector-index").values()).as("B claims every segment")
                    .containsOnly("node-b");
            assertThat(a.get("/health/ready").status()).isEqualTo(200);
            assertThat(b.get("/health/ready").status()).isEqualTo(200);

            // another process's commit reaches B's processors within a look of its event reader (100 ms on a
            // shared store, not Axon's default second), and B counts the segments it runs as they stand (an idle
            // segment's stored token moves only every claim extension: up to 5 s before)
            List<Long> pickedUpMillis = new java.util.ArrayList<>();
            for (int i = 20; i < 31; i++) {
                TestApp.Response written = a.put("/v1/tenants/acme/documents/d" + i, "{\"title\":\"d" + i
                        + "\",\"body\":\"b\"," + PostgresStoreTest.TINY.formatted(vector(i)) + "}");
                long acknowledged = System.nanoTime();
                long at = written.json().getJsonNumber("position").longValue();
                TestApp.await("B indexed d" + i, Duration.ofSeconds(10), () -> b.app().position("vector-index") >= at);
                pickedUpMillis.add((System.nanoTime() - acknowledged) / 1_000_000);
            }
            pickedUpMillis.sort(null);
            assertThat(pickedUpMillis.get(pickedUpMillis.size() / 2)).as("median ms from A's acknowledgement until B "
                    + "processed the write " + pickedUpMillis).isLessThan(400);
        }
    }

    @Test
    void twoProjectorsShareTheSegmentsAndTheClusterListsEveryNode(@TempDir Path dirA, @TempDir Path dirB,
                                                                  @TempDir Path dirC) {
        StoreSettings store = TestPostgres.freshDatabase();
        String prefix = "share-" + UUID.randomUUID().toString().substring(0, 8);
        String opensearch = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(opensearch).as("VECTORSYNC_TEST_OPENSEARCH_URL: run the tests with bin/test").isNotBlank();
        SettingsKeys admin = TestApp.keys(dirA).store(store).opensearch(opensearch, prefix, 1, 0)
                .put("vectorsync.node.id", "admin-1").put("vectorsync.node.roles", "command,admin");
        try (TestApp a = TestApp.start(admin.settings());
             TestApp b = TestApp.start(projector(dirB, store, opensearch, prefix, "projector-1", "projector,admin"))) {
            TestApp.await("projector-1 claims both segments", Duration.ofSeconds(30),
                    () -> owners(a).equals(Map.of(0, Optional.of("projector-1"), 1, Optional.of("projector-1"))));
            try (TestApp c = TestApp.start(projector(dirC, store, opensearch, prefix, "projector-2", "projector"))) {
                TestApp.await("each projector holds one segment of vector-index", Duration.ofSeconds(60),
                        () -> Set.copyOf(owners(a).values()).equals(Set.of(Optional.of("projector-1"),
                                Optional.of("projector-2"))));
                JsonObject cluster = a.get("/v1/admin/cluster").json();
                Map<String, String> roles = new java.util.TreeMap<>();
                cluster.getJsonArray("nodes").getValuesAs(JsonObject.class).forEach(node -> {
                    assertThat(node.getBoolean("live")).as(node.getString("id") + " is live").isTrue();
                    roles.put(node.getString("id"), node.getString("roles"));
                });
                assertThat(roles).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("admin-1", "command,admin",
                        "projector-1", "projector,admin", "projector-2", "projector")));
                assertThat(cluster.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                        .filter(node -> node.getString("id").equals("projector-2")).findFirst().orElseThrow()
                        .getJsonObject("segments").getJsonArray("vector-index")).hasSize(1);

                pauseResumeAndReplayFromANodeThatRunsNoProcessor(a, b, c);
                rebuildAndSwapFromANodeThatRunsNoProcessor(a, b, c);
            }
            JsonObject after = a.get("/v1/admin/cluster").json();
            assertThat(after.getJsonArray("nodes").getValuesAs(JsonObject.class)).as("a node that stops leaves")
                    .extracting(node -> node.getString("id")).containsExactly("admin-1", "projector-1");
        }
    }

    /**
     * The admin node runs no processor, yet its pause stops vector-index on both projectors, its resume starts it on
     * both, and its replay resets the tokens of every segment once both have stopped (one of them performs it).
     */
    private static void pauseResumeAndReplayFromANodeThatRunsNoProcessor(TestApp a, TestApp b, TestApp c) {
        for (int i = 0; i < 10; i++) {
            assertThat(a.put("/v1/tenants/acme/documents/p" + i, "{\"title\":\"p" + i + "\",\"body\":\"b\","
                    + PostgresStoreTest.TINY.formatted(vector(i)) + "}").status()).isEqualTo(201);
        }
        TestApp.await("both projectors indexed the documents", Duration.ofSeconds(30),
                () -> b.app().indexes().forSpace("tiny").countDocuments("acme") == 10);

        TestApp.Response paused = a.post("/v1/admin/processors/vector-index/pause", "application/json", "");
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().getString("heldFor")).isEqualTo("paused by an operator");
        assertThat(paused.json().getBoolean("elsewhere")).as("node A knows it from its tokens").isTrue();
        TestApp.await("vector-index stops on both projectors", Duration.ofSeconds(10),
                () -> !b.app().processors().get("vector-index") && !c.app().processors().get("vector-index")
                        && owners(a).values().stream().allMatch(Optional::isEmpty));
        assertThat(a.post("/v1/admin/processors/vector-index/pause", "application/json", "").status())
                .as("held already").isEqualTo(409);
        assertThat(a.put("/v1/tenants/acme/documents/p10", "{\"title\":\"p10\",\"body\":\"b\","
                + PostgresStoreTest.TINY.formatted(vector(10)) + "}").status()).isEqualTo(201);

        assertThat(a.post("/v1/admin/processors/vector-index/resume", "application/json", "").status()).isEqualTo(200);
        TestApp.await("vector-index runs on both projectors again and indexes what was written meanwhile",
                Duration.ofSeconds(30), () -> b.app().processors().get("vector-index")
                        && c.app().processors().get("vector-index")
                        && b.app().indexes().forSpace("tiny").countDocuments("acme") == 11);

        TestApp.Response replay = a.post("/v1/admin/processors/vector-index/replay", "application/json", "");
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        TestApp.await("every segment was reset: each holds a replay token", Duration.ofSeconds(30), () ->
                a.app().database().storedTokens("vector-index", a.app().axon().eventSerializer()).values().stream()
                        .allMatch(token -> token instanceof org.axonframework.eventhandling.ReplayToken));
        TestApp.await("both projectors run it again and the index is whole", Duration.ofSeconds(60),
                () -> b.app().processors().get("vector-index") && c.app().processors().get("vector-index")
                        && b.app().indexes().forSpace("tiny").countDocuments("acme") == 11
                        && a.app().database().processorHolds().all().isEmpty());
    }

    /**
     * The admin node sends the index-version requests on to projector-1 (projector and admin): a rebuild there is fed
     * by both projectors (each follows the registry), and the swap stops vector-index on both before it moves the
     * aliases; the version that was live goes on being fed on both.
     */
    private static void rebuildAndSwapFromANodeThatRunsNoProcessor(TestApp a, TestApp b, TestApp c) {
        int before = liveVersion(a); // the replay before moved it on
        TestApp.Response rebuilt = a.post("/v1/admin/indexes/tiny/versions", "application/json", "{}");
        assertThat(rebuilt.status()).as(rebuilt.body()).isEqualTo(202);
        int version = rebuilt.json().getInt("version");
        assertThat(version).isGreaterThan(before);
        assertThat(a.app().versions()).as("node A runs no index version: projector-1 answered").isEmpty();
        TestApp.await("both projectors feed the new version", Duration.ofSeconds(60), () -> claimers(a, "index-tiny-v" + version)
                .equals(Set.of("projector-1", "projector-2")));
        TestApp.await("the new version caught up", Duration.ofSeconds(60), () -> a.app().database()
                .processedPosition("index-tiny-v" + version, a.app().axon().eventSerializer()) >= a.app().log().headPosition());

        TestApp.Response swapped = a.post("/v1/admin/indexes/tiny/versions/" + version + "/swap", "application/json", "");
        assertThat(swapped.status()).as(swapped.body()).isEqualTo(200);
        assertThat(liveVersion(a)).isEqualTo(version);
        TestApp.await("both projectors feed the old version, kept for a rollback, and neither the new one",
                Duration.ofSeconds(60), () -> claimers(a, "index-tiny-v" + before)
                        .equals(Set.of("projector-1", "projector-2"))
                        && c.app().versions().orElseThrow().processors().keySet().equals(Set.of("index-tiny-v" + before)));
        assertThat(a.put("/v1/tenants/acme/documents/after-swap", "{\"title\":\"s\",\"body\":\"b\","
                + PostgresStoreTest.TINY.formatted(vector(3)) + "}").status()).isEqualTo(201);
        TestApp.await("a write after the swap reaches the new live version", Duration.ofSeconds(30),
                () -> b.app().indexes().forSpace("tiny").countDocuments("acme") == 12);
        assertThat(a.get("/v1/admin/dead-letters").status()).as("dead letters are answered by projector-1 too")
                .isEqualTo(200);
    }

    /** The nodes claiming segments of a processor ("(none)" for an unclaimed one). */
    private static Set<String> claimers(TestApp app, String processor) {
        Set<String> claimers = new java.util.HashSet<>();
        app.app().database().segmentOwners(processor).values()
                .forEach(owner -> claimers.add(owner == null ? "(none)" : owner));
        return claimers;
    }

    private static int liveVersion(TestApp app) {
        TestApp.Response indexes = app.get("/v1/admin/indexes");
        assertThat(indexes.status()).as(indexes.body()).isEqualTo(200);
        return indexes.json().getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(space -> space.getString("space").equals("tiny")).findFirst().orElseThrow().getInt("liveVersion");
    }

    private static Settings projector(Path dir, StoreSettings store, String opensearch, String prefix, String id,
                                      String roles) {
        return TestApp.keys(dir).store(store).opensearch(opensearch, prefix, 1, 0).put("vectorsync.node.id", id)
                .put("vectorsync.node.roles", roles).settings();
    }

    /** Who claims each segment of {@code vector-index} (empty: nobody). */
    private static Map<Integer, Optional<String>> owners(TestApp app) {
        Map<Integer, Optional<String>> owners = new java.util.HashMap<>();
        app.app().database().segmentOwners("vector-index").forEach((segment, owner) ->
                owners.put(segment, Optional.ofNullable(owner)));
        return owners;
    }

    @Test
    void rolesAreCheckedWhenTheSettingsAreRead(@TempDir Path dir) {
        assertThat(TestApp.keys(dir).settings().node().roles().all()).isTrue();
        assertThat(Settings.of(Map.of("vectorsync.spaces.0.name", "s", "vectorsync.spaces.0.dimension", "4"))
                .nodeId()).as("unique per process by default").matches(ProcessHandle.current().pid() + "@.+");
        assertThatThrownBy(() -> TestApp.keys(dir).put("vectorsync.node.roles", "query,reader").settings())
                .hasMessageContaining("'reader' is not a role");
        assertThatThrownBy(() -> TestApp.keys(dir).put("vectorsync.node.roles", "query").settings())
                .hasMessageContaining("needs a store the other nodes share");
        assertThatThrownBy(() -> TestApp.keys(dir).store(new StoreSettings("jdbc:postgresql://localhost/x", null, null,
                4)).put("vectorsync.node.roles", "query").settings())
                .hasMessageContaining("needs an index the other nodes share");
        assertThatThrownBy(() -> TestApp.keys(dir).remove("vectorsync.node.id").put("vectorsync.node-id", "old").settings())
                .hasMessageContaining("vectorsync.node-id is now vectorsync.node.id");
        assertThatThrownBy(() -> TestApp.keys(dir).put("vectorsync.processors.claim-timeout-ms", "10").settings())
                .hasMessageContaining("at least 1000");
    }

    private static String vector(int i) {
        double angle = i * 0.3;
        return Math.cos(angle) + "," + Math.sin(angle) + "," + (i % 3) * 0.1 + ",0.05";
    }
}
