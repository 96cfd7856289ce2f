package io.vectorsync.projections.index;

import io.vectorsync.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document's metadata as one JSON string, which adapters store next to their typed filter fields so
 * hits return it exactly as written (numbers as {@link BigDecimal} with their scale, lists in order).
 */
public final class MetadataJson {

    private MetadataJson() {
    }

    public static String write(Map<String, Object> metadata) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        metadata.forEach((key, value) -> {
            switch (value) {
                case String text -> object.add(key, text);
                case Boolean flag -> object.add(key, flag);
                case Number number -> object.add(key, decimal(number));
                case List<?> list -> {
                    JsonArrayBuilder array = Json.createArrayBuilder();
                    list.forEach(item -> array.add((String) item));
                    object.add(key, array);
                }
                default -> throw new IllegalArgumentException("unsupported metadata value for " + key);
            }
        });
        return object.build().toString();
    }

    public static Map<String, Object> read(String json) {
        if (json == null) {
            return Map.of();
        }
        JsonObject object;
        try (var reader = Json.createReader(new StringReader(json))) {
            object = reader.readObject();
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        object.forEach((key, value) -> metadata.put(key, switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case ARRAY -> value.asJsonArray().getValuesAs(JsonString::getString);
            default -> throw new IllegalStateException("unexpected stored metadata " + value);
        }));
        return Collections.unmodifiableMap(metadata);
    }

    public static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
    }
}
