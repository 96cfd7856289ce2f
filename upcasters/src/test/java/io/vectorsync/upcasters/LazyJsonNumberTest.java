package io.vectorsync.upcasters;

import io.vectorsync.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LazyJsonNumber} answers every {@link JsonNumber} question as the provider's own number for the same token
 * does, and {@link JsonTreeReader} makes trees equal to what a {@code JsonReader} makes of the same text.
 */
class LazyJsonNumberTest {

    /** Tokens of every shape JSON allows, the ones vectors are made of first. */
    private static final String[] TOKENS = {
            "0.012345678", "-0.05123", "0.5", "-0.99999994", "3.0", "123.45", "12.50", "-3.0", "1.0",
            "0.000001", "0.0000012", "0.0000001", "-0.00000012", "0.00012345", "1.2345E-4", "-1.2345E-4", "1.0E-5",
            "3.4028235E38", "1.4E-45", "1e2", "1E+2", "1e-2", "1.5e1", "15e-1", "10e0", "1E0", "-1e0",
            "0.0", "-0.0", "0.000", "0.0000000", "-0.0000000", "0e5", "0E-3", "-0e0",
            "0", "-0", "7", "-7", "2147483648", "-9223372036854775808", "9223372036854775808",
            "123456789012345678901234567890.5", "0.1000000000000000055511151231257827"};

    @Test
    void everyAnswerIsTheProvidersAnswerForTheSameToken() {
        for (String token : TOKENS) {
            JsonNumber lazy = new LazyJsonNumber(token);
            JsonNumber provider = providerNumber(token);

            assertThat(lazy.bigDecimalValue()).as(token).isEqualTo(provider.bigDecimalValue());
            assertThat(lazy.toString()).as(token).isEqualTo(provider.toString())
                                       .isEqualTo(new BigDecimal(token).toString());
            assertThat(lazy.isIntegral()).as(token).isEqualTo(provider.isIntegral())
                                         .isEqualTo(new BigDecimal(token).scale() == 0);
            assertThat(lazy.doubleValue()).as(token).isEqualTo(provider.doubleValue());
            assertThat(lazy.longValue()).as(token).isEqualTo(provider.longValue());
            assertThat(lazy.intValue()).as(token).isEqualTo(provider.intValue());
            assertThat(lazy.bigIntegerValue()).as(token).isEqualTo(provider.bigIntegerValue());
            assertThat(lazy.getValueType()).isEqualTo(JsonValue.ValueType.NUMBER);
            assertThat(lazy).as(token).isEqualTo(provider).hasSameHashCodeAs(provider);
            assertThat(provider).as(token).isEqualTo(lazy);
        }
    }

    @Test
    void equalityIsOfTheDecimalValueScaleIncluded() {
        assertThat(new LazyJsonNumber("1.0")).isEqualTo(new LazyJsonNumber("1.0"))
                                             .isEqualTo(new LazyJsonNumber("10e-1"))
                                             .isEqualTo(Json.createValue(new BigDecimal("1.0")))
                                             .isNotEqualTo(new LazyJsonNumber("1.00"))
                                             .isNotEqualTo(Json.createValue(1))
                                             .isNotEqualTo(Json.createValue("1.0"))
                                             .isNotEqualTo(null);
        assertThat(new LazyJsonNumber("1E+2")).isEqualTo(new LazyJsonNumber("1e2"))
                                              .hasSameHashCodeAs(new LazyJsonNumber("1e2"));
        // -0.0 is no BigDecimal: it equals 0.0 and prints as it
        assertThat(new LazyJsonNumber("-0.0")).isEqualTo(new LazyJsonNumber("0.0")).hasToString("0.0");
    }

