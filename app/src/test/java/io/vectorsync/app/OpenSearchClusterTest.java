package io.vectorsync.app;

import io.vectorsync.json.Json;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app against the two-node OpenSearch cluster that {@code bin/test} starts once ({@code bin/opensearch
 * start-cluster}, named by {@code VECTORSYNC_TEST_OPENSEARCH_CLUSTER}, at the comma-separated
 * {@code VECTORSYNC_TEST_OPENSEARCH_CLUSTER_URLS}), with both endpoints and one replica: while the data
 * node ({@code <name>-2}) is stopped, the client fails over to the other endpoint, so ingest and search go
 * on and nothing is lost; started again, the node rejoins and gets its copies back.
 */
class OpenSearchClusterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String TENANT = "acme";

    private static String cluster;
    private static List<String> urls;
    private static final List<String> physicalIndexes = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @BeforeAll
    static void findTheCluster() {
        cluster = System.getenv("VECTORSYNC_TEST_OPENSEARCH_CLUSTER");
        String joined = System.getenv("VECTORSYNC_TEST_OPENSEARCH_CLUSTER_URLS");
        assertThat(cluster).as("VECTORSYNC_TEST_OPENSEARCH_CLUSTER must name the pair of bin/opensearch "
                + "start-cluster; run the tests with bin/test").isNotBlank();
        assertThat(joined).as("VECTORSYNC_TEST_OPENSEARCH_CLUSTER_URLS must list the pair's URLs, comma-separated: "
                + "run the tests with bin/test, or export it from $(bin/opensearch start-cluster NAME)").isNotBlank();
        urls = Arrays.stream(joined.split(",")).map(String::trim).toList();
        assertThat(urls).hasSize(2);
        TestApp.await("the cluster has two nodes", PATIENCE, () -> nodes(urls.get(0)) == 2);
    }

    @AfterAll
    static void dropIndexesAndLeaveBothNodesRunning() throws Exception {
        // the pair is shared by the test run: the next test expects both nodes and none of these indexes
        if (cluster != null && urls != null && !answers(urls.get(1))) {
            opensearch("start", cluster + "-2");
        }
        for (String index : physicalIndexes) {
            http.send(HttpRequest.newBuilder(URI.create(urls.get(0) + "/" + index)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void ingestAndSearchGoOnWhileOneNodeIsStoppedAndItRejoins() {
        Settings settings = TestApp.base(dataDir)
                .put("vectorsync.default-space", "tiny")
                .clientSpace("tiny", TestApp.TINY_DIMENSION)
                .opensearch(String.join(",", urls), "cluster-" + UUID.randomUUID().toString().substring(0, 8), 1, 1)
                .settings();
        assertThat(settings.opensearch().endpoints()).hasSize(2);
        assertThat(settings.opensearch().replicas()).isEqualTo(1);
        long node2ConnectionsBefore = connectionsOpened(cluster + "-2");
        try (TestApp app = TestApp.start(settings)) {
            OpenSearchVectorIndex index = (OpenSearchVectorIndex) app.app().indexes().forSpace("tiny");
            String physical = index.physicalIndex();
            physicalIndexes.add(physical);
            ingest(app, 0, 200);
            awaitIndexed(index, 200);
            TestApp.await("the index is green: its replica is on the other node", PATIENCE,
                    () -> "green".equals(health(urls.get(0), physical)));
            assertThat(shardNodes(physical)).as("a primary and a replica, one on each node")
                    .containsExactlyInAnyOrder(cluster + "-1", cluster + "-2");
            everyDocumentIsFound(app, index, 200);
            assertThat(connectionsOpened(cluster + "-2")).as("the client rotates over both endpoints: "
                    + "HTTP connections opened to node 2").isGreaterThan(node2ConnectionsBefore);

            opensearch("stop", cluster + "-2");
            assertThat(answers(urls.get(1))).as("node 2 is stopped").isFalse();
            TestApp.await("node 1 sees that node 2 left", PATIENCE, () -> nodes(urls.get(0)) == 1);

            // the client's endpoints still list the stopped node: writes and searches fail over to node 1
            long started = System.nanoTime();
            ingest(app, 200, 300);
            awaitIndexed(index, 300);
            Duration catchUp = Duration.ofNanos(System.nanoTime() - started);
            assertThat(catchUp).as("the writes while node 2 is stopped").isLessThan(Duration.ofSeconds(60));
            everyDocumentIsFound(app, index, 300);
            assertThat(app.get("/health/ready").status()).as("ready on one node (yellow)").isEqualTo(200);
            assertThat(health(urls.get(0), physical)).isEqualTo("yellow");

            // node 2 comes back on its ports, rejoins, and its copy catches up with what it missed
            assertThat(opensearch("start", cluster + "-2")).isEqualTo(urls.get(1));
            TestApp.await("the cluster has two nodes again and is green", PATIENCE,
                    () -> nodes(urls.get(0)) == 2 && "green".equals(health(urls.get(0), physical)));
            assertThat(shardNodes(physical)).containsExactlyInAnyOrder(cluster + "-1", cluster + "-2");
            TestApp.await("node 2's own copy holds what node 1's does", PATIENCE, () -> {
                index.refresh();
                long local = localCount(urls.get(1), physical);
                return local >= 300 && local == localCount(urls.get(0), physical);
            });

            ingest(app, 300, 350);
            awaitIndexed(index, 350);
            everyDocumentIsFound(app, index, 350);
        }
    }

    /** Every document by id in the index, and by a search through the app's query API (k-NN, filtered to it). */
    private static void everyDocumentIsFound(TestApp app, VectorIndex index, int documents) {
        List<String> missing = new ArrayList<>();
        List<String> notFoundBySearch = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            if (index.version(TENANT, "d" + i).isEmpty()) {
                missing.add("d" + i);
            }
            TestApp.Response search = app.post("/v1/tenants/" + TENANT + "/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": " + vector(i) + ", \"k\": 1, \"filter\": {\"key\": \"k" + i + "\"}}");
            assertThat(search.status()).as(search.toString()).isEqualTo(200);
            var hits = search.json().getJsonArray("hits");
            if (hits.isEmpty() || !hits.getJsonObject(0).getString("documentId").equals("d" + i)) {
                notFoundBySearch.add("d" + i);
            }
        }
        assertThat(missing).as("documents the index does not hold").isEmpty();
        assertThat(notFoundBySearch).as("documents a search does not find").isEmpty();
    }

    private static void ingest(TestApp app, int from, int to) {
        String ndjson = IntStream.range(from, to)
                .mapToObj(i -> "{\"documentId\": \"d" + i + "\", \"title\": \"Doc " + i + "\", \"body\": \"body " + i
                        + "\", \"metadata\": {\"key\": \"k" + i + "\"}, \"vectors\": {\"space\": \"tiny\", \"vector\": "
                        + vector(i) + "}}")
                .collect(Collectors.joining("\n"));
        TestApp.Response answer = app.post("/v1/tenants/" + TENANT + "/documents:batch", "application/x-ndjson", ndjson);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.body().lines().filter(line -> line.contains("\"status\":201")).count())
                .as(answer.body()).isEqualTo(to - from);
    }

    private static String vector(int i) {
        return "[" + (1 + i % 7) + ", " + (i % 5) + ", " + (i % 3) + ", 1]";
    }

    private static void awaitIndexed(OpenSearchVectorIndex index, int documents) {
        TestApp.await(documents + " documents in the index", PATIENCE, () -> {
            index.refresh();
            return index.countDocuments(TENANT) == documents;
        });
    }

    /** The nodes holding a started copy of the index's shard. */
    private static List<String> shardNodes(String index) {
        return get(urls.get(0) + "/_cat/shards/" + index + "?h=state,node").lines()
                .map(String::trim).filter(line -> line.startsWith("STARTED"))
                .map(line -> line.substring("STARTED".length()).trim()).toList();
    }

    /** HTTP connections the node has opened since it started (node 1 answers for either node). */
    private static long connectionsOpened(String node) {
        JsonObject nodes = json(get(urls.get(0) + "/_nodes/" + node + "/stats/http")).getJsonObject("nodes");
        assertThat(nodes).as("node stats of " + node).hasSize(1);
        return nodes.values().iterator().next().asJsonObject().getJsonObject("http").getJsonNumber("total_opened")
                .longValue();
    }

    /** Entries in the copy the node itself holds. */
    private static long localCount(String url, String index) {
        String body = get(url + "/" + index + "/_count?preference=_only_local");
        return body == null ? -1 : json(body).getJsonNumber("count").longValue();
    }

    private static String health(String url, String index) {
        String body = get(url + "/_cluster/health/" + index + "?timeout=1s");
        return body == null ? null : json(body).getString("status");
    }

    /** Nodes in the cluster as the node at this URL sees it; 0 when it does not answer. */
    private static int nodes(String url) {
        String body = get(url + "/_cluster/health?timeout=1s");
        return body == null ? 0 : json(body).getInt("number_of_nodes");
    }

    private static boolean answers(String url) {
        return get(url + "/") != null;
    }

    /** The body of a GET, or null when the node does not answer (or answers with an error status). */
    private static String get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** Runs bin/opensearch on one instance of the pair; returns what it printed on stdout. */
    private static String opensearch(String command, String instance) {
        String script = System.getenv("VECTORSYNC_OPENSEARCH_SCRIPT");
        assertThat(script).as("VECTORSYNC_OPENSEARCH_SCRIPT must name bin/opensearch; run the tests with bin/test")
                .isNotBlank();
        try {
            Process process = new ProcessBuilder(script, command, instance)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("bin/opensearch " + command + " " + instance + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
