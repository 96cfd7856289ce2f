package io.vectorsync.upcasters;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

/**
 * Reads a {@link JsonObject} from a streaming {@link JsonParser} the way a JSON-P {@code JsonReader} does, with one
 * difference: a number with a fraction or an exponent becomes a {@link LazyJsonNumber}, which keeps its text
 * instead of building a {@code BigDecimal} nobody may ask for. Integers, strings, literals, objects and arrays are
 * the provider's own values, so the tree equals what {@code JsonReader.readObject()} gives for the same text.
 */
final class JsonTreeReader {

    private final JsonProvider json;

    JsonTreeReader(JsonProvider json) {
        this.json = json;
    }

    /**
     * The object the parser's next value is; like {@code JsonReader.readObject()}, whatever follows it is not read.
     *
     * @throws JsonParsingException when the JSON is broken or its value is not an object
     */
    JsonObject readObject(JsonParser parser) {
        if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
            throw new JsonParsingException("Expected a JSON object", parser.getLocation());
        }
        return object(parser);
    }

    /** The object whose {@code START_OBJECT} the parser has just read. */
    private JsonObject object(JsonParser parser) {
        JsonObjectBuilder builder = json.createObjectBuilder();
        while (true) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.END_OBJECT) {
                return builder.build();
            }
            if (event != JsonParser.Event.KEY_NAME) {
                throw new JsonException("Unexpected " + event + " in an object"); // the parser already refuses it
            }
            String name = parser.getString();
            builder.add(name, value(parser, parser.next()));
        }
    }

    /** The array whose {@code START_ARRAY} the parser has just read. */
    private JsonValue array(JsonParser parser) {
        JsonArrayBuilder builder = json.createArrayBuilder();
        while (true) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.END_ARRAY) {
                return builder.build();
            }
            builder.add(value(parser, event));
        }
    }

    private JsonValue value(JsonParser parser, JsonParser.Event event) {
        return switch (event) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_NUMBER -> number(parser);
            case VALUE_STRING, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> parser.getValue();
            default -> throw new JsonException("Unexpected " + event + " where a value belongs");
        };
    }

    private JsonValue number(JsonParser parser) {
        String text = parser.getString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return new LazyJsonNumber(text);
            }
        }
        return parser.getValue(); // an integer: the provider's int, long or BigDecimal number, as a reader makes it
    }
}
