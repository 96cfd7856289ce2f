package io.vectorsync.upcasters;

import io.vectorsync.crypto.ContentCipher;
import io.vectorsync.crypto.ContentKeys;
import io.vectorsync.crypto.ContentSeal;
import io.vectorsync.domain.ContentBearing;
import io.vectorsync.json.Float32Base64;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import org.axonframework.eventhandling.TrackingToken;
import org.eclipse.yasson.YassonJsonb;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.ContentTypeConverter;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;

import java.io.StringReader;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * The one Axon {@link Serializer} of Vectorsync — events, messages, tracking tokens, dead letters — writing UTF-8
 * JSON with Jakarta JSON-B (Yasson) and JSON-P (Parsson). Build one with {@link #create()} and share it: it holds a
 * single, thread-safe {@link Jsonb}.
 * <p>
 * Representations: {@code byte[]}, {@link String}, {@link JsonObject} (the upcasting representation: an upcaster asks
 * for {@code JsonObject} and Axon's converter parses the stored bytes), and whatever Axon's {@link ChainingConverter}
 * reaches from {@code byte[]} ({@code InputStream}).
 * <p>
 * Three kinds of object are not left to JSON-B:
 * <ul>
 *     <li>{@link MetaData}, by {@link MetaDataCodec}: integral numbers come back as {@link Long}, all other numbers
 *     as {@link java.math.BigDecimal}, objects as maps and arrays as lists;</li>
 *     <li>{@link TrackingToken}s, by {@link TrackingTokenCodec}, which JSON-B cannot rebuild (no default
 *     constructors, tokens nested in tokens);</li>
 *     <li>anything else is plain JSON-B; an {@code Object}-typed value such as the events' {@code metadata} maps
 *     comes back with JSON-B's default mapping: {@code String}, {@code BigDecimal}, {@code Boolean}, {@code List},
 *     {@code Map}.</li>
 * </ul>
 * Deserializing is strict: a property the target class does not have is an error, so an event whose shape changed
 * without an upcaster fails loudly instead of losing a field. Vectors ({@code float[]}) have their own writer and
 * reader: shortest decimals out, and in only numbers, converted to exactly the floats {@link Float#parseFloat} gives
 * but several times faster ({@link FloatParser}), as replays spend most of their parsing there.
 */
public final class JsonbSerializer implements Serializer {

    private final Jsonb jsonb;
    private final JsonReaderFactory readers;
    private final JsonParserFactory parsers;
    private final JsonTreeReader trees;
    private final RevisionResolver revisions = new AnnotationRevisionResolver();
    private final ClassLoader classLoader = JsonbSerializer.class.getClassLoader();
    private final ChainingConverter converter = new ChainingConverter(classLoader);
    private final MetaDataCodec metaData;
    private final TrackingTokenCodec tokens;
    /** Seals the content of content-bearing events on write and opens it on read; null: no sealing. */
    private final ContentSeal seal;

    private JsonbSerializer(ContentKeys keys) {
        this.jsonb = JsonbBuilder.create(new JsonbConfig()
                // every component is written, null or not, so a stored event shows its whole shape
                .withNullValues(true)
                .withSerializers(new VectorSerializer())
                .withDeserializers(new VectorDeserializer())
                // Yasson's switch: an unknown property fails instead of being dropped silently
                .setProperty("jsonb.fail-on-unknown-properties", true));
        // the static Json.* methods look the provider up on every call; keep one
        JsonProvider json = JsonProvider.provider();
        this.readers = json.createReaderFactory(Map.of());
        this.parsers = json.createParserFactory(Map.of());
        this.trees = new JsonTreeReader(json);
        this.metaData = new MetaDataCodec(json, this::toJsonValue);
        this.tokens = new TrackingTokenCodec(json, this::toJsonValue, this::fromJsonValue);
        this.seal = keys == null ? null : new ContentSeal(keys, json);
        converter.registerConverter(new FunctionConverter<>(byte[].class, JsonObject.class, this::parseObject));
        converter.registerConverter(new FunctionConverter<>(JsonObject.class, byte[].class,
                object -> object.toString().getBytes(StandardCharsets.UTF_8)));
        // direct, not chained through byte[]: Axon only chains converters for declared types, never for
        // an implementation class such as Parsson's JsonObjectImpl
        converter.registerConverter(new FunctionConverter<>(String.class, JsonObject.class, this::parseObject));
        converter.registerConverter(new FunctionConverter<>(JsonObject.class, String.class, JsonObject::toString));
    }

    /** A serializer with the annotation revision resolver ({@code @Revision}) and the standard converters. */
    public static JsonbSerializer create() {
        return new JsonbSerializer(null);
    }

    /**
     * As {@link #create()}, sealing the content of every {@link ContentBearing} event with its document's data key
     * from {@code keys} ({@link ContentSeal}), and opening it wherever stored JSON is read: deserializing, and the
     * {@code JsonObject} the upcasters work on (so they see plain events). Events stored unsealed read as they are.
     */
    public static JsonbSerializer sealing(ContentKeys keys) {
        return new JsonbSerializer(java.util.Objects.requireNonNull(keys));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        SerializedType type = typeForClass(object == null ? null : object.getClass());
        T data;
        if (JsonObject.class.equals(expectedRepresentation)) {
            data = (T) parseObject(toJson(object));
        } else if (String.class.equals(expectedRepresentation)) {
            data = (T) toJson(object);
        } else {
            data = converter.convert(toJson(object).getBytes(StandardCharsets.UTF_8), expectedRepresentation);
        }
        return new SimpleSerializedObject<>(data, expectedRepresentation, type);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return JsonObject.class.equals(expectedRepresentation)
                || String.class.equals(expectedRepresentation)
                || converter.canConvert(byte[].class, expectedRepresentation);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        SerializedType type = serializedObject.getType();
        if (SerializedType.emptyType().equals(type)) {
            return null;
        }
        Class<?> target = classForType(type);
        if (UnknownSerializedType.class.equals(target)) {
            return (T) new UnknownSerializedType(this, serializedObject);
        }
        try {
            if (MetaData.class.equals(target)) {
                return (T) metaData.decode(converter.convert(serializedObject, JsonObject.class).getData());
            }
            if (TrackingToken.class.isAssignableFrom(target)) {
                return (T) target.cast(tokens.decode(converter.convert(serializedObject, JsonObject.class).getData()));
            }
            String stored = converter.convert(serializedObject, String.class).getData();
            if (seal != null && ContentSeal.maybeSealed(stored)) {
                // opened as text: the vector reader needs a parser over text (getValue)
                stored = seal.openToText(parseSealed(stored));
            }
            return (T) jsonb.fromJson(stored, target);
        } catch (JsonbException | JsonException | ClassCastException | ArithmeticException | ContentCipher.Unreadable e) {
            // ClassCastException, ArithmeticException: JSON of the wrong kind where a codec expects an object or a long;
            // Unreadable: a sealed content that does not authenticate (altered, or moved to another document)
            throw new SerializationException("Cannot deserialize " + describe(type) + ": " + e.getMessage(), e);
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        if (SerializedType.emptyType().equals(type)) {
            return Void.class;
        }
        try {
            return Class.forName(type.getName(), false, classLoader);
        } catch (ClassNotFoundException e) {
            // Axon's contract: an unknown type is not an error until someone reads its data
            return UnknownSerializedType.class;
        }
    }

    @Override
    public SerializedType typeForClass(@SuppressWarnings("rawtypes") Class type) {
        if (type == null || Void.class.equals(type) || void.class.equals(type)) {
            return SimpleSerializedType.emptyType();
        }
        return new SimpleSerializedType(type.getName(), revisions.revisionOf(type));
    }

    @Override
    public Converter getConverter() {
        return converter;
    }

    private String toJson(Object object) {
        if (object == null) {
            return "null";
        }
        try {
            if (object instanceof MetaData values) {
                return metaData.encode(values).toString();
            }
            if (object instanceof TrackingToken token) {
                return tokens.encode(token).toString();
            }
            if (seal != null && object instanceof ContentBearing) {
                return seal.seal((JsonObject) ((YassonJsonb) jsonb).toJsonStructure(object)).toString();
            }
            return jsonb.toJson(object);
        } catch (JsonbException | JsonException | NumberFormatException e) {
            // NumberFormatException: JSON has no NaN or infinity
            throw new SerializationException("Cannot serialize " + object.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** The JSON-B form of a value the codecs have no own mapping for (a replay context, a metadata value). */
    private JsonValue toJsonValue(Object value) {
        try (JsonReader reader = readers.createReader(new StringReader(jsonb.toJson(value)))) {
            return reader.readValue();
        }
    }

    private Object fromJsonValue(JsonValue json, String className) {
        try {
            return jsonb.fromJson(json.toString(), Class.forName(className, false, classLoader));
        } catch (ClassNotFoundException e) {
            throw new SerializationException("Unknown class " + className, e);
        }
    }

    /**
     * The stored bytes as the upcasting representation. Decimals stay text until someone asks for their value
     * ({@link JsonTreeReader}): the first upcaster reads a revision-1 vector's decimals as floats through their
     * text, so a {@code BigDecimal} for each was pure cost (about a sixth of reading an old event, {@code bench/schema}).
     */
    private JsonObject parseObject(byte[] json) {
        return parseObject(new String(json, StandardCharsets.UTF_8));
    }

    /** From a string: the bytes decoded at once, not through the decoding stream the parser would read them from. */
    private JsonObject parseObject(String json) {
        JsonObject object = parseSealed(json);
        return seal == null ? object : seal.open(object);
    }

    /** The stored JSON as it is, a sealed envelope still sealed. */
    private JsonObject parseSealed(String json) {
        try (JsonParser parser = parsers.createParser(new StringReader(json))) {
            return trees.readObject(parser);
        } catch (JsonException e) {
            throw new SerializationException("Not a JSON object: " + e.getMessage(), e);
        }
    }

    private static String describe(SerializedType type) {
        return type.getName() + (type.getRevision() == null ? "" : " revision " + type.getRevision());
    }

    /**
     * Vectors, the bulk of the stored data, written short and exact: base64 of their little-endian float32 bits
     * ({@link Float32Base64}), 0.44 of the decimal array revision 1 wrote, every bit kept ({@code -0.0}
     * too) and read back without parsing a number.
     */
    private static final class VectorSerializer implements jakarta.json.bind.serializer.JsonbSerializer<float[]> {

        @Override
        public void serialize(float[] vector, JsonGenerator generator, SerializationContext context) {
            for (float value : vector) {
                if (!Float.isFinite(value)) {
                    throw new JsonbException("A vector holds finite numbers only, not " + value);
                }
            }
            generator.write(Float32Base64.encode(vector));
        }
    }

    /**
     * Vectors as base64 of float32s (revision 2 on), or as a JSON array of numbers (revision 1, as a dead letter or
     * a message written before upcasting may still hold them), each number converted by {@link FloatParser}: the
     * same floats {@link Float#parseFloat} gives, without JSON-B's per-number conversions. Only numbers are array
     * items: a string, {@code null}, array or object inside a vector is an error.
     */
    private static final class VectorDeserializer implements JsonbDeserializer<float[]> {

        @Override
        public float[] deserialize(JsonParser parser, DeserializationContext context, Type type) {
            // JSON-B hands over the parser after the value's first event; only a structure has more events
            if (!parser.hasNext()) { // a scalar: a base64 string, or null
                JsonValue value = parser.getValue();
                if (value == JsonValue.NULL) {
                    return null; // as JSON-B reads a null array: no vector
                }
                if (value instanceof JsonString base64) {
                    try {
                        return Float32Base64.decode(base64.getString());
                    } catch (IllegalArgumentException e) {
                        throw new JsonbException("A vector string must be base64 of float32s: " + e.getMessage(), e);
                    }
                }
                throw new JsonbException("A vector must be base64 of float32s or a JSON array of numbers, not " + value);
            }
            float[] vector = new float[64];
            int size = 0;
            while (true) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.VALUE_NUMBER) {
                    if (size == vector.length) {
                        vector = Arrays.copyOf(vector, size * 2);
                    }
                    vector[size++] = FloatParser.parse(parser.getString());
                } else if (event == JsonParser.Event.END_ARRAY) {
                    return size == vector.length ? vector : Arrays.copyOf(vector, size);
                } else if (size == 0 && (event == JsonParser.Event.KEY_NAME || event == JsonParser.Event.END_OBJECT)) {
                    throw new JsonbException("A vector must be base64 of float32s or a JSON array of numbers, not an object");
                } else {
                    throw new JsonbException("Vector item " + size + " is " + describe(event) + ", not a number");
                }
            }
        }

        private static String describe(JsonParser.Event event) {
            return switch (event) {
                case VALUE_STRING -> "a string";
                case VALUE_NULL -> "null";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case START_ARRAY -> "an array";
                case START_OBJECT -> "an object";
                default -> event.toString();
            };
        }
    }

    /** A {@link ContentTypeConverter} from a function; the record's accessors implement the type methods. */
    private record FunctionConverter<S, T>(Class<S> expectedSourceType, Class<T> targetType, Function<S, T> function)
            implements ContentTypeConverter<S, T> {

        @Override
        public T convert(S original) {
            return function.apply(original);
        }
    }
}
