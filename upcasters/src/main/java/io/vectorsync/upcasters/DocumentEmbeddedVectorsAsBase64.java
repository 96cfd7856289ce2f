package io.vectorsync.upcasters;

import io.vectorsync.json.Float32Base64;
import io.vectorsync.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * {@code DocumentEmbedded} 1 → 1.1: each chunk's {@code vector} from a JSON array of decimals to base64 of its
 * little-endian float32s ({@link Float32Base64}).
 * <p>
 * Why: vectors are nearly all of the log's bytes. A 384-dimension vector takes about 4.7 KB as decimals and
 * 2 KB in base64, and reads back without parsing a number. The floats are the same ones: revision 1 wrote each
 * as its shortest round-tripping decimal, which parses back to the same float — except {@code -0.0}, which the
 * {@code JsonObject} of an upcaster cannot hold (JSON-P numbers are {@code BigDecimal}s) and becomes {@code 0.0}.
 */
final class DocumentEmbeddedVectorsAsBase64 extends SingleEventUpcaster {

    static final SimpleSerializedType FROM = new SimpleSerializedType(Upcasters.DOCUMENT_EMBEDDED, "1");
    static final SimpleSerializedType TO = new SimpleSerializedType(Upcasters.DOCUMENT_EMBEDDED, "1.1");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        return event.getType().equals(FROM);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(TO, JsonObject.class, DocumentEmbeddedVectorsAsBase64::upcast);
    }

    static JsonObject upcast(JsonObject event) {
        JsonValue chunks = event.get("chunks");
        if (!(chunks instanceof JsonArray list)) {
            return event; // no chunks to convert: as written
        }
        JsonArrayBuilder converted = Json.createArrayBuilder();
        for (JsonValue chunk : list) {
            JsonObject object = chunk.asJsonObject();
            JsonValue vector = object.get("vector");
            converted.add(vector instanceof JsonArray numbers
                    ? Json.createObjectBuilder(object).add("vector", Float32Base64.encode(floats(numbers))).build()
                    : object);
        }
        return Json.createObjectBuilder(event).add("chunks", converted).build();
    }

    private static float[] floats(JsonArray numbers) {
        float[] vector = new float[numbers.size()];
        for (int i = 0; i < vector.length; i++) {
            // the decimal as written: the same float Float.parseFloat gives
            vector[i] = FloatParser.parse(((JsonNumber) numbers.get(i)).toString());
        }
        return vector;
    }
}
