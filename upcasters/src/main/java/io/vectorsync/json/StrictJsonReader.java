package io.vectorsync.json;

import io.vectorsync.domain.InvalidInputException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one home of the rules for JSON that arrives in a request (a body, or one NDJSON line); every rejection is an
 * {@link InvalidInputException} naming the JSON path at fault, or {@code what} when no single field is:
 * <ul>
 *     <li>the bytes are UTF-8, strictly: no overlong forms, no encoded surrogates, nothing past U+10FFFF
 *     ({@link #utf8});</li>
 *     <li>the text holds exactly one JSON value: only whitespace may follow it;</li>
 *     <li>arrays and objects nest at most {@value #MAX_DEPTH} deep, counted while reading, so a deep document is
 *     refused before it costs a stack;</li>
 *     <li>every number is a double's: finite (not {@code 1e400}), and not so small that it rounds to 0 unless it is
 *     0 ({@code 1e-400} is refused: it would silently read as 0, and kept as written, metadata spells its plain
 *     digits, a billion of them for {@code 1e-999999999}); at most 1,100 characters.</li>
 * </ul>
 * It reads with the provider's streaming parser and builds the values as it goes, the same values (and about the
 * same work) as {@code JsonReader.readValue()}, which checks none of this: it stops after the first value, recurses
 * once per level and fails a deep document with a bare {@code RuntimeException}.
 */
public final class StrictJsonReader {

    public static final int MAX_DEPTH = 64;
    /** Parsson refuses longer numbers with an exception of its own; no double needs a thousandth of it. */
    static final int MAX_NUMBER_LENGTH = 1100;
    /** A number below {@code 10^308} ({@code precision - scale} at most this) is finite as a double. */
    private static final int MAX_DOUBLE_MAGNITUDE = 308;
    /** A number at least {@code 10^-323} (above this) does not round to 0 as a double. */
    private static final int MIN_DOUBLE_MAGNITUDE = -322;

    private static final JsonProvider PROVIDER = Json.provider();
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

    private StrictJsonReader() {
    }

    /**
     * The one JSON value {@code text} holds.
     *
     * @param what how the API calls the whole text ({@code body}, {@code line}): the field named when the fault is
     *             not inside one field
     */
    public static JsonValue read(String text, String what) {
        if (text.isBlank()) {
            throw new InvalidInputException(what, "is empty; a JSON value is required");
        }
        Reading reading = new Reading(text, what);
        try (JsonParser parser = reading.parser) {
            JsonValue value = reading.value();
            reading.requireEnd();
            return value;
        } catch (JsonParsingException e) {
            throw new InvalidInputException(what, "is not valid JSON" + where(e.getLocation()));
        } catch (JsonException e) {
            throw new InvalidInputException(what, "is not valid JSON");
        }
    }

    /**
     * The first {@code length} bytes as text, refused unless they are well-formed UTF-8 (the JDK's decoder
     * reports overlong forms, the bytes of a lone surrogate and code points past U+10FFFF as malformed). The field
     * named is the one whose text holds the bad bytes, found by reading the valid text before them.
     */
    public static String utf8(byte[] bytes, int length, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input by default
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer out = CharBuffer.allocate(length); // never more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            String before = out.flip().toString();
            throw new InvalidInputException(fieldAtEnd(before, what), "is not valid UTF-8: byte " + offset + " of the "
                    + what + " (0x" + Integer.toHexString(bytes[offset] & 0xff) + ") starts no well-formed character");
        }
        return out.flip().toString();
    }

    /**
     * The field the text before bad bytes ends in: reading it stops for want of text inside that field. When it
     * stops earlier (the JSON went wrong before the bytes did), or outside every field, that is {@code what}.
     */
    private static String fieldAtEnd(String prefix, String what) {
        Reading reading = new Reading(prefix, what);
        try (JsonParser parser = reading.parser) {
            reading.value();
            return what; // a whole value, and the bad bytes after it
        } catch (JsonParsingException e) {
            JsonLocation location = e.getLocation();
            return location != null && location.getStreamOffset() >= prefix.length() ? reading.path() : what;
        } catch (RuntimeException e) {
            return what;
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    /** One reading: the open arrays and objects, innermost last, with the key or index being read in each. */
    private static final class Reading {

        final JsonParser parser;
        final String what;
        final Object[] builders = new Object[MAX_DEPTH];
        /** In an object: the key whose value is being read, null between members. */
        final String[] keys = new String[MAX_DEPTH];
        /** In an array: how many items it holds so far, the index of the one being read. */
        final int[] counts = new int[MAX_DEPTH];
        int depth;

        Reading(String text, String what) {
            this.parser = PARSERS.createParser(new StringReader(text));
            this.what = what;
        }

        JsonValue value() {
            while (true) {
                JsonValue value;
                switch (parser.next()) {
                    case START_OBJECT -> {
                        open(PROVIDER.createObjectBuilder());
                        continue;
                    }
                    case START_ARRAY -> {
                        open(PROVIDER.createArrayBuilder());
                        continue;
                    }
                    case KEY_NAME -> {
                        keys[depth - 1] = parser.getString();
                        continue;
                    }
                    case END_OBJECT -> value = ((JsonObjectBuilder) builders[--depth]).build();
                    case END_ARRAY -> value = ((JsonArrayBuilder) builders[--depth]).build();
                    case VALUE_NUMBER -> value = number();
                    default -> value = parser.getValue(); // a string, true, false or null
                }
                builders[depth] = null;
                if (depth == 0) {
                    return value;
                }
                add(value);
            }
        }

        /** Anything but whitespace after the value is a second value, or garbage: either way not this API's. */
        void requireEnd() {
            boolean more;
            try {
                more = parser.hasNext(); // Parsson throws rather than answer true after a top-level value
            } catch (JsonParsingException e) {
                throw trailing(e.getLocation());
            }
            if (more) {
                throw trailing(parser.getLocation());
            }
        }

        private InvalidInputException trailing(JsonLocation location) {
            return new InvalidInputException(what, "must hold exactly one JSON value, but more than whitespace "
                    + "follows it" + where(location));
        }

        private void open(Object builder) {
            if (depth == MAX_DEPTH) {
                throw new InvalidInputException(path(), "nests arrays and objects more than " + MAX_DEPTH
                        + " levels deep");
            }
            builders[depth] = builder;
            keys[depth] = null;
            counts[depth] = 0;
            depth++;
        }

        private void add(JsonValue value) {
            int top = depth - 1;
            if (builders[top] instanceof JsonObjectBuilder object) {
                object.add(keys[top], value);
                keys[top] = null;
            } else {
                ((JsonArrayBuilder) builders[top]).add(value);
                counts[top]++;
            }
        }

        /**
         * The number as the provider's reader would give it. Its magnitude is below {@code 10^(precision - scale)}
         * and at least a tenth of that, so most numbers need no double to know they fit in one (asking the parser
         * for the number's text instead made a vector's reading half as slow again).
         */
        private JsonValue number() {
            BigDecimal number;
            try {
                number = parser.getBigDecimal();
            } catch (NumberFormatException | ArithmeticException | UnsupportedOperationException e) {
                // Parsson refuses an exponent past ±2^31 and more than 1100 characters
                throw unreadable(parser.getString());
            }
            int magnitude = number.precision() - number.scale();
            if (magnitude > MAX_DOUBLE_MAGNITUDE && !Double.isFinite(number.doubleValue())) {
                throw beyondDouble();
            }
            if (magnitude < MIN_DOUBLE_MAGNITUDE && number.signum() != 0 && number.doubleValue() == 0) {
                throw new InvalidInputException(path(), "is too small for a double (below about 4.9e-324) and would "
                        + "read as 0; send 0");
            }
            return PROVIDER.createValue(number);
        }

        private InvalidInputException unreadable(String text) {
            if (text.length() > MAX_NUMBER_LENGTH) {
                return new InvalidInputException(path(), "is a number of more than " + MAX_NUMBER_LENGTH
                        + " characters");
            }
            return Double.isFinite(Double.parseDouble(text)) ? new InvalidInputException(path(), "is a number out of range")
                    : beyondDouble();
        }

        private InvalidInputException beyondDouble() {
            return new InvalidInputException(path(), "is beyond the range of a double (about ±1.8e308)");
        }

        /**
         * The JSON path of the value being read ({@code metadata.year}, {@code vectors.chunks[2].vector[0]}), or of
         * the object whose next key is; {@code what} at the top.
         */
        String path() {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (builders[i] instanceof JsonObjectBuilder) {
                    if (keys[i] == null) {
                        break;
                    }
                    if (!path.isEmpty()) {
                        path.append('.');
                    }
                    path.append(keys[i]);
                } else {
                    path.append('[').append(counts[i]).append(']');
                }
            }
            return path.isEmpty() ? what : path.toString();
        }
    }
}
