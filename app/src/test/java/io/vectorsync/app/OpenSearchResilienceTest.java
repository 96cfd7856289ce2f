package io.vectorsync.app;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.EmbeddingProvenance;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app against a real OpenSearch node of its own ({@code bin/opensearch start chaos}), which the
 * test stops in the middle of an ingest and starts again: queries answer 503 quickly meanwhile,
 * readiness says why, writes are still acknowledged, and the index converges with nothing lost.
 */
class OpenSearchResilienceTest {

    private static final String INSTANCE = "chaos";
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static String url;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startNode() {
        url = opensearch("start");
    }

    @AfterAll
    static void stopNode() {
        opensearch("stop", "--wipe");
    }

    @Test
    void anOutageMidIngestLosesNothingAndQueriesFailFast() {
        try (TestApp app = TestApp.start(settings("resilience"))) {
            VectorIndex index = app.app().indexes().forSpace("tiny");
            assertThat(app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", documents(0, 300))
                    .body().lines().filter(line -> line.contains("\"status\":201")).count()).isEqualTo(300);

            opensearch("stop");
            // the event store still takes writes while the index is away
            assertThat(app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", documents(300, 400))
                    .body().lines().filter(line -> line.contains("\"status\":201")).count()).isEqualTo(100);
            TestApp.await("readiness reports the index", PATIENCE, () -> app.get("/health/ready").status() == 503);
            assertThat(app.get("/health/ready").body()).contains("index");

            long started = System.nanoTime();
            TestApp.Response search = app.post("/v1/tenants/acme/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"k\": 3}");
            assertThat(search.status()).as(search.toString()).isEqualTo(503);
            assertThat(search.contentType()).startsWith("application/problem+json");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

            assertThat(opensearch("start")).isEqualTo(url);
            TestApp.await("every acknowledged document reaches the index", PATIENCE, () -> {
                ((OpenSearchVectorIndex) index).refresh();
                return index.countDocuments("acme") == 400;
            });
            assertThat(index.countChunks("acme")).isEqualTo(400);
            TestApp.await("readiness recovers", PATIENCE, () -> app.get("/health/ready").status() == 200);
            assertThat(app.post("/v1/tenants/acme/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": [1, 0, 0, 0], \"k\": 3}").status()).isEqualTo(200);
        }
    }

    @Test
    void aDocumentTheIndexRefusesIsDeadLetteredWhileTheRestOfItsBatchFlows() {
        try (TestApp app = TestApp.start(settings("refusal"))) {
            // more metadata fields than an OpenSearch index takes (1,000): the aggregate would never
            // allow 1,100 keys, so the event is appended directly, as a bug or an old rule could have
            Map<String, Object> wide = IntStream.range(0, 1100).boxed()
                    .collect(Collectors.toMap(i -> "field" + i, i -> (Object) ("v" + i)));
            app.app().eventStore().publish(new GenericDomainEventMessage<>("Document", "acme/wide", 0,
                    new DocumentEmbedded("acme", "wide", 1, "tiny", new EmbeddingProvenance("client", null, false, ChunkerSettings.CLIENT), 4, "Wide", wide,
                            List.of(EmbeddedChunk.of(0, 0, 4, "wide", new float[]{0, 1, 0, 0})))));
            assertThat(app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", documents(0, 20))
                    .body().lines().filter(line -> line.contains("\"status\":201")).count()).isEqualTo(20);

            VectorIndex index = app.app().indexes().forSpace("tiny");
            TestApp.await("the other documents are indexed", PATIENCE, () -> {
                ((OpenSearchVectorIndex) index).refresh();
                return index.countDocuments("acme") == 20;
            });
            SequencedDeadLetterQueue<EventMessage<?>> deadLetters =
                    app.app().axon().eventProcessingConfiguration().deadLetterQueue("vector-index").orElseThrow();
            TestApp.await("the refused document is dead-lettered", PATIENCE,
                    () -> deadLetters.sequenceSize("acme/wide") == 1);
            assertThat(index.version("acme", "wide")).isEmpty();
            var deadLetter = deadLetters.deadLetterSequence("acme/wide").iterator().next();
            assertThat(deadLetter.cause().orElseThrow().message()).contains("refused").contains("fields");
        }
    }

