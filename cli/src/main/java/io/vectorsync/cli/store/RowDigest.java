package io.vectorsync.cli.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A table's checksum that does not depend on the order of its rows: the sum modulo 2<sup>256</sup> of every row's
 * SHA-256 digest. A row is encoded column by column as a type tag and its value (text as UTF-8 and integers as
 * 8 bytes, both databases' integer types alike; doubles by their bits; binary as is; lengths before variable-length
 * values), so the same values read from H2 and from PostgreSQL give the same digest.
 */
final class RowDigest {

    private final MessageDigest sha256;
    private final byte[] number = new byte[8];
    /** The sum, most significant long first. */
    private final long[] sum = new long[4];
    private long rows;

    RowDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    void add(Object[] row) {
        for (Object value : row) {
            switch (value) {
                case null -> sha256.update((byte) 0);
                case String text -> {
                    sha256.update((byte) 1);
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    putLong(bytes.length);
                    sha256.update(bytes);
                }
                case Integer n -> {
                    sha256.update((byte) 2);
                    putLong(n);
                }
                case Long n -> {
                    sha256.update((byte) 2);
                    putLong(n);
                }
                case Double d -> {
                    sha256.update((byte) 3);
                    putLong(Double.doubleToLongBits(d));
                }
                case Boolean b -> sha256.update((byte) (b ? 5 : 4));
                case byte[] bytes -> {
                    sha256.update((byte) 6);
                    putLong(bytes.length);
                    sha256.update(bytes);
                }
                default -> throw new IllegalArgumentException("no encoding for " + value.getClass());
            }
        }
        byte[] digest = sha256.digest();
        long carry = 0;
        for (int i = 3; i >= 0; i--) {
            long part = 0;
            for (int b = 0; b < 8; b++) {
                part = (part << 8) | (digest[i * 8 + b] & 0xff);
            }
            long total = sum[i] + part;
            long next = Long.compareUnsigned(total, sum[i]) < 0 ? 1 : 0;
            total += carry;
            if (carry == 1 && total == 0) {
                next = 1;
            }
            sum[i] = total;
            carry = next;
        }
        rows++;
    }

    long rows() {
        return rows;
    }

    /** The sum as 64 hex digits. */
    String hex() {
        StringBuilder hex = new StringBuilder(64);
        for (long part : sum) {
            hex.append(HexFormat.of().toHexDigits(part));
        }
        return hex.toString();
    }

    private void putLong(long value) {
        for (int i = 7; i >= 0; i--) {
            number[i] = (byte) value;
            value >>>= 8;
        }
        sha256.update(number);
    }
}
