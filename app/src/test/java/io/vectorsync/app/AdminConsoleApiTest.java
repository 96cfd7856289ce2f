package io.vectorsync.app;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the admin console stands on, over HTTP: its assets (self-contained, with a policy that forbids loading
 * anything from elsewhere), the live status stream, and a document as each index version holds it.
 */
class AdminConsoleApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void theConsoleIsServedWholeFromTheAppAndLoadsNothingFromOutside() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            for (String path : List.of("/admin", "/admin/")) {
                TestApp.Response page = app.get(path);
                assertThat(page.status()).as(path).isEqualTo(200);
                assertThat(page.contentType()).startsWith("text/html");
                assertThat(page.body()).contains("<title>Vectorsync").contains("/admin/app.js").contains("/admin/app.css");
            }
            String page = app.get("/admin").body() + app.get("/admin/app.js").body() + app.get("/admin/app.css").body();
            assertThat(page).as("no CDN, no external font or script").doesNotContainPattern("(src|href)=\"(https?:)?//")
                    .doesNotContain("@import").doesNotContainPattern("url\\((https?:)?//");
            assertThat(app.get("/admin/app.js").contentType()).startsWith("text/javascript");
            assertThat(app.get("/admin/app.css").contentType()).startsWith("text/css");
            assertThat(app.get("/admin/favicon.svg").contentType()).startsWith("image/svg+xml");

            TestApp.Response missing = app.get("/admin/nothing.js");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("application/problem+json");
            assertThat(missing.body()).contains("nothing.js");
        }
    }

    @Test
    void anUnchangedAssetIsRevalidatedWithItsEtagAndTheBrowserMayNotLoadForeignCode() throws Exception {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/admin/app.js"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(first.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'").contains("script-src 'self'").contains("connect-src 'self'");

            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/admin/app.js"))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void anotherSitesPageCannotMakeABrowserChangeAnything() throws Exception {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                            + "/v1/admin/processors/encoder/pause")).header("Origin", "http://evil.example")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(refused.body()).contains("evil.example");
            assertThat(app.get("/v1/admin/processors/encoder").json().getBoolean("running")).as("nothing done").isTrue();
            HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                            + "/v1/tenants/acme/documents:batch")).header("Origin", "http://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"op\": \"delete\", \"documentId\": \"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).as("a no-cors fetch with an untyped body, to the command API").isEqualTo(403);

            // the console's own page, a proxy that forwards the browser's host, and clients without Origin may
            HttpResponse<String> own = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                            + "/v1/admin/processors/encoder/pause")).header("Origin", app.baseUrl())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
            HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                            + "/v1/admin/processors/encoder/resume")).header("Origin", "https://ops.example.com")
                    .header("X-Forwarded-Host", "ops.example.com:443")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
            assertThat(app.post("/v1/admin/processors/encoder/pause", "application/json", "").status()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/admin/processors"))
                    .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("reads are not changes").isEqualTo(200);
        }
    }

    @Test
    void theStreamSendsEverySnapshotAtOnceAndThenWhatChanges() throws Exception {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                    + "/v1/admin/stream")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
            try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                Map<String, JsonObject> latest = new HashMap<>();
                readUntil(events, latest, () -> latest.keySet().containsAll(
                        List.of("processors", "indexes", "deadLetters", "cache")));
                assertThat(latest.get("processors").getJsonArray("processors").getValuesAs(JsonObject.class))
                        .extracting(p -> p.getString("name")).contains("vector-index", "encoder");
                assertThat(latest.get("indexes").getJsonArray("spaces").getJsonObject(0).getInt("liveVersion")).isEqualTo(1);

                // a rebuild is pushed as it happens: the new version shows up without being asked for
                assertThat(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{}").status()).isEqualTo(202);
                readUntil(events, latest, () -> versions(latest.get("indexes"), "tiny") == 2);
            }
        }
    }

    @Test
    void aDocumentAsEveryIndexVersionHoldsIt() {
        try (TestApp app = TestApp.start(TestApp.settings(dataDir))) {
            app.put("/v1/tenants/acme/documents/kept", """
                    {"title": "Kept", "body": "stays", "vectors": {"space": "tiny", "vector": [1, 0, 0, 0]}}""");
            app.put("/v1/tenants/acme/documents/gone", """
                    {"title": "Gone", "body": "goes", "vectors": {"space": "tiny", "vector": [0, 1, 0, 0]}}""");
            TestApp.await("indexed", PATIENCE, () -> app.app().indexes().forSpace("tiny").version("acme", "gone").isPresent());
            assertThat(app.post("/v1/admin/indexes/tiny/versions", "application/json", "{}").status()).isEqualTo(202);
            app.delete("/v1/tenants/acme/documents/gone");
            TestApp.await("both versions saw the delete", PATIENCE, () ->
                    app.get("/v1/admin/indexes/tiny/documents/acme/gone").json().getJsonArray("versions")
                            .getValuesAs(JsonObject.class).stream().allMatch(v -> v.getString("state").equals("deleted")));

            JsonObject kept = app.get("/v1/admin/indexes/tiny/documents/acme/kept").json();
            assertThat(kept.getJsonArray("versions").getValuesAs(JsonObject.class)).hasSize(2).allSatisfy(version -> {
                assertThat(version.getString("state")).isEqualTo("present");
                assertThat(version.getInt("documentVersion")).isEqualTo(2); // created, then its vectors
                assertThat(version.getString("title")).isEqualTo("Kept");
                assertThat(version.getJsonArray("chunks").getJsonObject(0).getString("passage")).isEqualTo("stays");
            });
            assertThat(kept.getJsonArray("versions").getValuesAs(JsonObject.class))
                    .extracting(v -> v.getString("role")).containsExactly("live", "building");
            JsonObject never = app.get("/v1/admin/indexes/tiny/documents/acme/never").json();
            assertThat(never.getJsonArray("versions").getJsonObject(0).getString("state")).isEqualTo("absent");
            assertThat(app.get("/v1/admin/indexes/nope/documents/acme/kept").status()).isEqualTo(404);
        }
    }

    private static int versions(JsonObject indexes, String space) {
        return indexes.getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("space").equals(space)).findFirst().orElseThrow()
                .getJsonArray("versions").size();
    }

    /** Reads events into {@code latest} (by name) until the condition holds; fails after a while. */
    private static void readUntil(BufferedReader events, Map<String, JsonObject> latest,
                                  java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String name = null;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the stream kept quiet too long").isLessThan(deadline);
            String line = events.readLine();
            assertThat(line).as("the stream ended").isNotNull();
            if (line.startsWith("event:")) {
                name = line.substring("event:".length()).trim();
            } else if (line.startsWith("data:") && name != null) {
                latest.put(name, Json.createReader(new StringReader(line.substring("data:".length()).trim())).readObject());
                name = null;
            }
        }
    }
}