    @Test
    void exactValuesAreExact() {
        assertThat(new LazyJsonNumber("9.223372036854775807E18").longValueExact()).isEqualTo(Long.MAX_VALUE);
        assertThat(new LazyJsonNumber("42.0").intValueExact()).isEqualTo(42);
        assertThat(new LazyJsonNumber("1.5e1").isIntegral()).isTrue();
        assertThat(new LazyJsonNumber("1.5e1").intValueExact()).isEqualTo(15);
        assertThat(new LazyJsonNumber("0.1000000000000000055511151231257827").bigDecimalValue())
                .isEqualByComparingTo("0.1000000000000000055511151231257827");
        assertThat(new LazyJsonNumber("1e20").bigIntegerValueExact()).isEqualTo(BigInteger.TEN.pow(20));
        assertThatThrownBy(() -> new LazyJsonNumber("9.223372036854775808E18").longValueExact())
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new LazyJsonNumber("4.5").intValueExact()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new LazyJsonNumber("0.5").bigIntegerValueExact())
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void theTokenIsItsOwnTextOnlyWhereBigDecimalPrintsItSo() {
        Random random = new Random(5);
        List<String> tokens = new ArrayList<>(List.of(TOKENS));
        for (int i = 0; i < 20_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(value)) {
                tokens.add(Float.toString(value));
                tokens.add(new BigDecimal(value).toPlainString());
            }
            tokens.add(String.format(Locale.ROOT, "%." + random.nextInt(12) + "f", random.nextGaussian() / 20));
        }
        for (String token : tokens) {
            boolean canonical = new BigDecimal(token).toString().equals(token);
            if (LazyJsonNumber.isCanonical(token)) {
                assertThat(canonical).as(token).isTrue();
            }
            assertThat(new LazyJsonNumber(token).toString()).as(token).isEqualTo(new BigDecimal(token).toString());
        }
        // the vector components revision 1 wrote take the short way
        assertThat(LazyJsonNumber.isCanonical("-0.012345678")).isTrue();
        assertThat(LazyJsonNumber.isCanonical("0.5")).isTrue();
        assertThat(LazyJsonNumber.isCanonical("0.000001")).isTrue();
        assertThat(LazyJsonNumber.isCanonical("0.0000001")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"a\":1,\"b\":-2.5,\"c\":[1.0,-0.0,1e-7,2147483648,12345678901234567890,\"x\",true,false,null],"
                    + "\"d\":{\"e\":{\"f\":[[],{}]}},\"g\":\"\\u00e9\\n\",\"a\":3}",
            "{\"vector\":[0.012345678,-0.05123,1.2345E-4,0.0,-0.0],\"start\":0,\"end\":-1}"})
    void aTreeEqualsWhatAReaderMakesOfTheSameText(String text) {
        JsonObject tree = readTree(text);
        JsonObject read = readWithReader(text);

        assertThat(tree).isEqualTo(read).hasSameHashCodeAs(read);
        assertThat(read).isEqualTo(tree);
        assertThat(tree.toString()).isEqualTo(read.toString());
    }

    @Test
    void decimalsStayTextAndIntegersAreTheProvidersNumbers() {
        JsonObject tree = readTree("{\"v\":[0.25,1e3],\"n\":7}");

        assertThat(tree.getJsonArray("v").get(0)).isInstanceOf(LazyJsonNumber.class);
        assertThat(tree.getJsonArray("v").get(1)).isInstanceOf(LazyJsonNumber.class);
        assertThat(tree.get("n")).isNotInstanceOf(LazyJsonNumber.class).isEqualTo(Json.createValue(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "\"text\"", "{\"a\":", "{\"a\":01}", "{\"a\" 1}"})
    void whatIsNoObjectIsAParsingError(String text) {
        assertThatThrownBy(() -> readTree(text)).isInstanceOf(jakarta.json.JsonException.class);
    }

    private static JsonObject readTree(String text) {
        try (JsonParser parser = Json.provider().createParser(new StringReader(text))) {
            return new JsonTreeReader(Json.provider()).readObject(parser);
        }
    }

    private static JsonObject readWithReader(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static JsonNumber providerNumber(String token) {
        return readWithReader("{\"n\":" + token + "}").getJsonNumber("n");
    }

    @Test
    void aBrokenObjectIsAParsingErrorWithALocation() {
        assertThatThrownBy(() -> readTree("[1]")).isInstanceOf(JsonParsingException.class);
    }
}
