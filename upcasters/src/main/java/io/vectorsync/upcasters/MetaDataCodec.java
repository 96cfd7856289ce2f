package io.vectorsync.upcasters;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import org.axonframework.messaging.MetaData;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link MetaData} as a plain JSON object. JSON-B would read a {@code MetaData} back as a {@code HashMap} with every
 * number a {@code BigDecimal}; here integral numbers that fit come back as {@link Long} (correlation ids, counters,
 * epoch millis round-trip equal), other numbers as {@link BigDecimal}, objects as maps and arrays as lists. So
 * {@code Integer} or {@code Short} values come back as {@code Long}. A value of any other type is written in its
 * JSON-B form and comes back as that JSON (an {@code Instant} as its ISO string).
 */
final class MetaDataCodec {

    private final JsonProvider json;
    private final Function<Object, JsonValue> fallback;

    MetaDataCodec(JsonProvider json, Function<Object, JsonValue> fallback) {
        this.json = json;
        this.fallback = fallback;
    }

    JsonObject encode(Map<String, ?> metaData) {
        return object(metaData);
    }

    MetaData decode(JsonObject object) {
        return MetaData.from(map(object));
    }

    private JsonObject object(Map<?, ?> map) {
        JsonObjectBuilder builder = json.createObjectBuilder();
        map.forEach((key, value) -> builder.add(String.valueOf(key), value(value)));
        return builder.build();
    }

    private JsonValue value(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case JsonValue jsonValue -> jsonValue;
            case String string -> json.createValue(string);
            case Boolean bool -> bool ? JsonValue.TRUE : JsonValue.FALSE;
            case Long number -> json.createValue(number);
            case Integer number -> json.createValue(number.longValue());
            case Short number -> json.createValue(number.longValue());
            case Byte number -> json.createValue(number.longValue());
            case BigDecimal number -> json.createValue(number);
            case BigInteger number -> json.createValue(number);
            // through its decimal string, so 0.1f is written 0.1 and not as the widened double 0.10000000149011612
            case Float number -> json.createValue(new BigDecimal(number.toString()));
            case Double number -> json.createValue(number);
            case Map<?, ?> map -> object(map);
            case Collection<?> collection -> array(collection);
            default -> fallback.apply(value);
        };
    }

    private JsonValue array(Collection<?> collection) {
        JsonArrayBuilder builder = json.createArrayBuilder();
        collection.forEach(element -> builder.add(value(element)));
        return builder.build();
    }

    private static Map<String, Object> map(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach((key, value) -> map.put(key, value(value)));
        return Collections.unmodifiableMap(map);
    }

    private static Object value(JsonValue value) {
        return switch (value.getValueType()) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> number((JsonNumber) value);
            case OBJECT -> map(value.asJsonObject());
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                value.asJsonArray().forEach(element -> list.add(value(element)));
                yield Collections.unmodifiableList(list);
            }
        };
    }

    private static Object number(JsonNumber number) {
        if (number.isIntegral()) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException beyondLong) {
                // falls through to BigDecimal
            }
        }
        return number.bigDecimalValue();
    }
}
