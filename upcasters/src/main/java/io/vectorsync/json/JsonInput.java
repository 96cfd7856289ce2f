package io.vectorsync.json;

import io.vectorsync.domain.InvalidInputException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, path-aware access to a JSON request object. Every problem becomes an
 * {@link InvalidInputException} naming the JSON path, so an API can answer a precise 400.
 */
public final class JsonInput {

    private final JsonObject object;
    private final String path;

    private JsonInput(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /**
     * Parses a whole request body, or one NDJSON line, that must be one JSON object, by the rules of
     * {@link StrictJsonReader}.
     */
    public static JsonInput parse(String json, String what) {
        if (json == null || json.isBlank()) {
            throw new InvalidInputException(what, "is empty; a JSON object is required");
        }
        JsonValue value = StrictJsonReader.read(json, what);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException(what, "must be a JSON object");
        }
        return new JsonInput(value.asJsonObject(), "");
    }

    public static JsonInput of(JsonObject object, String path) {
        return new JsonInput(object, path);
    }

    public JsonObject raw() {
        return object;
    }

    public String path() {
        return path;
    }

    public String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public boolean has(String name) {
        return object.containsKey(name) && object.get(name).getValueType() != JsonValue.ValueType.NULL;
    }

    /** Rejects fields this request does not know, so a misspelt field is not silently ignored. */
    public JsonInput allowOnly(Set<String> names) {
        for (String key : object.keySet()) {
            if (!names.contains(key)) {
                throw new InvalidInputException(pathOf(key), "is not a known field; expected one of " + new java.util.TreeSet<>(names));
            }
        }
        return this;
    }

    public String requiredString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw new InvalidInputException(pathOf(name), "is required");
        }
        return value;
    }

    public String optionalString(String name) {
        JsonValue value = value(name);
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidInputException(pathOf(name), "must be a string");
        }
        return ((JsonString) value).getString();
    }

    public Integer optionalInt(String name) {
        BigDecimal value = optionalIntegral(name);
        try {
            return value == null ? null : value.intValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidInputException(pathOf(name), "is out of range");
        }
    }

    public Long optionalLong(String name) {
        BigDecimal value = optionalIntegral(name);
        try {
            return value == null ? null : value.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidInputException(pathOf(name), "is out of range");
        }
    }

    private BigDecimal optionalIntegral(String name) {
        JsonValue value = value(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw new InvalidInputException(pathOf(name), "must be an integer");
        }
        return number.bigDecimalValue();
    }

    public Double optionalNumber(String name) {
        JsonValue value = value(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonNumber number)) {
            throw new InvalidInputException(pathOf(name), "must be a number");
        }
        return number.doubleValue();
    }

    public Boolean optionalBoolean(String name) {
        JsonValue value = value(name);
        if (value == null) {
            return null;
        }
        return switch (value.getValueType()) {
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            default -> throw new InvalidInputException(pathOf(name), "must be true or false");
        };
    }

    public JsonInput optionalObject(String name) {
        JsonValue value = value(name);
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException(pathOf(name), "must be a JSON object");
        }
        return new JsonInput(value.asJsonObject(), pathOf(name));
    }

    public JsonArray optionalArray(String name) {
        JsonValue value = value(name);
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidInputException(pathOf(name), "must be an array");
        }
        return value.asJsonArray();
    }

    /** The objects of an array field, each with its own path ({@code chunks[2]}). */
    public List<JsonInput> objects(String name) {
        JsonArray array = optionalArray(name);
        if (array == null) {
            return null;
        }
        List<JsonInput> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonValue item = array.get(i);
            String itemPath = pathOf(name) + "[" + i + "]";
            if (item.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidInputException(itemPath, "must be a JSON object");
            }
            result.add(new JsonInput(item.asJsonObject(), itemPath));
        }
        return result;
    }

    /**
     * A vector: an array of finite numbers. JSON cannot spell NaN or Infinity, but a number too large
     * for a float overflows to infinity, which is rejected the same way.
     */
    public float[] optionalVector(String name) {
        JsonArray array = optionalArray(name);
        if (array == null) {
            return null;
        }
        return vector(array, pathOf(name));
    }

    public static float[] vector(JsonArray array, String path) {
        if (array.isEmpty()) {
            throw new InvalidInputException(path, "must not be empty");
        }
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonValue item = array.get(i);
            if (!(item instanceof JsonNumber number)) {
                throw new InvalidInputException(path + "[" + i + "]", "must be a number");
            }
            float f = (float) number.doubleValue();
            if (!Float.isFinite(f)) {
                throw new InvalidInputException(path, "must contain only finite numbers (item " + i + " is not)");
            }
            vector[i] = f;
        }
        return vector;
    }

    /**
     * A metadata object as plain Java values: strings, BigDecimal numbers, booleans and lists.
     * Deeper validation (allowed types, sizes) is the domain's job.
     */
    public Map<String, Object> optionalPlainObject(String name) {
        JsonInput input = optionalObject(name);
        if (input == null) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : input.object.entrySet()) {
            result.put(entry.getKey(), plain(entry.getValue(), input.pathOf(entry.getKey())));
        }
        return result;
    }

    /** A JSON value as a plain Java value; nested objects are rejected (metadata and filters are flat). */
    public static Object plain(JsonValue value, String path) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                Iterator<JsonValue> it = value.asJsonArray().iterator();
                for (int i = 0; it.hasNext(); i++) {
                    JsonValue item = it.next();
                    if (item.getValueType() == JsonValue.ValueType.ARRAY || item.getValueType() == JsonValue.ValueType.OBJECT) {
                        throw new InvalidInputException(path + "[" + i + "]", "must be a string, number or boolean");
                    }
                    list.add(plain(item, path + "[" + i + "]"));
                }
                yield list;
            }
            case OBJECT -> throw new InvalidInputException(path, "must not be a nested object");
        };
    }

    public static BigDecimal number(JsonValue value, String path) {
        if (!(value instanceof JsonNumber number)) {
            throw new InvalidInputException(path, "must be a number");
        }
        return number.bigDecimalValue();
    }

    private JsonValue value(String name) {
        JsonValue value = object.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }
}
