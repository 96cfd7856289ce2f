package io.vectorsync.command.api;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * An RFC 9457 problem: what went wrong, in words a caller can act on, and the JSON path of the
 * offending field when there is one.
 */
public record Problem(
        int status,
        String type,
        String title,
        String detail,
        String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://vectorsync.dev/problems/";

    public static Problem of(int status, String slug, String title, String detail, String field) {
        return new Problem(status, TYPE_BASE + slug, title, detail, field);
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
