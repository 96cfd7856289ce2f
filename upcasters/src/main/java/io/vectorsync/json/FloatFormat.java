package io.vectorsync.json;

/**
 * Writes a {@code float} as a JSON number that reads back as exactly the same float, faster than
 * {@link StringBuilder#append(float)}.
 * <p>
 * <b>Why.</b> {@code append(float)} writes the <em>shortest</em> decimal that rounds back to the float
 * ({@code Float.toString}); finding that shortest form was a fifth of the OpenSearch projection's CPU while rendering
 * vectors into bulk request bodies. A reader needs no shortest form, only a decimal inside the float's rounding
 * interval, and nine significant digits always are ({@code FLT_DECIMAL_DIG} is 9). This class rounds the float's
 * value to nine significant digits with one multiplication by a tabled power of ten, then takes the eight-digit
 * rounding instead when that is inside the interval too (most floats; it keeps the text about as long as the shortest
 * one), and drops trailing zeros.
 * <p>
 * <b>Error bound.</b> Let {@code a = |value|} (exact as a double) and {@code e} its decimal exponent, so
 * {@code 10^e <= a < 10^(e+1)}. The digits are {@code m = floor(s + 0.5)} for {@code s = a * P} computed in double
 * arithmetic, where {@code P} is the double nearest {@code 10^(8-e)}, so {@code 10^8 <= m < 10^9}. {@code P} and the
 * product are each within 2^-53 relative of the exact values, so {@code s} is within 2.3e-7 of
 * {@code a * 10^(8-e) < 10^9}, and {@code + 0.5} below 2^30 adds at most 2^-24: {@code m} is within {@code 0.5 + 3e-7}
 * of {@code a * 10^(8-e)}, and the decimal {@code m * 10^(e-8)} within {@code 5.0001e-9 * a} of {@code a}. Half the gap
 * between a normal float and either neighbour is at least {@code 2^-25 * a} (about {@code 2.98e-8 * a}; the tightest
 * case is the neighbour below a power of two), about six times that error, so the decimal lies strictly inside the
 * float's rounding interval. For a subnormal float the gap is {@code 2^-149} on both sides and {@code a < 2^-126}, so
 * half the gap is more than {@code 2^-24 * a}: the nine digits are significant ones, relative to {@code a} itself, and
 * suffice there too; the double arithmetic stays far from double underflow (every factor and product is above
 * {@code 10^-46}).
 * <p>
 * Eight digits {@code m8 = round(s / 10)} are taken only when {@code |s - 10 * m8|}, computed in doubles, is less
 * than half the gap to the nearer neighbour (in the same units, ninth digits) minus {@code 10^-6}, which is more
 * than the error of {@code s} and of that subtraction together: the decimal {@code m8 * 10^(e-7)} then lies inside
 * the interval by more than {@code 5e-7} units.
 * <p>
 * Either way, {@link Float#parseFloat} (correctly rounded) gives back the float, and so does a reader that parses a
 * double and casts it to float: the nearest double to the decimal moves it by at most 2^-53 relative (under 1.2e-7
 * units of the ninth digit), still strictly inside the interval, so no double rounding can go the wrong way. Both
 * readings were also checked once for every positive finite float (negative ones differ only by the sign).
 * <p>
 * <b>Form.</b> {@code 0.0} and {@code -0.0}; plain notation for magnitudes in {@code [1e-3, 1e7)} ({@code 0.5},
 * {@code -0.012345678}, {@code 123.45}, {@code 3.0}); otherwise {@code d.dddE-n} or {@code d.dddEn} with at least
 * one fraction digit ({@code 1.0E-5}, {@code 3.4028235E38}), valid JSON numbers. NaN and infinities have no JSON
 * form and are refused. Nothing is allocated except what the {@code StringBuilder} grows by.
 */
public final class FloatFormat {

