package io.vectorsync.upcasters;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FloatParser} must return exactly the float {@link Float#parseFloat} returns, to the bit, for any text. */
class FloatParserTest {

    private static final int SAMPLES = 1_000_000;

    @Test
    void randomBitPatternsOfFiniteFloats() {
        SplittableRandom random = new SplittableRandom(20251103);
        assertSameAsParseFloat(texts -> {
            for (int n = 0; n < SAMPLES; n++) {
                float value = Float.intBitsToFloat(random.nextInt());
                if (Float.isFinite(value)) {
                    texts.accept(Float.toString(value));
                    texts.accept(asStored(value));
                }
            }
        });
    }

    @Test
    void floatsOfTheSizeVectorsHave() {
        // unit vectors of a few hundred dimensions: components around ±0.05, mostly the fast path
        SplittableRandom random = new SplittableRandom(384);
        assertSameAsParseFloat(texts -> {
            for (int n = 0; n < SAMPLES; n++) {
                float value = (float) ((random.nextDouble() * 2 - 1) * Math.pow(10, -random.nextInt(9)));
                texts.accept(Float.toString(value));
                texts.accept(asStored(value));
            }
        });
    }

    @Test
    void randomDecimalsOfUpTo21SignificantDigits() {
        SplittableRandom random = new SplittableRandom(19);
        assertSameAsParseFloat(texts -> {
            for (int n = 0; n < SAMPLES / 2; n++) {
                StringBuilder digits = new StringBuilder();
                int count = 1 + random.nextInt(21);
                for (int d = 0; d < count; d++) {
                    digits.append((char) ('0' + random.nextInt(10)));
                }
                int point = random.nextInt(count + 1);
                String text = (random.nextBoolean() ? "-" : "") + (point == 0 ? "0" : digits.substring(0, point))
                        + (point < count ? "." + digits.substring(point) : "");
                texts.accept(text);
                texts.accept(text + (random.nextBoolean() ? "E" : "e") + (random.nextInt(81) - 40));
            }
        });
    }

    @Test
    void decimalsAtAndAroundTheHalfwayPointsBetweenAdjacentFloats() {
        // the double nearest a decimal near a tie can be the tie itself; rounding it again to a float would then
        // go to the even neighbour even when the decimal is above the tie
        SplittableRandom random = new SplittableRandom(2);
        List<Float> floats = new ArrayList<>();
        for (int n = 0; n < 3_000; n++) {
            floats.add(Float.intBitsToFloat(random.nextInt(0x7f7f_ffff)));           // any finite positive float
            floats.add((float) random.nextLong(1L << 24, 1L << 40));                    // integer ties, short decimals
            floats.add(Float.intBitsToFloat(random.nextInt(0x3c00_0000, 0x4000_0000))); // vector components
        }
        floats.addAll(List.of(0f, Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL), 1f,
                              Math.nextDown(Float.MAX_VALUE)));
        assertSameAsParseFloat(texts -> {
            for (float value : floats) {
                BigDecimal halfway = new BigDecimal(value).add(new BigDecimal(Math.nextUp(value)))
                        .divide(BigDecimal.valueOf(2));
                texts.accept(halfway.toString());
                for (int digits = 1; digits <= 22; digits++) {
                    for (RoundingMode mode : List.of(RoundingMode.FLOOR, RoundingMode.CEILING)) {
                        BigDecimal near = halfway.round(new MathContext(digits, mode));
                        texts.accept(near.toString());
                        texts.accept(near.stripTrailingZeros().toPlainString());
                    }
                }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0", "-0", "0.0", "-0.0", "0e10", "-0E-400", "0.000000000000000000000000000000000", "00.5",
            "1", "-1", "100", "1E+2", "1e2", "1E-5", "1.0E-5", "-1e-5", "0.1", "0.2", "0.3", "0.0004", "-0.33333334",
            "1e-45", "1.4E-45", "1.401298464324817E-45", "7.006492321624085E-46", "7.006492321624086E-46", "1e-46",
            "1.1754942E-38", "1.17549435E-38", "1.1754943508222875E-38", "1e-50", "1E-8", "1e-22", "1e-23",
            "3.4028235E38", "3.4028235E+38", "3.4028236E38", "3.4028235677973362E38", "3.4028235677973366E38",
            "3.5E38", "1e39", "-1e39", "1E22", "1E23", "9.999999e22", "4.5e15",
            "16777216", "16777217", "16777218", "16777219", "33554434", "33554434.00000001", "268435472.0000001",
            "9007199254740991", "9007199254740992", "9007199254740993", "123456789012345678",
            "1234567890123456789", "12345678901234567890", "99999999999999999999999999999999",
            "1.00000005960464477539062499", "1.000000059604644775390625", "1.00000005960464477539062501",
            "1.0000000596046447", "1.0000000596046448", "1.000000000000000000000000", "0.30000001192092896",
            // within the fast path's digits and exponents, but their nearest double is a tie between two floats
            "0.7795680463314056", "0.0550061147660017", "0.01156713580712676", "0.05039195902645588",
            "2.5e-1", "0.0123", "-0.4417", "0.8906", "1e0000000005", "1e2147483648", "1e-2147483649",
    })
    void edgeCases(String text) {
        assertThat(Float.floatToRawIntBits(FloatParser.parse(text)))
                .as(text).isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "-Infinity", "1f", " 1.5 ", "0x1p3", "1.", ".5", "+1"})
    void textThatIsNoJsonNumberIsWhateverParseFloatMakesOfIt(String text) {
        assertThat(Float.floatToRawIntBits(FloatParser.parse(text)))
                .as(text).isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "abc", "1e", "1.2.3", "--1", "1e5x", "1e+", "1e-"})
    void textThatIsNoNumberIsRefusedLikeParseFloatRefusesIt(String text) {
        assertThatThrownBy(() -> Float.parseFloat(text)).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> FloatParser.parse(text)).isInstanceOf(NumberFormatException.class);
    }

    /** A float as {@code JsonbSerializer} writes it in a vector: the shortest decimal, no exponent for integers. */
    private static String asStored(float value) {
        if (value == 0 && 1 / value < 0) {
            return "-0.0";
        }
        BigDecimal exact = new BigDecimal(Float.toString(value));
        BigDecimal shortest = exact.stripTrailingZeros();
        return (shortest.scale() < 0 ? exact : shortest).toString();
    }

    /** Every text the generator makes parses to the same bits both ways; the first few differences are shown. */
    private static void assertSameAsParseFloat(Consumer<Consumer<String>> generator) {
        List<String> differences = new ArrayList<>();
        int[] count = {0};
        generator.accept(text -> {
            count[0]++;
            int expected = Float.floatToRawIntBits(Float.parseFloat(text));
            int actual = Float.floatToRawIntBits(FloatParser.parse(text));
            if (actual != expected && differences.size() < 20) {
                differences.add(text + " -> " + Float.intBitsToFloat(actual) + ", parseFloat: "
                                + Float.intBitsToFloat(expected));
            }
        });
        assertThat(count[0]).isPositive();
        assertThat(differences).isEmpty();
    }
}
