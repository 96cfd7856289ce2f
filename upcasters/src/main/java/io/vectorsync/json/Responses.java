package io.vectorsync.json;

import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

import java.io.StringReader;

/**
 * API responses written with JSON-B from records, where a response is not a measured hot path (hand-built JSON-P stays
 * there): a record's components by name (JSON-B's lexicographic order), absent (null) ones left out, nested records,
 * lists and maps as JSON.
 */
public final class Responses {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));

    private Responses() {
    }

    /** The record (or list, or map of them) as JSON text. */
    public static String json(Object response) {
        return JSONB.toJson(response);
    }

    /** The same, as a JSON-P object: for what combines responses (the console's live stream). */
    public static JsonObject object(Object response) {
        return Json.provider().createReader(new StringReader(json(response))).readObject();
    }
}
