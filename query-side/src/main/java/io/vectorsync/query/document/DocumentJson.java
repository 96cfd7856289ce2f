package io.vectorsync.query.document;

import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.query.JsonValues;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.List;

/** Response bodies of the document resource. Domain events never leave as payloads; these shapes do. */
final class DocumentJson {

    private DocumentJson() {
    }

    static JsonObject document(DocumentState state) {
        JsonArrayBuilder embeddings = JsonValues.JSON.createArrayBuilder();
        state.embeddings().forEach(embedding -> embeddings.add(JsonValues.JSON.createObjectBuilder()
                .add("space", embedding.space())
                .add("model", JsonValues.of(embedding.model()))
                .add("dimension", embedding.dimension())
                .add("contentRevision", embedding.contentRevision())
                .add("chunks", embedding.chunks())
                .add("chunker", chunker(embedding.chunker()))
                .add("current", state.isCurrent(embedding))));
        return JsonValues.JSON.createObjectBuilder()
                .add("tenant", state.tenant())
                .add("documentId", state.documentId())
                .add("title", JsonValues.of(state.title()))
                .add("body", JsonValues.of(state.body()))
                .add("metadata", JsonValues.object(state.metadata()))
                .add("source", JsonValues.of(state.source()))
                .add("version", state.version())
                .add("deleted", state.deleted())
                .add("contentRevision", state.contentRevision())
                .add("lastModified", timestamp(state.lastModified()))
                .add("embeddings", embeddings)
                .add("embeddingStatus", state.embeddingStatus().wireName())
                .build();
    }

    static JsonObject history(List<HistoryEntry> entries) {
        JsonArrayBuilder events = JsonValues.JSON.createArrayBuilder();
        for (HistoryEntry entry : entries) {
            JsonObjectBuilder event = JsonValues.JSON.createObjectBuilder()
                    .add("version", entry.version());
            if (entry.position() != null) {
                event.add("position", entry.position());
            }
            event.add("type", entry.type())
                    .add("timestamp", timestamp(entry.timestamp()));
            entry.summary().forEach((name, value) -> event.add(name, JsonValues.of(value)));
            events.add(event);
        }
        return JsonValues.JSON.createObjectBuilder().add("events", events).build();
    }

    private static JsonValue chunker(ChunkerSettings chunker) {
        if (chunker == null) {
            return JsonValue.NULL;
        }
        return JsonValues.JSON.createObjectBuilder()
                .add("name", JsonValues.of(chunker.name()))
                .add("maxTokens", chunker.maxTokens())
                .add("overlapTokens", chunker.overlapTokens())
                .build();
    }

    /** ISO-8601 in UTC, e.g. {@code 2026-11-27T04:02:57.123Z}. */
    private static JsonValue timestamp(Instant instant) {
        return JsonValues.of(instant == null ? null : instant.toString());
    }
}
