package io.vectorsync.cli.http;

import io.vectorsync.cli.Failure;
import io.vectorsync.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Vectorsync's HTTP API for the commands: JSON in and out, the key as a bearer token, and every answer that is not a
 * success turned into a {@link Failure} saying {@code <title>: <detail>} from its problem+json. A server that cannot
 * be reached is a {@link Failure} too, on one line.
 */
public final class Api {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final URI base;
    private final String key;
    private final HttpClient http;

    public Api(String url, String key) {
        String trimmed = url.strip().replaceAll("/+$", "");
        try {
            this.base = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new Failure("--url is not a URL: '" + url + "'");
        }
        if (base.getScheme() == null || !base.getScheme().matches("https?") || base.getHost() == null) {
            throw new Failure("--url must be an http(s) URL such as http://localhost:8080, not '" + url + "'");
        }
        this.key = key == null || key.isBlank() ? null : key.strip();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** An answer as it came: status, content type and body. */
    public record Response(int status, String contentType, String body, Optional<String> retryAfter) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as a JSON object; an empty body is an empty object. */
        public JsonObject json() {
            if (body.isBlank()) {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            return parse(body);
        }
    }

    public JsonObject get(String path) {
        return success("GET", path, send("GET", path, null, null));
    }

    public JsonObject post(String path, JsonObject body) {
        return success("POST", path, send("POST", path, "application/json", body == null ? null : body.toString()));
    }

    public JsonObject delete(String path) {
        return success("DELETE", path, send("DELETE", path, null, null));
    }

    /** Sends one request and answers whatever came back; only an unreachable server throws. */
    public Response send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(base.getPath() + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json, application/x-ndjson")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().firstValue("Retry-After"));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new Failure("cannot connect to Vectorsync at " + base + " (" + reason(e) + "): is it running? "
                    + "Set --url or VECTORSYNC_URL", e);
        } catch (HttpTimeoutException e) {
            throw new Failure(method + " " + path + " had no answer from " + base + " within "
                    + REQUEST_TIMEOUT.toMinutes() + " minutes", e);
        } catch (IOException e) {
            throw new Failure(method + " " + path + " to " + base + " failed: " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", e);
        }
    }

    /** The answer's JSON when it is a success, else its problem as a {@link Failure}. */
    public static JsonObject success(String method, String path, Response response) {
        if (response.ok()) {
            return response.json();
        }
        throw failure(method, path, response);
    }

    /** What a failed answer says: {@code <title>: <detail>} of its problem, else its status and the request. */
    public static Failure failure(String method, String path, Response response) {
        return new Failure(problem(response).orElseGet(() -> "HTTP " + response.status() + " from " + method + " "
                + path + (response.body().isBlank() ? "" : ": " + abbreviate(response.body().strip(), 200))));
    }

    /** {@code <title>: <detail>} of a problem+json body (or of the {@code problem} of a batch's result line). */
    public static Optional<String> problem(Response response) {
        if (!response.contentType().startsWith("application/problem+json")
                && !response.contentType().startsWith("application/json")) {
            return Optional.empty();
        }
        try {
            return describe(parse(response.body()));
        } catch (JsonException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** {@code <title>: <detail>} of a problem object, when it has a title or a detail. */
    public static Optional<String> describe(JsonObject problem) {
        String title = problem.getString("title", "");
        String detail = problem.getString("detail", "");
        if (title.isEmpty() && detail.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(title.isEmpty() ? detail : detail.isEmpty() ? title : title + ": " + detail);
    }

    public static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** One path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String abbreviate(String text, int max) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused") ? "connection refused"
                        : t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
}
