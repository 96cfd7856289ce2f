package io.vectorsync.command.api;

import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.domain.EmbeddedChunk;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.SuppliedEmbedding;
import io.vectorsync.domain.UpsertDocument;
import io.vectorsync.json.JsonInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns the JSON of an upsert into the command; JSON shape problems become 400s naming the field. */
final class UpsertRequests {

    static final Set<String> FIELDS = Set.of("title", "body", "metadata", "source", "vectors", "expectedVersion");
    private static final Set<String> VECTOR_FIELDS = Set.of("space", "vector", "chunks");
    private static final Set<String> CHUNK_FIELDS = Set.of("text", "vector", "start", "end");

    private final EmbeddingSpaces spaces;

    UpsertRequests(EmbeddingSpaces spaces) {
        this.spaces = spaces;
    }

    UpsertDocument parse(String tenant, String documentId, JsonInput json, Long expectedVersion) {
        String title = json.optionalString("title");
        String body = json.requiredString("body");
        SuppliedEmbedding embedding = vectors(json.optionalObject("vectors"), title, body);
        return new UpsertDocument(tenant, documentId, title == null ? "" : title, body,
                json.optionalPlainObject("metadata"), json.optionalString("source"), expectedVersion, embedding);
    }

    private SuppliedEmbedding vectors(JsonInput vectors, String title, String body) {
        if (vectors == null) {
            return null;
        }
        vectors.allowOnly(VECTOR_FIELDS);
        String spaceName = vectors.optionalString("space");
        EmbeddingSpace space = spaces.require(spaceName == null ? spaces.defaultSpace() : spaceName,
                vectors.pathOf("space"));
        boolean single = vectors.has("vector");
        boolean chunked = vectors.has("chunks");
        if (single == chunked) {
            throw new InvalidInputException(vectors.path(), "needs exactly one of 'vector' or 'chunks'");
        }
        List<EmbeddedChunk> chunks = new ArrayList<>();
        if (single) {
            float[] vector = vectors.optionalVector("vector");
            String passage = body.isEmpty() && title != null ? title : body;
            int end = body.isEmpty() ? -1 : body.length();
            chunks.add(EmbeddedChunk.of(0, body.isEmpty() ? -1 : 0, end, passage, checked(vector, space, vectors.pathOf("vector"))));
        } else {
            List<JsonInput> items = vectors.objects("chunks");
            if (items.isEmpty()) {
                throw new InvalidInputException(vectors.pathOf("chunks"), "must not be empty");
            }
            int searchFrom = 0;
            for (int i = 0; i < items.size(); i++) {
                JsonInput item = items.get(i).allowOnly(CHUNK_FIELDS);
                String text = item.requiredString("text");
                float[] vector = item.optionalVector("vector");
                if (vector == null) {
                    throw new InvalidInputException(item.pathOf("vector"), "is required");
                }
                Integer start = item.optionalInt("start");
                Integer end = item.optionalInt("end");
                if ((start == null) != (end == null)) {
                    throw new InvalidInputException(item.path(), "give both 'start' and 'end', or neither");
                }
                if (start == null) {
                    start = body.indexOf(text, searchFrom);
                    end = start < 0 ? -1 : start + text.length();
                } else if (start < 0 || end < start || end > body.length()) {
                    throw new InvalidInputException(item.pathOf("start"), "span [" + start + ", " + end
                            + ") is outside the body (length " + body.length() + ")");
                }
                if (start >= 0) {
                    searchFrom = start + 1;
                }
                chunks.add(EmbeddedChunk.of(i, start, end, text, checked(vector, space, item.pathOf("vector"))));
            }
        }
        return new SuppliedEmbedding(space.name(), space.model(), space.dimension(), chunks);
    }

    /** Checked here as well as in the aggregate so the 400 names the exact JSON path. */
    private static float[] checked(float[] vector, EmbeddingSpace space, String path) {
        if (vector == null) {
            throw new InvalidInputException(path, "is required");
        }
        if (vector.length != space.dimension()) {
            throw new InvalidInputException(path, "has " + vector.length + " dimensions; space '" + space.name()
                    + "' needs " + space.dimension());
        }
        return vector;
    }
}
