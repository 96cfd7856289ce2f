package io.vectorsync.query.search;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.query.JsonValues;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.List;

/** The search response body. */
final class SearchJson {

    private SearchJson() {
    }

    static JsonObject response(SearchRequest request, List<DocumentHit> hits, long tookMs) {
        JsonArrayBuilder array = JsonValues.JSON.createArrayBuilder();
        hits.forEach(hit -> array.add(hit(hit)));
        return JsonValues.JSON.createObjectBuilder()
                .add("hits", array)
                .add("space", request.space().name())
                .add("mode", request.mode().value())
                .add("k", request.k())
                .add("tookMs", tookMs)
                .build();
    }

    private static JsonObjectBuilder hit(DocumentHit hit) {
        JsonObjectBuilder passage = JsonValues.JSON.createObjectBuilder()
                .add("text", JsonValues.of(hit.passage()))
                .add("start", span(hit.start()))
                .add("end", span(hit.end()))
                .add("chunk", hit.chunkIndex());
        return JsonValues.JSON.createObjectBuilder()
                .add("documentId", hit.documentId())
                .add("score", JsonValues.of(hit.score()))
                .add("title", JsonValues.of(hit.title()))
                .add("passage", passage)
                .add("metadata", JsonValues.object(hit.metadata()))
                .add("version", hit.version());
    }

    /** The index stores -1 for a client-supplied passage not found in the body; the API says null. */
    private static JsonValue span(int offset) {
        return offset < 0 ? JsonValue.NULL : JsonValues.of(offset);
    }
}
