package io.vectorsync.upcasters;

import jakarta.json.JsonNumber;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A {@link JsonNumber} that keeps the text of its token and makes the {@link BigDecimal} only when asked for one.
 * <p>
 * Why: a revision-1 {@code DocumentEmbedded} holds hundreds of decimals per chunk, and JSON-P readers turn each
 * into a {@code BigDecimal} that the first upcaster only turns back into text ({@link #toString()}) to read its
 * float. This number answers {@code toString()} from the token itself whenever the token already is the text
 * {@link BigDecimal#toString()} gives (plain notation, no exponent, not a negative zero, at most five zeros after the
 * point before the first digit: nearly every vector component revision 1 wrote); every other answer comes from the
 * {@code BigDecimal}, exactly as the JSON-P contract defines it.
 * <p>
 * Equality and hash code are those of the {@code JsonNumber} contract, by {@link #bigDecimalValue()}, so a tree with
 * these numbers equals the same tree read by any JSON-P reader, either way round. Immutable in effect: the two
 * cached values are computed from the text alone, so a race only computes one twice.
 */
final class LazyJsonNumber implements JsonNumber {

    private final String text;
    private BigDecimal value;
    private String canonical;

    /** @param text a JSON number token, as the parser read it (the grammar is checked by the parser, not here) */
    LazyJsonNumber(String text) {
        this.text = text;
    }

    @Override
    public BigDecimal bigDecimalValue() {
        BigDecimal decimal = value;
        if (decimal == null) {
            value = decimal = new BigDecimal(text);
        }
        return decimal;
    }

    @Override
    public boolean isIntegral() {
        int point = text.indexOf('.');
        boolean exponent = text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        if (!exponent) {
            return point < 0; // the scale is the number of fraction digits
        }
        return bigDecimalValue().scale() == 0; // "1.5e1" has scale 0, "1e2" has scale -2
    }

    @Override
    public int intValue() {
        return bigDecimalValue().intValue();
    }

    @Override
    public int intValueExact() {
        return bigDecimalValue().intValueExact();
    }

    @Override
    public long longValue() {
        return bigDecimalValue().longValue();
    }

    @Override
    public long longValueExact() {
        return bigDecimalValue().longValueExact();
    }

    @Override
    public BigInteger bigIntegerValue() {
        return bigDecimalValue().toBigInteger();
    }

    @Override
    public BigInteger bigIntegerValueExact() {
        return bigDecimalValue().toBigIntegerExact();
    }

    @Override
    public double doubleValue() {
        return bigDecimalValue().doubleValue();
    }

    @Override
    public Number numberValue() {
        return bigDecimalValue();
    }

    @Override
    public ValueType getValueType() {
        return ValueType.NUMBER;
    }

    /** {@link BigDecimal#toString()} of the value, as the contract says: the token itself when it is that text. */
    @Override
    public String toString() {
        String result = canonical;
        if (result == null) {
            canonical = result = isCanonical(text) ? text : bigDecimalValue().toString();
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (other instanceof LazyJsonNumber lazy && text.equals(lazy.text)) {
            return true;
        }
        return other instanceof JsonNumber number && bigDecimalValue().equals(number.bigDecimalValue());
    }

    @Override
    public int hashCode() {
        return bigDecimalValue().hashCode();
    }

    /**
     * Whether {@code new BigDecimal(token).toString()} is {@code token}, decided for the common shapes only and
     * {@code false} for the rest, which then take the long way. Two shapes are: an integer part other than {@code 0}
     * with or without a fraction ({@code 12}, {@code -3.50}: the adjusted exponent is at least 0), and {@code 0}
     * followed by a fraction with at most five zeros before its first other digit ({@code -0.000012}: the adjusted
     * exponent is at least -6). Not {@code -0} or a zero fraction (a {@code BigDecimal} zero has no sign and
     * {@code 0.0000000} prints as {@code 0E-7}), nor exponents or leading zeros.
     */
    static boolean isCanonical(String token) {
        int length = token.length();
        int i = length > 0 && token.charAt(0) == '-' ? 1 : 0;
        if (i == length) {
            return false;
        }
        char first = token.charAt(i);
        if (first == '0') {
            if (i + 1 == length) {
                return i == 0; // "0", not "-0"
            }
            if (token.charAt(i + 1) != '.') {
                return false;
            }
            int fraction = i + 2;
            int digit = fraction;
            while (digit < length && token.charAt(digit) == '0') {
                digit++;
            }
            return digit < length && digit - fraction <= 5 && digitsTo(token, digit, length) == length;
        }
        if (first < '1' || first > '9') {
            return false;
        }
        int end = digitsTo(token, i + 1, length);
        if (end == length) {
            return true;
        }
        return token.charAt(end) == '.' && end + 1 < length && digitsTo(token, end + 1, length) == length;
    }

    /** The index of the first character at or after {@code from} that is not a digit, or {@code length}. */
    private static int digitsTo(String token, int from, int length) {
        int i = from;
        while (i < length && token.charAt(i) >= '0' && token.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