    @Test
    void aSwapThatFailsHalfWayLeavesLiveAsItWasAndTheVersionStillFed() throws Exception {
        Settings settings = settings("swap");
        try (TestApp app = TestApp.start(settings)) {
            app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", documents(0, 30));
            assertThat(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{}").status()).isEqualTo(202);
            TestApp.await("version 2 caught up", PATIENCE, () -> caughtUp(app, 2));
            // the version's index vanishes under it (an operator, a cleanup job): promoting it fails half-way
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/" + settings.opensearch().indexPrefix()
                    + "-tiny-v2")).DELETE().build(), HttpResponse.BodyHandlers.discarding());

            TestApp.Response swap = app.post("/v1/admin/indexes/tiny/versions/2/swap", "application/json", "");

            assertThat(swap.status()).as(swap.toString()).isGreaterThanOrEqualTo(500);
            assertThat(swap.contentType()).startsWith("application/problem+json");
            assertThat(space(app).getInt("liveVersion")).isEqualTo(1);
            assertThat(version(app, 2).getString("role")).isEqualTo("building");
            assertThat(version(app, 2).containsKey("progress")).as("version 2 is still fed: " + version(app, 2)).isTrue();
            assertThat(app.app().versions().orElseThrow().processors()).containsKey("index-tiny-v2");
            // the live version still takes writes and serves them
            app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", documents(30, 40));
            VectorIndex live = app.app().indexes().forSpace("tiny");
            TestApp.await("the live version has every document", PATIENCE, () -> {
                ((OpenSearchVectorIndex) live).refresh();
                return live.countDocuments("acme") == 40;
            });
        }
    }

    private static boolean caughtUp(TestApp app, int version) {
        JsonObject described = version(app, version);
        return described.containsKey("progress") && described.getJsonObject("progress").getBoolean("caughtUp")
                && described.getJsonObject("progress").getInt("position") >= 0;
    }

    private static JsonObject version(TestApp app, int version) {
        return space(app).getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .filter(v -> v.getInt("version") == version).findFirst().orElseThrow();
    }

    private static JsonObject space(TestApp app) {
        return app.get("/v1/admin/indexes").json().getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("space").equals("tiny")).findFirst().orElseThrow();
    }

    /** Short client timeouts and few retries, which configuration does not set: the outage is noticed quickly. */
    private Settings settings(String name) {
        Settings settings = TestApp.keys(dataDir)
                .opensearch(url, name + "-" + UUID.randomUUID().toString().substring(0, 8), 1, 0).settings();
        return settings.withOpenSearch(settings.opensearch()
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withRetry(new OpenSearchSettings.Retry(3, Duration.ofMillis(100), Duration.ofMillis(500))));
    }

    private static String documents(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> "{\"documentId\": \"d" + i + "\", \"title\": \"Doc " + i + "\", \"body\": \"body " + i
                        + "\", \"vectors\": {\"space\": \"tiny\", \"vector\": [" + (1 + i % 7) + ", " + (i % 5) + ", "
                        + (i % 3) + ", 1]}}")
                .collect(Collectors.joining("\n"));
    }

    /** Runs bin/opensearch with the instance of this test; returns what it printed on stdout. */
    private static String opensearch(String command, String... more) {
        String script = System.getenv("VECTORSYNC_OPENSEARCH_SCRIPT");
        assertThat(script).as("VECTORSYNC_OPENSEARCH_SCRIPT must name bin/opensearch; run the tests with bin/test")
                .isNotBlank();
        List<String> args = new java.util.ArrayList<>(List.of(script, command, INSTANCE));
        args.addAll(List.of(more));
        try {
            Process process = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("bin/opensearch " + command + " failed: " + out);
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
