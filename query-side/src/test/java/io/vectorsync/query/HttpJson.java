package io.vectorsync.query;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;

/** A response read as status, content type and JSON body, whatever the status. */
public record HttpJson(
        int status,
        String contentType,
        JsonObject body) {

    public static HttpJson of(Http1ClientRequest request) {
        return read(request.request());
    }

    public static HttpJson of(Http1ClientRequest request, String body) {
        return read(request.submit(body));
    }

    private static HttpJson read(Http1ClientResponse response) {
        try (response) {
            String contentType = response.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
            String text = response.as(String.class);
            JsonObject json = text.isEmpty() ? null : Json.createReader(new StringReader(text)).readObject();
            return new HttpJson(response.status().code(), contentType, json);
        }
    }
}
