package io.vectorsync.app;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The app in a JVM of its own, as {@code bin/run} starts it, configured by environment; and requests to it. */
final class AppProcess {

    /** Each started process's log, by port: shown when it does not come up. */
    private static final Map<Integer, Path> LOGS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AppProcess() {
    }

    /** Starts the app on {@code port} with {@code dataDir}; on the store at {@code storeUrl}, or the embedded one. */
    static Process start(String storeUrl, Path dataDir, int port, Path log) throws IOException {
        return start(storeUrl, dataDir, port, log, Map.of());
    }

    /** As {@link #start(String, Path, int, Path)}, with more environment (settings) that take precedence. */
    static Process start(String storeUrl, Path dataDir, int port, Path log, Map<String, String> environment)
            throws IOException {
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
        if (storeUrl != null) {
            builder.environment().put("VECTORSYNC_STORE_URL", storeUrl);
        }
        builder.environment().put("VECTORSYNC_CACHE_ENABLED", "false");
        // one node, restarted in place: a stable id takes its segments back at once after a kill, as the README advises
        builder.environment().put("VECTORSYNC_NODE_ID", "app-process");
        builder.environment().put("VECTORSYNC_SECURITY_ADMIN_KEY", "");
        builder.environment().putAll(environment);
        LOGS.put(port, log);
        return builder.start();
    }

    static void awaitUp(int port) {
        try {
            awaitLive(port);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the end of its log:\n" + logTail(LOGS.get(port)), e);
        }
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = log == null ? List.of("(no log)") : Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void awaitLive(int port) {
        TestApp.await("the app answers on " + port, Duration.ofSeconds(90), () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    /** Upserts a client-vector document of tenant {@code tenant}; answers the status. */
    static int put(int port, String tenant, String id, int i) throws IOException, InterruptedException {
        StringBuilder vector = new StringBuilder();
        for (int d = 0; d < 384; d++) {
            vector.append(d == 0 ? "" : ",").append(((i * 31 + d * 17) % 97) / 97.0 - 0.5);
        }
        String body = "{\"title\":\"" + id + "\",\"body\":\"process test " + id + "\",\"vectors\":{\"space\":\"default\","
                + "\"vector\":[" + vector + "]}}";
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/tenants/" + tenant
                                + "/documents/" + id))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static JsonObject get(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.createReader(new StringReader(response.body())).readObject();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Writers that upsert documents one after another, each on its own thread, noting each acknowledged id. */
    static final class Writers implements AutoCloseable {

        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        /** Writes sent, acknowledged or not. */
        final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final ExecutorService threads;

        Writers(int port, String tenant, int count) {
            this(port, tenant, count, Integer.MAX_VALUE);
        }

        /** Writers that each cycle over {@code ids} documents: after the first round, every write is an update. */
        Writers(int port, String tenant, int count, int ids) {
            threads = Executors.newFixedThreadPool(count);
            for (int w = 0; w < count; w++) {
                int writer = w;
                threads.submit(() -> {
                    for (int i = 0; writing.get() && i < 100_000; i++) {
                        String id = "w" + writer + "-" + (i % ids);
                        writes.incrementAndGet();
                        try {
                            if (put(port, tenant, id, i) / 100 == 2) {
                                acknowledged.add(id);
                            }
                        } catch (IOException | InterruptedException e) {
                            return; // the process is gone
                        }
                    }
                });
            }
        }

        /** Waits (at most a minute) until this many writes were sent; fails if they were not. */
        void awaitWrites(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (writes.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (writes.get() < count) {
                throw new AssertionError("only " + writes.get() + " writes sent in a minute");
            }
        }

        /** Waits (at most a minute) until this many writes were acknowledged; fails if they were not. */
        void awaitAcknowledged(int count) throws InterruptedException {
            awaitAcknowledged(count, Duration.ofSeconds(60));
        }

        /** Waits (at most {@code within}) until this many writes were acknowledged; fails if they were not. */
        void awaitAcknowledged(int count, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (acknowledged.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (acknowledged.size() < count) {
                throw new AssertionError("only " + acknowledged.size() + " writes acknowledged within " + within);
            }
        }

        @Override
        public void close() throws InterruptedException {
            writing.set(false);
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts the app again on the same store and data directory and checks that each acknowledged document is there
     * once and indexed; stops it again.
     */
    static void restartAndCheck(String storeUrl, Path dataDir, int port, Path log, String tenant,
                                Set<String> acknowledged) throws IOException, InterruptedException {
        Process again = start(storeUrl, dataDir, port, log);
        try {
            awaitUp(port);
            assertEachWrittenOnceAndIndexed(port, tenant, acknowledged);
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
            again.destroyForcibly();
        }
    }

    /** Each acknowledged document was created and embedded once, and the index agrees with the log (drift 0). */
    static void assertEachWrittenOnceAndIndexed(int port, String tenant, Set<String> acknowledged) {
        for (String id : acknowledged) {
            JsonObject history = get(port, "/v1/tenants/" + tenant + "/documents/" + id + "/history");
            List<String> types = new ArrayList<>();
            history.getJsonArray("events").getValuesAs(JsonObject.class).forEach(e -> types.add(e.getString("type")));
            assertThat(types).as(id).containsExactly("DocumentCreated", "DocumentEmbedded");
        }
        TestApp.await("the index agrees with the log", Duration.ofSeconds(120), () -> {
            JsonObject drift = get(port, "/v1/admin/indexes/default/drift");
            return drift.getInt("drift") == 0 && drift.getInt("inSync") >= acknowledged.size();
        });
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
