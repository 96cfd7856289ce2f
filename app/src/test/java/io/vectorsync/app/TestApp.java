package io.vectorsync.app;

import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    static Settings settings(Path dataDir) {
        return settings(dataDir, null);
    }

    /** Lucene under the data directory, or OpenSearch when settings for it are given. */
    static Settings settings(Path dataDir, OpenSearchSettings opensearch) {
        return new Settings("localhost", 0, dataDir, "test-node", 256 * 1024, "default",
                List.of(new EmbeddingSpace("default", "all-minilm-l6-v2", 384, "cosine",
                                new ChunkerSettings("recursive", 64, 8)),
                        new EmbeddingSpace("tiny", EmbeddingSpace.CLIENT_MODEL, TINY_DIMENSION, "cosine",
                                new ChunkerSettings("recursive", 64, 8))),
                opensearch == null ? "lucene" : "opensearch", 16, 100, opensearch, 2, 100);
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