    /** The table's smallest exponent: covers {@code 10^(8-e)} and {@code 10^(e+1)} for every float's {@code e}. */
    private static final int MIN_POWER = -54;
    private static final int MAX_POWER = 54;
    /** {@code POWERS_OF_TEN[k - MIN_POWER]} is the double nearest {@code 10^k}. */
    private static final double[] POWERS_OF_TEN = new double[MAX_POWER - MIN_POWER + 1];
    private static final int[] INT_POWERS_OF_TEN = {
            1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    private static final int MIN_DIGITS = 100_000_000;
    private static final long MAX_DIGITS = 1_000_000_000L;
    /**
     * How far inside the rounding interval, in units of the ninth digit, eight digits must lie: above the error of
     * {@code scaled} (under 2.3e-7), of the comparison (under 1e-7) and of a reader's nearest double (under 1.2e-7).
     */
    private static final double MARGIN = 1e-6;
    /** Plain notation for decimal exponents in this range, that is magnitudes in {@code [1e-3, 1e7)}. */
    private static final int MIN_PLAIN_EXPONENT = -3;
    private static final int MAX_PLAIN_EXPONENT = 6;
    /** What comes before the digits of {@code 0.0…d} with 0, 1 and 2 zeros after the point. */
    private static final String[] LEADING_ZEROS = {"0.", "0.0", "0.00"};

    static {
        for (int k = MIN_POWER; k <= MAX_POWER; k++) {
            POWERS_OF_TEN[k - MIN_POWER] = Double.parseDouble("1e" + k); // correctly rounded
        }
    }

    private FloatFormat() {
    }

    /**
     * Appends {@code value} as a JSON number that {@link Float#parseFloat}, and {@link Double#parseDouble} followed
     * by a cast to {@code float}, both read back as exactly {@code value}.
     *
     * @throws IllegalArgumentException for NaN and infinities, which JSON cannot express
     */
    public static void append(StringBuilder out, float value) {
        if (value == 0) {
            out.append(Float.floatToRawIntBits(value) < 0 ? "-0.0" : "0.0");
            return;
        }
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no number for " + value);
        }
        if (value < 0) {
            out.append('-');
        }
        double a = Math.abs((double) value);
        int binaryExponent = Math.getExponent(a);
        // floor(binaryExponent * log10(2)), exact far beyond a float's -149..127; log10(a) lies in
        // [binaryExponent, binaryExponent + 1) * log10(2), so the decimal exponent is this or one more
        int exponent = (binaryExponent * 78913) >> 18;
        if (a >= POWERS_OF_TEN[exponent + 1 - MIN_POWER]) {
            exponent++;
        }
        double scale = POWERS_OF_TEN[8 - exponent - MIN_POWER];
        double scaled = a * scale;
        long digits = (long) (scaled + 0.5);
        // only when a is within a double's rounding of a power of ten that the table does not hold exactly
        if (digits >= MAX_DIGITS || digits < MIN_DIGITS) {
            exponent += digits >= MAX_DIGITS ? 1 : -1;
            scale = POWERS_OF_TEN[8 - exponent - MIN_POWER];
            scaled = a * scale;
            digits = (long) (scaled + 0.5);
        }
        int m = (int) digits;
        int count = 9;
        // eight digits when they too lie inside the float's rounding interval, with room for the double
        // arithmetic's error: true for most floats, and a byte less
        int m8 = (int) (scaled * 0.1 + 0.5); // not from m: rounding twice could miss the nearer one
        double halfGap = halfGap(value, binaryExponent) * scale; // in units of the ninth digit
        if (Math.abs(scaled - m8 * 10.0) < halfGap - MARGIN && m8 < MIN_DIGITS) { // 10^8: one digit more
            m = m8;
            count = 8;
        }
        while (m % 10 == 0) { // never 0: m >= 10^7
            m /= 10;
            count--;
        }
        if (exponent >= MIN_PLAIN_EXPONENT && exponent <= MAX_PLAIN_EXPONENT) {
            if (exponent < 0) {
                out.append(LEADING_ZEROS[-exponent - 1]).append(m);
                return;
            }
            int integerDigits = exponent + 1;
            if (count <= integerDigits) {
                out.append(m * INT_POWERS_OF_TEN[integerDigits - count]).append(".0");
            } else {
                appendWithPoint(out, m, count - integerDigits);
            }
            return;
        }
        if (count == 1) {
            out.append((char) ('0' + m)).append(".0");
        } else {
            appendWithPoint(out, m, count - 1);
        }
        out.append('E').append(exponent);
    }

    /**
     * Half the distance from {@code value} (finite, not zero) to its nearer neighbouring float, as a double:
     * {@code 2^(e-24)} for a normal float of binary exponent {@code e}, half that for a power of two (whose lower
     * neighbour is nearer; also taken for the smallest normal float, where it is not, which only errs on the safe
     * side), and {@code 2^-150} for subnormals.
     */
    private static double halfGap(float value, int binaryExponent) {
        int exponent = Math.max(binaryExponent, Float.MIN_EXPONENT) - 24
                       - ((Float.floatToRawIntBits(value) & 0x7f_ffff) == 0 ? 1 : 0);
        return Double.longBitsToDouble((long) (exponent + Double.MAX_EXPONENT) << 52);
    }

    /**
     * Appends {@code m} with a point before its last {@code fractionDigits} digits (some of which may be leading
     * zeros of the fraction): the fraction is written as the int {@code 10^fractionDigits + fraction}, whose leading
     * 1 then becomes the point.
     */
    private static void appendWithPoint(StringBuilder out, int m, int fractionDigits) {
        int scale = INT_POWERS_OF_TEN[fractionDigits];
        out.append(m / scale);
        int point = out.length();
        out.append(scale + m % scale);
        out.setCharAt(point, '.');
    }
}
