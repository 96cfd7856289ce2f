package io.vectorsync.app;

import io.vectorsync.json.Json;
import io.vectorsync.store.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the app in the middle of ingest on PostgreSQL: the app runs as its own JVM (as {@code bin/run} starts
 * it, configured by environment), four writers send documents, and the process is killed without warning. Started
 * again on the same store and data directory, every acknowledged write is there exactly once, and the index holds
 * what the log says (drift 0).
 */
class PostgresCrashTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void killedMidIngestTheAppLosesNoAcknowledgedWriteAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        String store = TestPostgres.freshDatabase().url();
        int port = freePort();
        Path dataDir = dir.resolve("data");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Process first = startApp(store, dataDir, port, dir.resolve("first.log"));
        ExecutorService writers = Executors.newFixedThreadPool(4);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            awaitUp(port);
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int i = 0; writing.get() && i < 100_000; i++) {
                        String id = "w" + writer + "-" + i;
                        try {
                            if (put(port, id, i) / 100 == 2) {
                                acknowledged.add(id);
                            }
                        } catch (IOException | InterruptedException e) {
                            return; // the process is gone
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(acknowledged.size()).as("writes acknowledged before the kill").isGreaterThanOrEqualTo(300);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            first.waitFor(30, TimeUnit.SECONDS);
            writing.set(false);
            writers.shutdown();
            writers.awaitTermination(30, TimeUnit.SECONDS);
        }
        Process second = startApp(store, dataDir, port, dir.resolve("second.log"));
        try {
            awaitUp(port);
            for (String id : acknowledged) {
                JsonObject history = get(port, "/v1/tenants/crash/documents/" + id + "/history");
                List<String> types = new ArrayList<>();
                history.getJsonArray("events").getValuesAs(JsonObject.class).forEach(e -> types.add(e.getString("type")));
                assertThat(types).as(id).containsExactly("DocumentCreated", "DocumentEmbedded");
            }
            TestApp.await("the index agrees with the log", Duration.ofSeconds(120), () -> {
                JsonObject drift = get(port, "/v1/admin/indexes/default/drift");
                return drift.getInt("drift") == 0 && drift.getInt("inSync") >= acknowledged.size();
            });
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
            if (second.isAlive()) {
                second.destroyForcibly();
            }
        }
    }

    /** The app in a JVM of its own, as bin/run starts it, configured by environment variables. */
    private static Process startApp(String store, Path dataDir, int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx768m", "-XX:+UseSerialGC",
                "--add-modules", "java.se,jdk.incubator.vector",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        builder.environment().put("VECTORSYNC_DATA_DIR", dataDir.toString());
        builder.environment().put("VECTORSYNC_STORE_URL", store);
        builder.environment().put("VECTORSYNC_CACHE_ENABLED", "false");
        builder.environment().put("VECTORSYNC_SECURITY_ADMIN_KEY", "");
        return builder.start();
    }

    private static void awaitUp(int port) {
        TestApp.await("the app answers on " + port, Duration.ofSeconds(90), () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    private static int put(int port, String id, int i) throws IOException, InterruptedException {
        StringBuilder vector = new StringBuilder();
        for (int d = 0; d < 384; d++) {
            vector.append(d == 0 ? "" : ",").append(((i * 31 + d * 17) % 97) / 97.0 - 0.5);
        }
        String body = "{\"title\":\"" + id + "\",\"body\":\"crash test " + id + "\",\"vectors\":{\"space\":\"default\","
                + "\"vector\":[" + vector + "]}}";
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/tenants/crash/documents/" + id))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonObject get(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.createReader(new StringReader(response.body())).readObject();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
