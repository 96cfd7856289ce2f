package io.vectorsync.upcasters;

/**
 * Decimal text to {@code float}, bit for bit what {@link Float#parseFloat} returns, but without its cost for the
 * numbers vectors are made of (a sign, a few significant digits, a small exponent).
 * <p>
 * The fast path: the significant digits make a {@code long} mantissa {@code m} and the position of the point and the
 * exponent a power of ten {@code e}. When {@code m < 2^53} and {@code |e| <= 22}, both {@code m} and {@code 10^|e|}
 * are exact doubles, so {@code m * 10^e} (or {@code m / 10^-e}) is one correctly rounded double operation. Rounding
 * that double to a float gives the correctly rounded float unless the double landed exactly halfway between two
 * adjacent floats (a double rounding could then go the wrong way); that case, and everything else — more than 18
 * significant digits, larger exponents, any text this method does not recognise — is left to
 * {@link Float#parseFloat}. In the fast path the value lies between {@code 1e-22} and {@code 2^53 * 1e22}, inside the
 * normal float range, so neither subnormals nor overflow need handling there.
 */
final class FloatParser {

    private static final double[] POWERS_OF_TEN = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long EXACT_MANTISSA_LIMIT = 1L << 53;
    /** 10^18 - 1 fits in a long, 10^19 - 1 does not (and the fast path needs under 2^53 anyway). */
    private static final int MAX_SIGNIFICANT_DIGITS = 18;
    /** The 29 low bits of a double's significand that a float does not keep. */
    private static final long DROPPED_BITS = (1L << 29) - 1;
    /** Those bits when the double is exactly halfway between two adjacent (normal) floats. */
    private static final long HALFWAY = 1L << 28;

    private FloatParser() {
    }

    /**
     * The float {@link Float#parseFloat} returns for {@code text}, to the bit; throws its
     * {@link NumberFormatException} for text that is not a number.
     */
    static float parse(String text) {
        int length = text.length();
        int i = 0;
        boolean negative = false;
        if (length > 0 && text.charAt(0) == '-') {
            negative = true;
            i = 1;
        }
        long mantissa = 0;
        int significantDigits = 0;
        long exponent = 0;
        int integerDigits = 0;
        int fractionDigits = 0;
        boolean fraction = false;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c == '.' && !fraction) {
                fraction = true;
                continue;
            }
            int digit = c - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (fraction) {
                fractionDigits++;
                exponent--;
            } else {
                integerDigits++;
            }
            if (mantissa != 0 || digit != 0) {
                if (++significantDigits > MAX_SIGNIFICANT_DIGITS) {
                    return Float.parseFloat(text);
                }
                mantissa = mantissa * 10 + digit;
            }
        }
        if (integerDigits == 0 || (fraction && fractionDigits == 0)) {
            // ".5" and "1." are no JSON numbers, and "" or "-" none at all: whatever parseFloat makes of them
            return Float.parseFloat(text);
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                negativeExponent = text.charAt(i) == '-';
                i++;
            }
            int exponentStart = i;
            long value = 0;
            for (; i < length && i - exponentStart < 10; i++) {
                int digit = text.charAt(i) - '0';
                if (digit < 0 || digit > 9) {
                    break;
                }
                value = value * 10 + digit;
            }
            if (i == exponentStart) {
                return Float.parseFloat(text);
            }
            exponent += negativeExponent ? -value : value;
        }
        if (i != length) {
            return Float.parseFloat(text); // a longer exponent, a suffix, anything unusual
        }
        if (mantissa == 0) {
            return negative ? -0.0f : 0.0f;
        }
        if (mantissa >= EXACT_MANTISSA_LIMIT || exponent < -22 || exponent > 22) {
            return Float.parseFloat(text);
        }
        double value = exponent >= 0
                ? mantissa * POWERS_OF_TEN[(int) exponent]
                : mantissa / POWERS_OF_TEN[(int) -exponent];
        if ((Double.doubleToRawLongBits(value) & DROPPED_BITS) == HALFWAY) {
            return Float.parseFloat(text); // the double is a tie between two floats: round the decimal itself
        }
        float rounded = (float) value;
        return negative ? -rounded : rounded;
    }
}
