package io.vectorsync.json;

import io.vectorsync.domain.InvalidInputException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules every request's JSON is read by: one value, UTF-8, finite numbers, bounded depth. */
class StrictJsonReaderTest {

    @Test
    void readsTheSameValuesAsTheProvidersReader() {
        String json = """
                {"title": "Grüße ✓ 😀", "n": 3, "big": 12345678901234567890, "x": -0.5e-3, "ok": true, "no": null,
                 "list": [1, "two", [false], {}], "nested": {"a": {"b": []}}}""";
        JsonValue expected = Json.createReader(new StringReader(json)).readValue();

        assertThat(StrictJsonReader.read(json, "body")).isEqualTo(expected);
    }

    @Test
    void readsATopLevelScalar() {
        assertThat(StrictJsonReader.read(" 42 ", "body")).isEqualTo(Json.createValue(42));
        assertThat(StrictJsonReader.read("\"x\"", "body")).isEqualTo(Json.createValue("x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\":\"x\",\"body\":\"y\"} xyz",
            "{\"title\":\"x\"}{\"title\":\"y\"}",
            "{\"title\":\"x\"} {}",
            "{\"title\":\"x\"}]",
            "{\"title\":\"x\"},",
            "{\"title\":\"x\"} \"more\"",
            "[1] 2",
            "1 2"})
    void refusesAnythingButWhitespaceAfterTheValue(String json) {
        assertThatThrownBy(() -> StrictJsonReader.read(json, "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("body");
                    assertThat(e.getMessage()).contains("exactly one JSON value").contains("line 1, column");
                });
    }

    @Test
    void acceptsTrailingWhitespace() {
        JsonValue value = StrictJsonReader.read("{\"title\":\"x\"} \r\n\t \n", "body");

        assertThat(value.asJsonObject().getString("title")).isEqualTo("x");
    }

    @Test
    void namesItsOwnFieldForSyntaxErrors() {
        assertThatThrownBy(() -> StrictJsonReader.read("{\"title\": }", "line"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("line");
                    assertThat(e.getMessage()).contains("is not valid JSON at line 1, column");
                });
    }

    @Test
    void refusesAnEmptyText() {
        assertThatThrownBy(() -> StrictJsonReader.read("  \n", "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void decodesWellFormedUtf8() {
        byte[] bytes = "{\"title\":\"Grüße ✓ 😀\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(StrictJsonReader.utf8(bytes, bytes.length, "body")).isEqualTo("{\"title\":\"Grüße ✓ 😀\"}");
        assertThat(StrictJsonReader.utf8(bytes, 2, "body")).isEqualTo("{\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ff",             // never in UTF-8
            "c0af",           // overlong '/'
            "e080af",         // overlong '/', three bytes
            "f08080af",       // overlong '/', four bytes
            "eda080",         // the high surrogate U+D800 on its own
            "edbfbf",         // the low surrogate U+DFFF on its own
            "eda0bdedb880",   // a surrogate pair encoded as two three-byte forms (CESU-8), not as four bytes
            "f4908080",       // past U+10FFFF
            "c3",             // cut off
            "e29c",           // cut off
            "80",             // a continuation byte without a start
            "c328"})          // a start byte without its continuation
    void refusesMalformedUtf8InAStringAndNamesTheField(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        byte[] bytes = concat("{\"title\":\"ok\",\"text\":\"ab".getBytes(StandardCharsets.UTF_8), bad,
                "cd\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> StrictJsonReader.utf8(bytes, bytes.length, "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("text");
                    assertThat(e.getMessage()).startsWith("text: is not valid UTF-8: byte 24 of the body");
                });
    }

    @Test
    void namesTheFieldTheBadBytesAreIn() {
        assertThat(fieldOfBadBytes("{\"metadata\":{\"tags\":[\"a\",\"b", "\"]}}")).isEqualTo("metadata.tags[1]");
        assertThat(fieldOfBadBytes("{\"title\":\"", "\"}")).isEqualTo("title");
        assertThat(fieldOfBadBytes("[{\"a\":1},{\"b\":\"", "\"}]")).isEqualTo("[1].b");
        // in a key, between members, after the value: no one field
        assertThat(fieldOfBadBytes("{\"title\":\"x\",\"ti", "\":1}")).isEqualTo("body");
        assertThat(fieldOfBadBytes("{\"title\":\"x\" ", "}")).isEqualTo("body");
        assertThat(fieldOfBadBytes("{\"title\":\"x\"}", "")).isEqualTo("body");
        assertThat(fieldOfBadBytes("", "{}")).isEqualTo("body");
        // JSON that went wrong before the bytes did: not "b"'s fault
        assertThat(fieldOfBadBytes("{\"a\":1,,\"b\":\"", "\"}")).isEqualTo("body");
    }

    private static String fieldOfBadBytes(String before, String after) {
        byte[] bytes = concat(before.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc0, (byte) 0x80},
                after.getBytes(StandardCharsets.UTF_8));
        try {
            StrictJsonReader.utf8(bytes, bytes.length, "body");
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).contains("is not valid UTF-8: byte "
                                                + before.getBytes(StandardCharsets.UTF_8).length + " of the body (0xc0)");
            return e.field();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void refusesNumbersBeyondADoubleNamingTheField() {
        assertRefused("{\"metadata\":{\"year\":1e400}}", "metadata.year", "beyond the range of a double");
        assertRefused("{\"vector\":[0.1,-1e400,0.3]}", "vector[1]", "beyond the range of a double");
        assertRefused("{\"n\":1E+309}", "n", "beyond the range of a double");
        assertRefused("{\"n\":-" + "9".repeat(309) + "}", "n", "beyond the range of a double");
        assertRefused("{\"n\":1e9999999999}", "n", "beyond the range of a double");
        assertRefused("[[1], [2, 1e400]]", "[1][1]", "beyond the range of a double");
        assertRefused("1e400", "body", "beyond the range of a double");
    }

    @Test
    void acceptsNumbersUpToTheLargestDouble() {
        JsonObject read = StrictJsonReader.read("{\"max\":1.7976931348623157e308,\"min\":-1.7976931348623157E+308,"
                + "\"digits\":" + "9".repeat(308) + ",\"long\":" + "1".repeat(300) + ".5}", "body").asJsonObject();

        assertThat(read.getJsonNumber("max").doubleValue()).isEqualTo(Double.MAX_VALUE);
        assertThat(read.getJsonNumber("min").doubleValue()).isEqualTo(-Double.MAX_VALUE);
        assertThat(read.getJsonNumber("digits").bigDecimalValue()).isEqualTo(new BigDecimal("9".repeat(308)));
        assertThat(read.getJsonNumber("long").doubleValue()).isFinite();
    }

    /**
     * Decided: a number too small for a double is refused like one too large, rather than read as 0: kept as
     * written, metadata would spell its plain digits ({@code 1e-999999999}: a billion).
     */
    @Test
    void refusesNumbersThatUnderflowToZero() {
        assertRefused("{\"metadata\":{\"tiny\":1e-400}}", "metadata.tiny", "too small for a double");
        assertRefused("{\"vector\":[0.1,-1e-400]}", "vector[1]", "too small for a double");
        assertRefused("{\"n\":1e-999999999}", "n", "too small for a double");
        assertRefused("{\"n\":2e-324}", "n", "too small for a double"); // below half the smallest subnormal
    }

    @Test
    void acceptsSubnormalsAndZerosWrittenAnyHow() {
        JsonObject read = StrictJsonReader.read("{\"subnormal\":5e-324,\"small\":1e-320,\"zero\":0e-400,"
                + "\"negativeZero\":-0.0,\"zeros\":0.000000000000000000000000000000}", "body").asJsonObject();

        assertThat(read.getJsonNumber("subnormal").doubleValue()).isEqualTo(Double.MIN_VALUE);
        assertThat(read.getJsonNumber("small").doubleValue()).isEqualTo(1e-320);
        assertThat(read.getJsonNumber("zero").doubleValue()).isZero();
        assertThat(read.getJsonNumber("negativeZero").doubleValue()).isZero();
        assertThat(read.getJsonNumber("zeros").doubleValue()).isZero();
    }

    @Test
    void refusesNumbersItCannotHold() {
        assertRefused("{\"n\":1e-9999999999}", "n", "out of range"); // finite as a double, past BigDecimal's exponent
        assertRefused("{\"n\":0." + "1".repeat(1100) + "}", "n", "more than 1100 characters");
    }

    @Test
    void checksEveryMagnitudeAtTheEdgeExactly() {
        assertRefused("{\"n\":1.7976931348623159e308}", "n", "beyond the range of a double"); // rounds up to infinity
        assertRefused("{\"n\":" + "1".repeat(400) + "}", "n", "beyond the range of a double");
        assertRefused("{\"n\":" + "1".repeat(1200) + "}", "n", "more than 1100 characters");
        assertThat(StrictJsonReader.read("[1.7976931348623157e308, 179769313486231570" + "0".repeat(291) + ", 0."
                + "9".repeat(400) + ", 0." + "0".repeat(322) + "1, -0.0]", "body").asJsonArray()).hasSize(5);
    }

    @Test
    void refusesADeepArrayWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> StrictJsonReader.read(deep, "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("[0]".repeat(64));
                    assertThat(e.getMessage()).endsWith("nests arrays and objects more than 64 levels deep");
                });
    }

