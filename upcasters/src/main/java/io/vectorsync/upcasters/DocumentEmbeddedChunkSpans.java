package io.vectorsync.upcasters;

import io.vectorsync.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * {@code DocumentEmbedded} 1.2 → 2: a chunk's {@code start} and {@code end} become one {@code span} object, null
 * where revision 1 wrote {@code -1, -1} (a client's passage not found in the body), as revision 2 writes it.
 * <p>
 * Why, in hindsight: -1 was a sentinel pretending to be an offset. Every reader had to remember to test for it
 * before cutting the body, and a passage whose span is unknown looked like one at a position. Now a span is there
 * or it is null. (Readers treat an absent {@code span} like null.)
 */
final class DocumentEmbeddedChunkSpans extends SingleEventUpcaster {

    static final SimpleSerializedType FROM = DocumentEmbeddedProvenance.TO;
    static final SimpleSerializedType TO = new SimpleSerializedType(Upcasters.DOCUMENT_EMBEDDED, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        return event.getType().equals(FROM);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(TO, JsonObject.class, DocumentEmbeddedChunkSpans::upcast);
    }

    static JsonObject upcast(JsonObject event) {
        if (!(event.get("chunks") instanceof JsonArray list)) {
            return event;
        }
        JsonArrayBuilder converted = Json.createArrayBuilder();
        for (JsonValue chunk : list) {
            JsonObject object = chunk.asJsonObject();
            JsonObjectBuilder builder = Json.createObjectBuilder(object).remove("start").remove("end");
            if (object.get("start") instanceof JsonNumber start && start.intValue() >= 0
                    && object.get("end") instanceof JsonNumber end) {
                builder.add("span", Json.createObjectBuilder().add("start", start).add("end", end));
            } else {
                builder.addNull("span"); // as revision 2 writes it: the serializer writes nulls
            }
            converted.add(builder);
        }
        return Json.createObjectBuilder(event).add("chunks", converted).build();
    }
}
