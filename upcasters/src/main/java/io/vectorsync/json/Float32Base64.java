package io.vectorsync.json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Vectors as stored from event revision 2 on: the IEEE 754 float32 bits of each component,
 * little-endian, in standard base64 with padding. Exact (every bit, {@code -0.0} included), 0.44 of
 * the size of the decimal JSON array for embedding-like vectors, and read without parsing a number.
 */
public final class Float32Base64 {

    private Float32Base64() {
    }

    public static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** @throws IllegalArgumentException when the text is not base64 of a whole number of floats */
    public static float[] decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("a base64 vector holds whole float32s, 4 bytes each; got "
                    + bytes.length + " bytes");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
