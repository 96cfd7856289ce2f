package io.vectorsync.query;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Plain Java values (metadata, event summaries) as JSON-P values. Numbers stay numbers, lists become
 * arrays. The provider is looked up once: {@code Json.createValue} would run a service lookup per call.
 */
public final class JsonValues {

    private static final JsonProvider PROVIDER = JsonProvider.provider();

    /** Shared by the query API's response writers; builder factories are thread-safe. */
    public static final JsonBuilderFactory JSON = PROVIDER.createBuilderFactory(Map.of());

    private JsonValues() {
    }

    public static JsonValue of(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case String s -> PROVIDER.createValue(s);
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case BigDecimal d -> PROVIDER.createValue(d);
            case BigInteger i -> PROVIDER.createValue(i);
            case Integer i -> PROVIDER.createValue(i);
            case Long l -> PROVIDER.createValue(l);
            case Short s -> PROVIDER.createValue(s.intValue());
            case Byte b -> PROVIDER.createValue(b.intValue());
            // JSON has no NaN or infinity; an index never scores so, but a bad value must not fail a response
            case Float f when !Float.isFinite(f) -> JsonValue.NULL;
            case Double d when !Double.isFinite(d) -> JsonValue.NULL;
            // Float.toString keeps a float's shortest form: 0.9f, not 0.8999999761581421
            case Float f -> PROVIDER.createValue(new BigDecimal(f.toString()));
            case Number n -> PROVIDER.createValue(n.doubleValue());
            case Collection<?> items -> array(items).build();
            case Map<?, ?> map -> object(map).build();
            case JsonValue json -> json;
            default -> PROVIDER.createValue(value.toString());
        };
    }

    public static JsonObjectBuilder object(Map<?, ?> map) {
        JsonObjectBuilder builder = JSON.createObjectBuilder();
        if (map != null) {
            map.forEach((key, value) -> builder.add(String.valueOf(key), of(value)));
        }
        return builder;
    }

    public static JsonArrayBuilder array(Collection<?> items) {
        JsonArrayBuilder builder = JSON.createArrayBuilder();
        items.forEach(item -> builder.add(of(item)));
        return builder;
    }
}
