package io.vectorsync.cli.admin;

import io.vectorsync.cli.Failure;
import jakarta.json.JsonObject;

import java.util.Optional;

/** Reading {@code GET /v1/admin/indexes}: a space's entry, a version of it. */
final class Indexes {

    private Indexes() {
    }

    static JsonObject space(JsonObject indexes, String space) {
        return indexes.getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("space", "").equals(space)).findFirst()
                .orElseThrow(() -> new Failure("no space '" + space + "'; the spaces are "
                        + indexes.getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                        .map(s -> s.getString("space", "?")).toList()));
    }

    static Optional<JsonObject> version(JsonObject space, int version) {
        return space.getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .filter(v -> v.getInt("version", -1) == version).findFirst();
    }
}
