package io.vectorsync.app;

import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster of issue 16 on loopback: one PostgreSQL store, the two-node OpenSearch pair of {@code bin/test} (one
 * replica, both endpoints) and three app JVMs with their own ports and node ids: this one as the command and query
 * node, and two projector-and-admin nodes in processes of their own. While 5,000 documents are written through the
 * command node, a blue/green rebuild (swapping itself live once caught up) is started on one projector, and the other
 * projector is killed with -9 and later restarted. Afterwards every acknowledged document is in the log once and in
 * the live index (no loss, no duplicate, drift 0), the killed node's segments moved within the claim timeout plus a
 * claim interval, and the restarted node has its share again.
 */
class MultiNodeTest {

    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(3);
    private static final int DOCUMENTS = 5_000;
    private static final Duration AFTER_THE_KILL = Duration.ofSeconds(180);
    private static final String TENANT = "multi";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void threeNodesIngestThroughAKilledProjectorAndARebuildWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        String endpoints = System.getenv("VECTORSYNC_TEST_OPENSEARCH_CLUSTER_URLS");
        assertThat(endpoints).as("VECTORSYNC_TEST_OPENSEARCH_CLUSTER_URLS: the two-node pair; run the tests with "
                + "bin/test").isNotBlank();
        assertThat(endpoints.split(",")).hasSize(2);
        awaitTwoNodesGreen(endpoints.split(",")[0]);
        StoreSettings store = TestPostgres.freshDatabase();
        String prefix = "multi-" + UUID.randomUUID().toString().substring(0, 8);
        int port1 = AppProcess.freePort();
        int port2 = AppProcess.freePort();
        Map<Integer, Process> projectors = new HashMap<>();
        try {
            projectors.put(port1, projector(store, dir, prefix, endpoints, "projector-1", port1));
            projectors.put(port2, projector(store, dir, prefix, endpoints, "projector-2", port2));
            AppProcess.awaitUp(port1);
            AppProcess.awaitUp(port2);
            try (TestApp front = TestApp.start(TestApp.base(dir.resolve("front"))
                    .space("default", "all-minilm-l6-v2", 384, "cosine", 200, 20).store(store)
                    .opensearch(endpoints, prefix, 1, 1)
                    .put("vectorsync.node.id", "front-1").put("vectorsync.node.roles", "command,query")
                    .put("vectorsync.processors.claim-timeout-ms", CLAIM_TIMEOUT.toMillis()).settings())) {
                TestApp.await("the projectors share vector-index's segments", Duration.ofSeconds(90),
                        () -> owners(front, "vector-index").equals(Set.of("projector-1", "projector-2")));
                int frontPort = Integer.parseInt(front.baseUrl().substring(front.baseUrl().lastIndexOf(':') + 1));

                Set<String> acknowledged;
                long failoverMillis;
                try (AppProcess.Writers writers = new AppProcess.Writers(frontPort, TENANT, 3)) {
                    writers.awaitAcknowledged(1_000);
                    JsonObject rebuild = post(port1, "/v1/admin/indexes/default/versions", "{\"autoSwap\": true}");
                    assertThat(rebuild.getInt("version")).as(rebuild.toString()).isEqualTo(2);

                    writers.awaitAcknowledged(2_000);
                    Process killed = projectors.get(port2);
                    killed.destroyForcibly(); // SIGKILL: its claims stay until they time out
                    long killedAt = System.nanoTime();
                    assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    TestApp.await("projector-1 claims every segment of vector-index", Duration.ofSeconds(60),
                            () -> owners(front, "vector-index").equals(Set.of("projector-1")));
                    failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;

                    // a swap that starts now waits up to 30 s for the killed node (live for 10 s more) while it
                    // holds vector-index everywhere, and the write gate holds writes meanwhile: give it that long
                    writers.awaitAcknowledged(3_500, AFTER_THE_KILL);
                    projectors.put(port2, projector(store, dir, prefix, endpoints, "projector-2", port2));
                    AppProcess.awaitUp(port2);
                    writers.awaitAcknowledged(DOCUMENTS, AFTER_THE_KILL);
                    writers.close();
                    acknowledged = Set.copyOf(writers.acknowledged);
                }
                System.out.printf("multi-node: failover in %d ms (claim timeout %d ms); %d documents acknowledged%n",
                        failoverMillis, CLAIM_TIMEOUT.toMillis(), acknowledged.size());
                assertThat(failoverMillis).as("within the claim timeout plus a claim interval (5 s), with slack")
                        .isLessThan(CLAIM_TIMEOUT.toMillis() + 5_000 + 7_000);
                assertThat(acknowledged.size()).isGreaterThanOrEqualTo(DOCUMENTS);

                TestApp.await("the rebuild swapped itself live", Duration.ofSeconds(120),
                        () -> liveVersion(port1) == 2);
                TestApp.await("the segments are balanced again: two each of vector-index", Duration.ofSeconds(90), () -> {
                    Map<Integer, String> segments = front.app().database().segmentOwners("vector-index");
                    long mine = segments.values().stream().filter("projector-1"::equals).count();
                    long theirs = segments.values().stream().filter("projector-2"::equals).count();
                    return mine + theirs == segments.size() && Math.abs(mine - theirs) <= 1 && theirs > 0;
                });
                TestApp.await("both projectors feed version 1, kept for a rollback", Duration.ofSeconds(90),
                        () -> owners(front, "index-default-v1").equals(Set.of("projector-1", "projector-2")));

                for (String id : acknowledged) {
                    List<String> types = new ArrayList<>();
                    front.get("/v1/tenants/" + TENANT + "/documents/" + id + "/history").json().getJsonArray("events")
                            .getValuesAs(JsonObject.class).forEach(event -> types.add(event.getString("type")));
                    assertThat(types).as(id + ": written once").containsExactly("DocumentCreated", "DocumentEmbedded");
                }
                for (int port : List.of(port1, port2)) {
                    TestApp.await("the live index agrees with the log, as " + port + " sees it", Duration.ofSeconds(120),
                            () -> {
                                JsonObject drift = AppProcess.get(port, "/v1/admin/indexes/default/drift");
                                return drift.getInt("drift", -1) == 0 && drift.getInt("inSync", -1) == acknowledged.size();
                            });
                }
                TestApp.await("version 1 agrees with the log too", Duration.ofSeconds(120), () -> {
                    JsonObject drift = AppProcess.get(port1, "/v1/admin/indexes/default/drift?version=1");
                    return drift.getInt("drift", -1) == 0 && drift.getInt("inSync", -1) == acknowledged.size();
                });
                assertThat(front.app().indexes().forSpace("default").documentVersions(TENANT).keySet())
                        .as("every acknowledged document in the live index, and nothing else").isEqualTo(acknowledged);
            }
        } finally {
            for (Process process : projectors.values()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** A projector-and-admin node in a process of its own, on the shared store and the OpenSearch pair. */
    private static Process projector(StoreSettings store, Path dir, String prefix, String endpoints, String id,
                                     int port) throws IOException {
        return AppProcess.start(store.url(), dir.resolve(id), port, dir.resolve(id + ".log"), Map.of(
                "VECTORSYNC_NODE_ID", id,
                "VECTORSYNC_NODE_ROLES", "projector,admin",
                "VECTORSYNC_INDEX_KIND", "opensearch",
                "VECTORSYNC_INDEX_OPENSEARCH_ENDPOINTS", endpoints,
                "VECTORSYNC_INDEX_OPENSEARCH_INDEX_dash_PREFIX", prefix,
                "VECTORSYNC_INDEX_OPENSEARCH_REPLICAS", "1",
                "VECTORSYNC_PROCESSORS_CLAIM_dash_TIMEOUT_dash_MS", Long.toString(CLAIM_TIMEOUT.toMillis())));
    }

    /** The nodes that claim segments of the processor (an unclaimed segment counts as "(none)"). */
    private static Set<String> owners(TestApp app, String processor) {
        Set<String> owners = new HashSet<>();
        app.app().database().segmentOwners(processor).values().forEach(owner -> owners.add(owner == null ? "(none)" : owner));
        return owners;
    }

    private static int liveVersion(int port) {
        JsonObject indexes = AppProcess.get(port, "/v1/admin/indexes");
        return indexes.getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(space -> space.getString("space").equals("default"))
                .mapToInt(space -> space.getInt("liveVersion")).findFirst().orElse(-1);
    }

    private static JsonObject post(int port, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return jakarta.json.Json.createReader(new java.io.StringReader(response.body())).readObject();
    }

    /** The pair may be recovering from another test that stopped a node: both nodes and every shard, first. */
    private static void awaitTwoNodesGreen(String url) throws IOException, InterruptedException {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(url
                        + "/_cluster/health?wait_for_nodes=2&wait_for_status=green&timeout=90s"))
                .timeout(Duration.ofSeconds(100)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).as("the OpenSearch pair at " + url).contains("\"number_of_nodes\":2")
                .contains("\"status\":\"green\"");
    }
}
