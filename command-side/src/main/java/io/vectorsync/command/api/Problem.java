package io.vectorsync.command.api;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * An RFC 9457 problem: what went wrong, in words a caller can act on, the JSON path of the offending field when there
 * is one, and for a 429 or 503 when to try again ({@code Retry-After}; 0: the API's default).
 */
public record Problem(
        int status,
        String type,
        String title,
        String detail,
        String field,
        long retryAfterSeconds) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://vectorsync.dev/problems/";

    /** A problem without a {@code Retry-After} of its own. */
    public Problem(int status, String type, String title, String detail, String field) {
        this(status, type, title, detail, field, 0);
    }

    public static Problem of(int status, String slug, String title, String detail, String field) {
        return new Problem(status, TYPE_BASE + slug, title, detail, field, 0);
    }

    public Problem retryAfter(long seconds) {
        return new Problem(status, type, title, detail, field, seconds);
    }

    public JsonObject toJson() {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("type", type)
                .add("title", title)
                .add("status", status);
        if (detail != null) {
            json.add("detail", detail);
        }
        if (field != null) {
            json.add("field", field);
        }
        return json.build();
    }
}
