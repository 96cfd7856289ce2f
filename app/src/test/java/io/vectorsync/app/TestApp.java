package io.vectorsync.app;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Starts the real app on a free port over a data directory, and talks HTTP to it. */
final class TestApp implements AutoCloseable {

    static final int TINY_DIMENSION = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Main.Running running;
    private final String base;

    private TestApp(Main.Running running) {
        this.running = running;
        this.base = "http://localhost:" + running.port();
    }

    /**
     * The keys tests start the app with: loopback on a free port, node {@code test-node}, 256 KiB requests, the spaces
     * {@code default} (MiniLM, 384, cosine, chunks of 64 tokens overlapping by 8) and {@code tiny} (client vectors,
     * {@link #TINY_DIMENSION}), Lucene (HNSW m 16, ef_construction 100), two segments, batches of 100 events, and no
     * hot-vector cache. A test adds or changes keys before it builds the settings.
     */
    static SettingsKeys keys(Path dataDir) {
        return base(dataDir)
                .space("default", "all-minilm-l6-v2", 384, "cosine", 64, 8)
                .space("tiny", "client", TINY_DIMENSION, "cosine", 64, 8);
    }

    /** {@link #keys} without the spaces, for a test that names its own. */
    static SettingsKeys base(Path dataDir) {
        return new SettingsKeys()
                .put("server.host", "localhost")
                .put("server.port", 0)
                .dataDir(dataDir)
                .put("vectorsync.node.id", "test-node")
                .put("vectorsync.max-request-bytes", 256 * 1024)
                .put("vectorsync.default-space", "default")
                .lucene()
                .put("vectorsync.index.hnsw-m", 16)
                .put("vectorsync.index.hnsw-ef-construction", 100)
                .put("vectorsync.processors.segments", 2)
                .put("vectorsync.processors.batch-size", 100)
                .cache(false);
    }

    /** {@link #keys} as they are. */
    static Settings settings(Path dataDir) {
        return keys(dataDir).settings();
    }

    static TestApp start(Path dataDir) {
        return start(settings(dataDir));
    }

    static TestApp start(Settings settings) {
        return new TestApp(Main.start(settings));
    }

    Vectorsync app() {
        return running.app();
    }

    /** {@code http://localhost:<port>}, for clients other than this one (e.g. a browser). */
    String baseUrl() {
        return base;
    }

    Response put(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Posts like a well-behaved client: a 429 is retried after its {@code Retry-After} seconds, for at most the given
     * time. A refused write wrote nothing, so sending it again is safe.
     */
    Response postHonouringRetryAfter(String path, String contentType, String body, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            HttpResponse<String> response = exchange(request(path).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            if (response.statusCode() != 429 || System.nanoTime() > deadline) {
                return response(response);
            }
            long seconds = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
            try {
                Thread.sleep(Duration.ofSeconds(Math.max(1, seconds)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder request) {
        return response(exchange(request));
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response response(HttpResponse<String> response) {
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    /** Polls until the condition holds; fails the test after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        running.stop();
    }

    record Response(int status, String contentType, String body) {

        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
