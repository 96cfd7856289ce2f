package io.vectorsync.app;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole tenant's erasure (issue 21): {@code DELETE /v1/admin/tenants/{tenant}} erases every document of the tenant
 * and no other's, reports its progress, is audited, and — the app killed with SIGKILL in the middle — completes after
 * a restart, each document erased once.
 */
class TenantErasureTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    @Test
    void erasesEveryDocumentOfTheTenantAndNoOther() {
        try (TestApp app = TestApp.start(TestApp.base(dataDir).space("tiny", "client", 4, "cosine", 64, 8)
                .put("vectorsync.default-space", "tiny").settings())) {
            for (int i = 0; i < 5; i++) {
                assertThat(put(app, "acme", "a" + i, i).status()).isEqualTo(201);
            }
            assertThat(put(app, "acme-two", "b0", 9).status()).isEqualTo(201);
            assertThat(put(app, "other", "c0", 7).status()).isEqualTo(201);
            assertThat(app.delete("/v1/tenants/acme/documents/a4").status()).as("deleted ones are erased too")
                    .isEqualTo(200);
            assertThat(app.get("/v1/admin/tenants/acme/erasure").status()).as("never asked").isEqualTo(404);

            TestApp.Response erased = app.delete("/v1/admin/tenants/acme?wait=true");

            assertThat(erased.status()).as(erased.body()).isEqualTo(200);
            JsonObject progress = erased.json();
            assertThat(progress.getString("state")).isEqualTo("done");
            assertThat(progress.getInt("documentsErased")).isEqualTo(5);
            assertThat(progress.getBoolean("complete")).isTrue();
            for (int i = 0; i < 5; i++) {
                assertThat(app.get("/v1/tenants/acme/documents/a" + i).status()).isEqualTo(410);
            }
            assertThat(app.get("/v1/tenants/acme-two/documents/b0").status()).as("a tenant whose id starts alike")
                    .isEqualTo(200);
            assertThat(app.get("/v1/tenants/other/documents/c0").status()).isEqualTo(200);
            assertThat(app.post("/v1/tenants/acme/search", "application/json",
                    "{\"space\": \"tiny\", \"vector\": [1, 2, 3, 4], \"k\": 10}").json().getJsonArray("hits")).isEmpty();
            assertThat(app.get("/v1/admin/tenants/acme/erasure").json().getString("state")).isEqualTo("done");
            assertThat(app.get("/v1/admin/audit").body()).contains("\"action\":\"tenant-erase\"")
                    .contains("\"target\":\"tenants/acme?wait=true\"");

            // written again, then erased again: a new erasure, which finds only what is new
            assertThat(put(app, "acme", "a0", 3).status()).isEqualTo(201);
            TestApp.Response again = app.delete("/v1/admin/tenants/acme?wait=true");
            assertThat(again.json().getInt("documentsErased")).isEqualTo(1);
            assertThat(app.get("/v1/tenants/acme/documents/a0").status()).isEqualTo(410);

            TestApp.Response bad = app.delete("/v1/admin/tenants/Not_A_Tenant");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
            assertThat(app.delete("/v1/admin/tenants/acme?wait=soon").status()).isEqualTo(400);
        }
    }

    /** SIGKILL in the middle of a tenant's erasure; after a restart it resumes and completes. */
    @Test
    void aTenantErasureKilledHalfwayCompletesAfterARestart() throws Exception {
        int port = AppProcess.freePort();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-app.log");
        int documents = 4_000;
        Process app = AppProcess.start(null, dataDir, port, log);
        try {
            AppProcess.awaitUp(port);
            ingest(port, "big", documents);
            ingest(port, "small", 3);
            HttpResponse<String> requested = send(port, "DELETE", "/v1/admin/tenants/big", null);
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
            TestApp.await("the erasure is underway", PATIENCE, () -> {
                JsonObject progress = AppProcess.get(port, "/v1/admin/tenants/big/erasure");
                return progress.getInt("documentsErased") >= 200;
            });
            app.destroyForcibly().waitFor();
            JsonObject atTheKill = progressInStore();
            assertThat(atTheKill.getString("state")).as("killed before it finished").isEqualTo("running");

            app = AppProcess.start(null, dataDir, port, log);
            AppProcess.awaitUp(port);
            TestApp.await("the erasure completed after the restart", PATIENCE, () -> {
                JsonObject progress = AppProcess.get(port, "/v1/admin/tenants/big/erasure");
                return progress.getString("state").equals("done") && progress.getBoolean("complete");
            });
            JsonObject done = AppProcess.get(port, "/v1/admin/tenants/big/erasure");
            assertThat(done.getInt("documentsErased")).as("each document erased once").isEqualTo(documents);
            for (int i = 0; i < documents; i += 397) {
                assertThat(send(port, "GET", "/v1/tenants/big/documents/d" + i, null).statusCode()).isEqualTo(410);
            }
            assertThat(send(port, "GET", "/v1/tenants/small/documents/d1", null).statusCode()).isEqualTo(200);
        } finally {
            app.destroyForcibly().waitFor();
        }
        assertThat(ErasureProofTest.scan(dataDir, Map.of("erased", "zqbigbody".getBytes(StandardCharsets.UTF_8),
                "kept", "zqsmallbody".getBytes(StandardCharsets.UTF_8))))
                .as("the erased tenant's text is in no file; the kept tenant's is, in the index").containsOnlyKeys("kept");
    }

    /** What the store says of the erasure, read while the app is down (the embedded store is the app's own). */
    private JsonObject progressInStore() {
        try (io.vectorsync.store.EventStoreDatabase database = io.vectorsync.store.EventStoreDatabase.openH2(dataDir)) {
            return io.vectorsync.app.erasure.TenantErasureAdmin.json(
                    database.tenantErasures().find("big").orElseThrow(), false);
        }
    }

    private static void ingest(int port, String tenant, int documents) throws Exception {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < documents; i++) {
            ndjson.append("{\"documentId\": \"d").append(i).append("\", \"title\": \"T\", \"body\": \"zq")
                    .append(tenant).append("body number ").append(i).append("\", \"vectors\": {\"space\": \"default\", ")
                    .append("\"vector\": [");
            for (int d = 0; d < 384; d++) {
                ndjson.append(d == 0 ? "" : ",").append(((i * 31 + d * 17) % 97) / 97.0 - 0.5);
            }
            ndjson.append("]}}\n");
        }
        HttpResponse<String> answer = send(port, "POST", "/v1/tenants/" + tenant + "/documents:batch", ndjson.toString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("\"problem\"");
    }

    private static HttpResponse<String> send(int port, String method, String path, String ndjson) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120));
        if (ndjson == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/x-ndjson").method(method, HttpRequest.BodyPublishers.ofString(ndjson));
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static TestApp.Response put(TestApp app, String tenant, String id, int i) {
        return app.put("/v1/tenants/" + tenant + "/documents/" + id, "{\"title\": \"T\", \"body\": \"document " + i
                + "\", \"vectors\": {\"space\": \"tiny\", \"vector\": [" + (1 + i) + ", 2, 3, 4]}}");
    }
}
