package io.vectorsync.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped for 30 s under a running app (its own instance, started and stopped here with
 * {@code bin/postgres}): writes get a quick 503 problem with Retry-After instead of hanging, searches of the local
 * index go on, nothing acknowledged is lost, and once the database is back writes and the processors resume by
 * themselves.
 */
class PostgresOutageTest {

    private static final String INSTANCE = "outage";

    @Test
    void withThePostgresStoppedWritesAnswer503QuicklyAndEverythingResumesAfterwards(@TempDir Path dataDir)
            throws Exception {
        String url = postgres("start", INSTANCE).trim();
        try (TestApp app = TestApp.start(TestApp.keys(dataDir)
                .put("vectorsync.store.url", url).put("vectorsync.store.pool-size", 8).settings())) {
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                assertThat(write(app, "before-" + i, i).status()).isEqualTo(201);
                acknowledged.add("before-" + i);
            }
            postgres("stop", INSTANCE);
            long stopped = System.nanoTime();
            List<Long> answerMillis = new ArrayList<>();
            int refused = 0;
            for (int i = 0; System.nanoTime() - stopped < Duration.ofSeconds(30).toNanos(); i++) {
                long start = System.nanoTime();
                TestApp.Response answer = write(app, "during-" + i, i);
                answerMillis.add((System.nanoTime() - start) / 1_000_000);
                if (answer.status() == 503) {
                    refused++;
                    assertThat(answer.contentType()).isEqualTo("application/problem+json");
                    assertThat(answer.json().getString("type")).endsWith("/store-unavailable");
                } else {
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
                    acknowledged.add("during-" + i);
                }
                // the local index still answers
                assertThat(app.post("/v1/tenants/acme/search", "application/json",
                        "{\"vector\":[1,0,0,0],\"space\":\"tiny\",\"k\":3}").status()).isEqualTo(200);
            }
            assertThat(refused).isPositive();
            assertThat(answerMillis).allMatch(ms -> ms < 6_000);
            postgres("start", INSTANCE);
            TestApp.await("writes are taken again", Duration.ofSeconds(60),
                    () -> write(app, "after", 1).status() == 201);
            acknowledged.add("after");
            for (String id : acknowledged) {
                assertThat(app.get("/v1/tenants/acme/documents/" + id).status()).as(id).isEqualTo(200);
            }
            TestApp.await("the processors caught up with every write", Duration.ofSeconds(120),
                    () -> app.app().caughtUp(Vectorsync.VECTOR_INDEX_GROUP)
                            && app.get("/v1/admin/indexes/tiny/drift").json().getInt("drift") == 0
                            && app.get("/v1/admin/indexes/tiny/drift").json().getInt("inSync") == acknowledged.size());
        } finally {
            postgres("stop", INSTANCE, "--wipe");
        }
    }

    private static TestApp.Response write(TestApp app, String id, int i) {
        return app.put("/v1/tenants/acme/documents/" + id, "{\"title\":\"" + id + "\",\"body\":\"b\","
                + "\"vectors\":{\"space\":\"tiny\",\"vector\":[1," + (i % 7) + ",0,1]}}");
    }

    /** Runs bin/postgres (as bin/test names it); answers its standard output. */
    static String postgres(String... args) throws IOException, InterruptedException {
        String script = System.getenv("VECTORSYNC_POSTGRES_SCRIPT");
        if (script == null || script.isBlank()) {
            throw new IllegalStateException("VECTORSYNC_POSTGRES_SCRIPT is not set: run the tests with bin/test");
        }
        List<String> command = new ArrayList<>(List.of(script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
