package io.vectorsync.app.frozen;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP to the app's {@code /v1/tenants} API; any answer but the expected status fails with the body. */
final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ApiClient(int port) {
        this.base = "http://localhost:" + port + "/v1/tenants/";
    }

    String put(String tenant, String path, JsonObject body, String ifMatch, int... expected) {
        HttpRequest.Builder request = request(tenant, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (ifMatch != null) {
            request.header("If-Match", "\"" + ifMatch + "\"");
        }
        return send(request, expected);
    }

    String post(String tenant, String path, String contentType, String body, int... expected) {
        return send(request(tenant, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), expected);
    }

    JsonObject postJson(String tenant, String path, JsonStructure body) {
        return parse(post(tenant, path, "application/json", body.toString(), 200));
    }

    JsonObject getJson(String tenant, String path) {
        return parse(send(request(tenant, path).GET(), 200));
    }

    String delete(String tenant, String path, int... expected) {
        return send(request(tenant, path).DELETE(), expected);
    }

    static JsonObject parse(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private HttpRequest.Builder request(String tenant, String path) {
        return HttpRequest.newBuilder(URI.create(base + tenant + path)).timeout(Duration.ofSeconds(120));
    }

    private String send(HttpRequest.Builder builder, int... expected) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        }
        for (int status : expected) {
            if (status == response.statusCode()) {
                return response.body();
            }
        }
        throw new AssertionError(request.method() + " " + request.uri() + " answered " + response.statusCode()
                + ": " + response.body());
    }
}