    @Test
    void refusesADeepObjectWithoutOverflowingTheStack() {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);

        assertThatThrownBy(() -> StrictJsonReader.read(deep, "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo(String.join(".", java.util.Collections.nCopies(64, "a")));
                    assertThat(e.getMessage()).contains("more than 64 levels deep");
                });
    }

    @Test
    void refusesAnUnclosedDeepDocumentAsDeepNotAsCutOff() {
        assertThatThrownBy(() -> StrictJsonReader.read("{\"metadata\":" + "[".repeat(100_000), "line"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("metadata" + "[0]".repeat(63));
                    assertThat(e.getMessage()).contains("more than 64 levels deep");
                });
    }

    @Test
    void sixtyFourLevelsAreFineAndSixtyFiveAreNot() {
        assertThat(StrictJsonReader.read("[".repeat(64) + "]".repeat(64), "body")).isNotNull();
        assertThat(StrictJsonReader.read("{\"a\":".repeat(63) + "[]" + "}".repeat(63), "body")).isNotNull();

        assertThatThrownBy(() -> StrictJsonReader.read("[".repeat(65) + "]".repeat(65), "body"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> StrictJsonReader.read("{\"a\":".repeat(64) + "[]" + "}".repeat(64), "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).hasSize(64 * 2 - 1));
    }

    @Test
    void jsonInputParsesThroughIt() {
        assertThatThrownBy(() -> JsonInput.parse("{\"title\":\"x\"} xyz", "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("body"));
        assertThatThrownBy(() -> JsonInput.parse("{\"metadata\":{\"year\":1e400}}", "body"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("metadata.year"));
        assertThat(JsonInput.parse("{\"n\":1}", "body").raw().get("n")).isInstanceOf(JsonNumber.class);
    }

    @Test
    void bodiesAreDecodedStrictly() {
        byte[] bytes = concat("{\"title\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xed, (byte) 0xa0,
                (byte) 0x80}, "\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Bodies.readAll(new java.io.ByteArrayInputStream(bytes), 1024))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("title"));
    }

    private static void assertRefused(String json, String field, String problem) {
        assertThatThrownBy(() -> StrictJsonReader.read(json, "body"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(problem);
                });
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
