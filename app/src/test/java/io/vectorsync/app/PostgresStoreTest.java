package io.vectorsync.app;

import io.vectorsync.store.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app on a real PostgreSQL store (a fresh database per test): writes, search, delete and restore across a
 * restart with nothing lost or doubled, and many concurrent writers to one document answered without a 5xx.
 */
class PostgresStoreTest {

    static final String TINY = "\"vectors\":{\"space\":\"tiny\",\"vector\":[%s]}";

    @Test
    void theAppRunsOnPostgresAndARestartLosesAndRepeatsNothing(@TempDir Path dataDir) {
        Settings settings = TestApp.keys(dataDir).store(TestPostgres.freshDatabase()).settings();
        try (TestApp app = TestApp.start(settings)) {
            assertThat(app.put("/v1/tenants/acme/documents/pw", "{\"title\":\"Resetting your password\","
                    + "\"body\":\"Open Account settings and choose Reset password.\"}").status()).isEqualTo(201);
            assertThat(app.put("/v1/tenants/acme/documents/v1", "{\"title\":\"v\",\"body\":\"v\","
                    + TINY.formatted("1,0,0,0") + "}").status()).isEqualTo(201);
            assertThat(app.put("/v1/tenants/acme/documents/gone", "{\"title\":\"gone\",\"body\":\"soon\"}").status())
                    .isEqualTo(201);
            assertThat(app.delete("/v1/tenants/acme/documents/gone").status()).isEqualTo(200);
            TestApp.await("the text is searchable", Duration.ofSeconds(60), () -> firstHit(app, "I forgot my password")
                    .equals("pw"));
        }
        try (TestApp app = TestApp.start(settings)) {
            assertThat(firstHit(app, "I forgot my password")).isEqualTo("pw");
            JsonObject history = app.get("/v1/tenants/acme/documents/pw/history").json();
            assertThat(history.getJsonArray("events")).hasSize(2); // created, embedded: nothing twice
            assertThat(app.get("/v1/tenants/acme/documents/gone").json().getBoolean("deleted")).isTrue();
            assertThat(app.put("/v1/tenants/acme/documents/gone", "{\"title\":\"gone\",\"body\":\"back\"}").json()
                    .getString("result")).isEqualTo("restored");
            JsonObject search = app.post("/v1/tenants/acme/search", "application/json",
                    "{\"vector\":[1,0,0,0],\"space\":\"tiny\",\"k\":1}").json();
            assertThat(search.getJsonArray("hits").getJsonObject(0).getString("documentId")).isEqualTo("v1");
            TestApp.await("the index is in step with the log", Duration.ofSeconds(60),
                    () -> app.get("/v1/admin/indexes/tiny/drift").json().getInt("drift") == 0);
        }
    }

    @Test
    void concurrentWritersOfOneDocumentGetAnAnswerAndNeverA5xx(@TempDir Path dataDir) throws Exception {
        Settings settings = TestApp.keys(dataDir).store(TestPostgres.freshDatabase()).settings();
        try (TestApp app = TestApp.start(settings)) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                results.add(writers.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 15; i++) {
                        statuses.add(app.put("/v1/tenants/acme/documents/contested", "{\"title\":\"t\",\"body\":\"writer "
                                + writer + " write " + i + "\"," + TINY.formatted(writer + ",1,0," + i) + "}").status());
                        // and one that names a version another writer has most likely passed
                        statuses.add(app.put("/v1/tenants/acme/documents/contested", "{\"title\":\"t\",\"body\":\"if "
                                + writer + "/" + i + "\"}", "If-Match", "\"" + (i + 1) + "\"").status());
                    }
                    return statuses;
                }));
            }
            List<Integer> all = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<Integer>> result : results) {
                all.addAll(result.get());
            }
            writers.shutdown();
            assertThat(all).hasSize(240).allMatch(status -> status == 200 || status == 201 || status == 412);
            assertThat(all).filteredOn(status -> status == 201).hasSize(1);
            long written = all.stream().filter(status -> status < 300).count();
            JsonObject history = app.get("/v1/tenants/acme/documents/contested/history").json();
            // every acknowledged write is one event (content revised or created), plus the embeddings of texts
            assertThat(history.getJsonArray("events").size()).isGreaterThanOrEqualTo((int) written);
        }
    }

    private static String firstHit(TestApp app, String text) {
        TestApp.Response response = app.post("/v1/tenants/acme/search", "application/json",
                "{\"text\":\"" + text + "\",\"k\":1}");
        var results = response.json().getJsonArray("hits");
        return results.isEmpty() ? "" : results.getJsonObject(0).getString("documentId");
    }

}
