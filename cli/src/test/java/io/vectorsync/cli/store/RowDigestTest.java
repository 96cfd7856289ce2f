package io.vectorsync.cli.store;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

class RowDigestTest {

    @Test
    void theChecksumIsTheSumOfTheRowsDigestsWhateverTheirOrder() throws Exception {
        Object[][] rows = new Object[300][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new Object[]{(long) i, "row " + i + " ✓", i % 3 == 0 ? null : new byte[]{(byte) i, 1}, i * 0.5, i % 2 == 0};
        }
        RowDigest forward = new RowDigest();
        RowDigest backward = new RowDigest();
        for (int i = 0; i < rows.length; i++) {
            forward.add(rows[i]);
            backward.add(rows[rows.length - 1 - i]);
        }
        assertThat(forward.hex()).isEqualTo(backward.hex()).hasSize(64);
        assertThat(forward.rows()).isEqualTo(300);

        // the same sum computed another way: BigInteger over every row's SHA-256 (carries across all 256 bits)
        BigInteger sum = BigInteger.ZERO;
        for (Object[] row : rows) {
            sum = sum.add(new BigInteger(1, sha256(row)));
        }
        assertThat(forward.hex()).isEqualTo(String.format("%064x", sum.mod(BigInteger.TWO.pow(256))));
    }

    @Test
    void integersOfEitherWidthAgreeAndAnyChangedValueChangesTheSum() {
        assertThat(digest(new Object[]{7, "a"})).isEqualTo(digest(new Object[]{7L, "a"}));
        String base = digest(new Object[]{7L, "a", null, new byte[]{1}});
        assertThat(digest(new Object[]{8L, "a", null, new byte[]{1}})).isNotEqualTo(base);
        assertThat(digest(new Object[]{7L, "b", null, new byte[]{1}})).isNotEqualTo(base);
        assertThat(digest(new Object[]{7L, "a", "", new byte[]{1}})).isNotEqualTo(base);
        assertThat(digest(new Object[]{7L, "a", null, new byte[]{2}})).isNotEqualTo(base);
        // value boundaries are part of the encoding: ("ab", "c") is not ("a", "bc")
        assertThat(digest(new Object[]{"ab", "c"})).isNotEqualTo(digest(new Object[]{"a", "bc"}));
    }

    private static String digest(Object[] row) {
        RowDigest digest = new RowDigest();
        digest.add(row);
        return digest.hex();
    }

    /** The encoding RowDigest documents, written out again. */
    private static byte[] sha256(Object[] row) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Object value : row) {
            switch (value) {
                case null -> sha.update((byte) 0);
                case String s -> {
                    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                    sha.update((byte) 1);
                    sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
                    sha.update(bytes);
                }
                case Long n -> {
                    sha.update((byte) 2);
                    sha.update(ByteBuffer.allocate(8).putLong(n).array());
                }
                case Double d -> {
                    sha.update((byte) 3);
                    sha.update(ByteBuffer.allocate(8).putLong(Double.doubleToLongBits(d)).array());
                }
                case Boolean b -> sha.update((byte) (b ? 5 : 4));
                case byte[] bytes -> {
                    sha.update((byte) 6);
                    sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
                    sha.update(bytes);
                }
                default -> throw new IllegalArgumentException();
            }
        }
        return sha.digest();
    }
}
