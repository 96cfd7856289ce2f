package io.vectorsync.cli.ingest;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;

/**
 * One document read from a file, as the batch API takes it: its {@code documentId} and fields ({@code title},
 * {@code body}, and from JSON also {@code metadata}, {@code source}, {@code vectors}); {@code origin} says where it
 * came from ({@code guides/setup.md}, {@code docs.ndjson:3}).
 */
record SourceDocument(String id, JsonObject fields, String origin) {

    /** Its line of an NDJSON batch: an upsert. */
    String batchLine() {
        return Json.createObjectBuilder(fields).add("op", "upsert").add("documentId", id).build().toString();
    }

    String title() {
        return fields.getString("title", null);
    }

    String body() {
        return fields.getString("body", null);
    }
}
