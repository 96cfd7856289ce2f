package io.vectorsync.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /observe/metrics} on the real app: Prometheus text that a strict parser reads, behind a key when keys exist
 * (or public by setting), and values that move with activity: requests by route, events processed, embedding,
 * processor lag and segments, dead letters, index documents, rebuild progress, the hot-vector cache and the JVM.
 */
class MetricsTest {

    private static final String ADMIN_KEY = "metrics-test-admin-key-0123456789abcdef";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void metricsMoveWithActivity() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY).cache(true).settings())) {
            PrometheusText before = scrape(app);
            assertThat(before.sum("jvm_memory_used_bytes", "area", "heap")).as("the JVM's meters").isPositive();
            assertThat(before.value("vectorsync_processor_segments_claimed", "processor", "vector-index",
                    "node", "test-node")).hasValue(2.0);
            double processedBefore = before.sum("vectorsync_events_processed_total", "processor", "vector-index");

            String ndjson = IntStream.range(0, 20).mapToObj(i -> "{\"op\": \"upsert\", \"documentId\": \"d" + i
                    + "\", \"title\": \"D\", \"body\": \"document " + i + "\", \"vectors\": {\"space\": \"tiny\", "
                    + "\"vector\": [1, " + i + ", 0, 1]}}\n").reduce("", String::concat);
            assertThat(send("POST", app, "/v1/tenants/acme/documents:batch", "application/x-ndjson", ndjson).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> embedded = send("PUT", app, "/v1/tenants/acme/documents/guide", "application/json",
                    "{\"title\": \"Guide\", \"body\": \"How to install the widget on a wall.\"}");
            assertThat(embedded.statusCode()).as(embedded.body()).isBetween(200, 201);
            TestApp.await("the index holds the batch", PATIENCE,
                    () -> app.app().indexes().forSpace("tiny").countDocuments("acme") == 20);
            assertThat(send("POST", app, "/v1/tenants/acme/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": [1, 3, 0, 1], \"k\": 3}").statusCode()).isEqualTo(200);
            assertThat(send("POST", app, "/v1/tenants/acme/search", "application/json", "{\"k\": \"many\"}")
                    .statusCode()).isEqualTo(400);

            TestApp.await("the scrape shows the activity", PATIENCE, () -> {
                PrometheusText after = scrape(app);
                return after.value("vectorsync_index_documents", "space", "tiny", "version", "1").orElse(0) == 20
                        && after.value("vectorsync_index_documents", "space", "default", "version", "1").orElse(0) == 1
                        && after.value("vectorsync_processor_lag_events", "processor", "vector-index").orElse(-1) == 0
                        && after.sum("vectorsync_events_processed_total", "processor", "vector-index")
                        >= processedBefore + 20;
            });
            System.gc(); // Micrometer holds a gauge's state weakly: a state nothing else holds would read NaN now
            PrometheusText after = scrape(app);
            String search = "/v1/tenants/{tenant}/search";
            assertThat(after.type("vectorsync_http_request_duration_seconds")).isEqualTo("histogram");
            assertThat(after.value("vectorsync_http_request_duration_seconds_count", "route", search, "method", "POST",
                    "status", "200")).as(after.find("vectorsync_http_request_duration_seconds_count").toString())
                    .hasValue(1.0);
            assertThat(after.value("vectorsync_http_request_duration_seconds_count", "route", search, "method", "POST",
                    "status", "400")).hasValue(1.0);
            assertThat(after.value("vectorsync_http_request_duration_seconds_bucket", "route", search, "method", "POST",
                    "status", "200", "le", "+Inf")).hasValue(1.0);
            assertThat(after.find("vectorsync_http_request_duration_seconds_count").stream()
                    .map(s -> s.labels().get("route")))
                    .as("routes are patterns: no tenant or document id becomes a label").noneMatch(r -> r.contains("acme"));
            assertThat(after.sum("vectorsync_embedding_chunks_total", "model", "all-minilm-l6-v2"))
                    .as("the guide's text went to the default space's model").isGreaterThanOrEqualTo(1);
            assertThat(after.sum("vectorsync_embedding_batch_duration_seconds_count")).isPositive();
            assertThat(after.value("vectorsync_dlq_entries", "processor", "vector-index")).hasValue(0.0);
            assertThat(after.value("vectorsync_event_age_seconds_count", "processor", "vector-index").orElseThrow())
                    .as("every event the live index handled").isGreaterThanOrEqualTo(20);
            assertThat(after.value("vectorsync_event_age_seconds_bucket", "processor", "vector-index", "le", "30.0")
                    .orElseThrow()).as("the index is fresh: every event within 30 s")
                    .isEqualTo(after.value("vectorsync_event_age_seconds_count", "processor", "vector-index")
                            .orElseThrow());
            assertThat(after.value("vectorsync_cache_entries", "space", "tiny")).isPresent();
            assertThat(after.value("vectorsync_cache_hits_total", "space", "tiny")).isPresent();
            assertThat(after.value("vectorsync_cache_misses_total", "space", "tiny")).isPresent();
            assertThat(after.value("vectorsync_log_head_position").orElseThrow()).isGreaterThanOrEqualTo(20);
            assertThat(after.sum("vectorsync_commands_total", "outcome", "ok")).as("20 in the batch and the guide")
                    .isEqualTo(21);
            assertThat(after.value("vectorsync_bulkhead_started_total", "workload", "search").orElseThrow())
                    .as("the two searches").isEqualTo(2);
            assertThat(after.value("vectorsync_bulkhead_refused_total", "workload", "search", "reason", "queue-full"))
                    .hasValue(0.0);
            assertThat(after.value("vectorsync_bulkhead_waiting", "workload", "write")).hasValue(0.0);

            HttpResponse<String> rebuild = send("POST", app, "/v1/admin/indexes/tiny/versions", "application/json", "{}");
            assertThat(rebuild.statusCode()).as(rebuild.body()).isEqualTo(202);
            TestApp.await("the rebuild's progress reaches 1", PATIENCE, () -> {
                PrometheusText rebuilding = scrape(app);
                return rebuilding.value("vectorsync_rebuild_progress_ratio", "space", "tiny", "version", "2")
                        .orElse(0) == 1.0
                        && rebuilding.value("vectorsync_index_documents", "space", "tiny", "version", "2").orElse(0) == 20;
            });
            PrometheusText rebuilt = scrape(app);
            assertThat(rebuilt.value("vectorsync_rebuild_events_done", "space", "tiny", "version", "2").orElseThrow())
                    .isEqualTo(rebuilt.value("vectorsync_rebuild_events_target", "space", "tiny", "version", "2")
                            .orElseThrow());
            assertThat(rebuilt.sum("vectorsync_events_processed_total", "processor", "index-tiny-v2"))
                    .as("the version's processor is counted too").isGreaterThanOrEqualTo(20);

            assertThat(send("DELETE", app, "/v1/admin/indexes/tiny/versions/2", null, null).statusCode()).isEqualTo(200);
            assertThat(scrape(app).value("vectorsync_index_documents", "space", "tiny", "version", "2"))
                    .as("a dropped version's series ends").isEmpty();
        }
    }

    @Test
    void withKeysAScrapeNeedsOneUnlessMetricsArePublic() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY).settings())) {
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(metrics(app)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(http.send(HttpRequest.newBuilder(metrics(app)).header("Authorization", "Bearer wrong").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            // the 401s were timed too, under their route
            assertThat(scrape(app).value("vectorsync_http_request_duration_seconds_count", "route", "/observe/metrics",
                    "method", "GET", "status", "401")).hasValue(2.0);
        }
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY)
                .put("vectorsync.observe.metrics-public", true).settings())) {
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(metrics(app)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(200);
            assertThat(PrometheusText.parse(anonymous.body()).find("vectorsync_http_request_duration_seconds_count",
                    "status", "401")).as("a stopped app's series end with it").isEmpty();
            assertThat(send("GET", app, "/v1/admin/processors", null, null).statusCode())
                    .as("only the metrics are public").isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/admin/processors")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void readinessNamesTheStoreIndexesAndCacheAndAdminsGetTheDetails() throws Exception {
        try (TestApp app = TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY).cache(true).settings())) {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            jakarta.json.JsonObject checks = io.vectorsync.json.Json.createReader(new java.io.StringReader(ready.body()))
                    .readObject().getJsonObject("checks");
            assertThat(checks.getString("eventStore")).isEqualTo("UP");
            assertThat(checks.getString("cache")).isEqualTo("UP");
            assertThat(checks.getJsonObject("index").getString("tiny")).isEqualTo("UP");
            assertThat(ready.body()).as("public: no detail").doesNotContain("member");

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
                    URI.create(app.baseUrl() + "/v1/admin/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> detailed = send("GET", app, "/v1/admin/health", null, null);
            assertThat(detailed.statusCode()).as(detailed.body()).isEqualTo(200);
            jakarta.json.JsonObject health = io.vectorsync.json.Json.createReader(
                    new java.io.StringReader(detailed.body())).readObject();
            assertThat(health.getString("node")).isEqualTo("test-node");
            jakarta.json.JsonObject cache = health.getJsonObject("checks").getJsonObject("cache");
            assertThat(cache.getString("status")).isEqualTo("UP");
            assertThat(cache.getString("detail")).contains("1 member(s)");
            assertThat(health.getJsonObject("checks").getJsonObject("processors").getJsonObject("vector-index")
                    .getString("status")).isEqualTo("UP");
            assertThat(health.getJsonObject("checks").getJsonObject("eventStore").getJsonNumber("millis")).isNotNull();
        }
    }

    private PrometheusText scrape(TestApp app) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics(app))
                    .header("Authorization", "Bearer " + ADMIN_KEY).header("Accept", "text/plain").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            return PrometheusText.parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI metrics(TestApp app) {
        return URI.create(app.baseUrl() + "/observe/metrics");
    }

    private HttpResponse<String> send(String method, TestApp app, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
