package io.vectorsync.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FloatFormat} must write a JSON number that reads back as the same float, to the bit, both with
 * {@link Float#parseFloat} and as a double cast to float.
 */
class FloatFormatTest {

    private static final int SAMPLES = 2_000_000;
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    @Test
    void randomBitPatternsOfFiniteFloats() {
        SplittableRandom random = new SplittableRandom(20251127);
        Checker checker = new Checker();
        for (int n = 0; n < SAMPLES; n++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(value)) {
                checker.check(value);
            }
        }
        checker.assertNoDifferences();
    }

    @Test
    void floatsBetweenMinusOneAndOne() {
        SplittableRandom random = new SplittableRandom(384);
        Checker checker = new Checker();
        for (int n = 0; n < SAMPLES; n++) {
            checker.check((float) (random.nextDouble() * 2 - 1));
        }
        // unit vectors of a few hundred dimensions: components around ±0.05, some far smaller
        for (int n = 0; n < SAMPLES / 5; n++) {
            checker.check((float) ((random.nextDouble() * 2 - 1) * Math.pow(10, -random.nextInt(9))));
        }
        checker.assertNoDifferences();
    }

    @Test
    void edgeCases() {
        List<Float> values = new ArrayList<>(List.of(0f, -0f, Float.MIN_VALUE, 2 * Float.MIN_VALUE, 3 * Float.MIN_VALUE,
                Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL), Math.nextUp(Float.MIN_NORMAL), Float.MAX_VALUE,
                Math.nextDown(Float.MAX_VALUE), 1f, 0.5f, 0.1f, 0.2f, 0.3f, 1f / 3, 2f / 3, 3f, 100f, 123.45f,
                0.99999994f, 0.999999999f, 9.9999999e-1f, 9.9999999e-4f, 9.9999999e6f, 9.9999999e37f,
                1023f / 1024, // 0.9990234375 exactly: a tie at the tenth significant digit
                16777216f, 16777217f, 1.17549435e-38f, 1.4e-45f));
        for (int k = -45; k <= 38; k++) {
            float power = Float.parseFloat("1e" + k);
            values.addAll(List.of(power, Math.nextUp(power), Math.nextDown(power), Math.nextUp(Math.nextUp(power)),
                    Math.nextDown(Math.nextDown(power))));
            float almost = Float.parseFloat("9.99999999e" + k); // rounds up to 10^(k+1) at nine digits, if a float
            values.addAll(List.of(almost, Math.nextUp(almost), Math.nextDown(almost)));
        }
        for (int e = -149; e <= 127; e++) {
            float power = Math.scalb(1f, e);
            values.addAll(List.of(power, Math.nextUp(power), Math.nextDown(power)));
        }
        SplittableRandom random = new SplittableRandom(45);
        for (int n = 0; n < 100_000; n++) {
            values.add(Float.intBitsToFloat(random.nextInt(1, 0x0080_0000))); // subnormals
            values.add(Float.intBitsToFloat(random.nextInt(0x3a80_0000, 0x3a84_0000))); // around 1e-3
            values.add(Float.intBitsToFloat(random.nextInt(0x4b14_0000, 0x4b1a_0000))); // around 1e7
        }
        values.removeIf(value -> !Float.isFinite(value)); // 9.99999999e38, nextUp(MAX_VALUE)
        Checker checker = new Checker();
        for (float value : values) {
            checker.check(value);
            checker.check(-value);
        }
        checker.assertNoDifferences();
    }

    @Test
    void theDecimalIsTheFloatRoundedToNineOrEightSignificantDigitsAndInsideItsRoundingInterval() {
        // the javadoc's argument checked in exact arithmetic, independently of any parser
        SplittableRandom random = new SplittableRandom(9);
        StringBuilder out = new StringBuilder();
        List<String> differences = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            values.add(Float.intBitsToFloat(random.nextInt()));
            values.add((float) (random.nextDouble() * 2 - 1));
        }
        values.addAll(List.of(Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL), Float.MAX_VALUE));
        for (float value : values) {
            if (!Float.isFinite(value) || value == 0) {
                continue;
            }
            out.setLength(0);
            FloatFormat.append(out, value);
            BigDecimal written = new BigDecimal(out.toString());
            BigDecimal exact = new BigDecimal(value);
            BigDecimal below = exact.add(new BigDecimal(Math.nextDown(value))).divide(BigDecimal.TWO);
            BigDecimal above = Float.isFinite(Math.nextUp(value))
                    ? exact.add(new BigDecimal(Math.nextUp(value))).divide(BigDecimal.TWO)
                    : exact.add(exact.subtract(below)); // MAX_VALUE: the same gap as below it
            boolean inside = written.compareTo(below) > 0 && written.compareTo(above) < 0;
            BigDecimal nine = exact.round(new MathContext(9, RoundingMode.HALF_UP));
            BigDecimal eight = exact.round(new MathContext(8, RoundingMode.HALF_UP));
            boolean rounded = written.compareTo(nine) == 0 || written.compareTo(eight) == 0;
            if (!inside || !rounded) {
                differences.add(value + " -> " + out + (inside ? "" : ", outside its rounding interval")
                                + (rounded ? "" : ", neither its 9 nor its 8 digit rounding " + nine + ", " + eight));
            }
        }
        assertThat(differences).isEmpty();
    }

    @Test
    void form() {
        assertThat(format(0f)).isEqualTo("0.0");
        assertThat(format(-0f)).isEqualTo("-0.0");
        assertThat(format(1f)).isEqualTo("1.0");
        assertThat(format(-0.5f)).isEqualTo("-0.5");
        assertThat(format(0.25f)).isEqualTo("0.25");
        assertThat(format(0.1f)).isEqualTo("0.1");
        assertThat(format(0.3f)).isEqualTo("0.30000001"); // eight digits, not the shortest 0.3
        assertThat(format(0.100000024f)).isEqualTo("0.100000024"); // 0.10000002 is nearer another float
        assertThat(format(100f)).isEqualTo("100.0");
        assertThat(format(123.45f)).isEqualTo("123.45");
        assertThat(format(100.0625f)).isEqualTo("100.0625");
        assertThat(format(1.0625f)).isEqualTo("1.0625");
        assertThat(format(0.001f)).isEqualTo("0.001");
        assertThat(format(-0.012345678f)).isEqualTo("-0.012345678");
        assertThat(format(0.0625f)).isEqualTo("0.0625");
        assertThat(format(9_999_999f)).isEqualTo("9999999.0");
        assertThat(format(10_000_000f)).isEqualTo("1.0E7");
        assertThat(format(12_345_678f)).isEqualTo("1.2345678E7");
        assertThat(format(1e-4f)).isEqualTo("9.9999997E-5");
        assertThat(format(0.0009765625f)).isEqualTo("9.765625E-4");
        assertThat(format(Float.MAX_VALUE)).isEqualTo("3.4028235E38");
        assertThat(format(Float.MIN_VALUE)).isEqualTo("1.4012985E-45");
        assertThat(format(-Float.MIN_NORMAL)).isEqualTo("-1.17549435E-38");
        assertThat(format(0x1p-10f * 1023)).isEqualTo("0.99902344"); // 0.9990234375 exactly
    }

    @Test
    void appendsToWhatIsThere() {
        StringBuilder out = new StringBuilder("[");
        FloatFormat.append(out, 0.5f);
        out.append(',');
        FloatFormat.append(out, -1.5e-7f);
        assertThat(out.append(']')).hasToString("[0.5,-1.5000001E-7]");
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void refusesWhatJsonCannotExpress(float value) {
        StringBuilder out = new StringBuilder("x");
        assertThatThrownBy(() -> FloatFormat.append(out, value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out).hasToString("x");
    }

    private static String format(float value) {
        StringBuilder out = new StringBuilder();
        FloatFormat.append(out, value);
        return out.toString();
    }

    /** Formats each value, reads it back both ways and keeps the first few differences. */
    private static final class Checker {
        private final StringBuilder out = new StringBuilder();
        private final Matcher number = JSON_NUMBER.matcher("");
        private final List<String> differences = new ArrayList<>();
        private int count;

        void check(float value) {
            count++;
            out.setLength(0);
            FloatFormat.append(out, value);
            String text = out.toString();
            int bits = Float.floatToRawIntBits(value);
            String problem = null;
            if (!number.reset(text).matches()) {
                problem = "no JSON number";
            } else if (Float.floatToRawIntBits(Float.parseFloat(text)) != bits) {
                problem = "parseFloat: " + Float.parseFloat(text);
            } else if (Float.floatToRawIntBits((float) Double.parseDouble(text)) != bits) {
                problem = "(float) parseDouble: " + (float) Double.parseDouble(text);
            }
            if (problem != null && differences.size() < 20) {
                differences.add(value + " (" + Integer.toHexString(bits) + ") -> " + text + ", " + problem);
            }
        }

        void assertNoDifferences() {
            assertThat(count).isPositive();
            assertThat(differences).isEmpty();
        }
    }
}
