package io.vectorsync.ui.admin;

import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.JsonInput;
import io.vectorsync.projections.versions.VersionSettings;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The body of {@code POST /v1/admin/indexes/{space}/versions}, parsed strictly into {@link VersionSettings}: only
 * known fields, each in range, a model the space can embed with, a point-in-time cut that is exactly one of a
 * position and an instant. What only the index backend knows (its quantizations, whether it has shards) it checks
 * itself.
 */
final class RebuildRequest {

    private static final Set<String> FIELDS = Set.of("hnswM", "hnswEfConstruction", "efSearch", "quantization",
            "shards", "replicas", "autoSwap", "until", "model", "reembedPerSecond");

    private RebuildRequest() {
    }

    /** An empty body asks for a version with the configured settings. */
    static VersionSettings parse(String body, String spaceName, EmbeddingSpaces spaces) {
        JsonInput input = JsonInput.parse(body == null || body.isBlank() ? "{}" : body, "body").allowOnly(FIELDS);
        Boolean autoSwap = input.optionalBoolean("autoSwap");
        String model = input.optionalString("model");
        if (model != null) {
            EmbeddingSpace space = spaces.require(spaceName, "space");
            if (!space.embedsInProcess()) {
                throw new InvalidInputException(input.pathOf("model"), "space '" + spaceName + "' takes its vectors "
                        + "from the content system; there is no model to move it to");
            }
            try {
                spaces.modelById(model, space);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(input.pathOf("model"), e.getMessage());
            }
        }
        VersionSettings.Cut until = cut(input.optionalObject("until"));
        if (until != null && autoSwap != null && autoSwap) {
            throw new InvalidInputException(input.pathOf("autoSwap"), "a point-in-time version is read-only; it never "
                    + "becomes live");
        }
        return new VersionSettings(atLeast(input, "hnswM", 2), atLeast(input, "hnswEfConstruction", 1),
                atLeast(input, "efSearch", 1), atLeast(input, "shards", 1), atLeast(input, "replicas", 0),
                input.optionalString("quantization"), autoSwap != null && autoSwap, model,
                atLeast(input, "reembedPerSecond", 1), until);
    }

    private static VersionSettings.Cut cut(JsonInput until) {
        if (until == null) {
            return null;
        }
        until.allowOnly(Set.of("position", "timestamp"));
        Long position = until.optionalLong("position");
        String timestamp = until.optionalString("timestamp");
        if ((position == null) == (timestamp == null)) {
            throw new InvalidInputException(until.path(), "needs exactly one of 'position' (a log position) or "
                    + "'timestamp' (ISO-8601, e.g. 2026-11-01T00:00:00Z)");
        }
        if (position != null && position < 0) {
            throw new InvalidInputException(until.pathOf("position"), "must be 0 or more");
        }
        try {
            return new VersionSettings.Cut(position, timestamp == null ? null : Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(until.pathOf("timestamp"), "must be an ISO-8601 instant such as "
                    + "2026-11-01T00:00:00Z, got '" + timestamp + "'");
        }
    }

    private static Integer atLeast(JsonInput input, String field, int min) {
        Integer value = input.optionalInt(field);
        if (value != null && value < min) {
            throw new InvalidInputException(input.pathOf(field), "must be at least " + min + ", got " + value);
        }
        return value;
    }
}
