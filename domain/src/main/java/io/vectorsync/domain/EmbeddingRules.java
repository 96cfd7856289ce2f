package io.vectorsync.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks of an embedding, shared by client-supplied vectors ({@code vectors.} field prefix) and the
 * encoder's {@link RecordEmbeddings} (no prefix), and the fingerprint that makes re-sent vectors idempotent.
 */
final class EmbeddingRules {

    private EmbeddingRules() {
    }

    static void requireValid(String prefix, String space, String model, int dimension, List<EmbeddedChunk> chunks) {
        if (space == null || space.isBlank()) {
            throw new InvalidInputException(prefix + "space", "is required");
        }
        if (model == null || model.isBlank()) {
            throw new InvalidInputException(prefix + "model", "is required");
        }
        if (dimension < DocumentLimits.MIN_DIMENSION || dimension > DocumentLimits.MAX_DIMENSION) {
            throw new InvalidInputException(prefix + "dimension", "must be between "
                    + DocumentLimits.MIN_DIMENSION + " and " + DocumentLimits.MAX_DIMENSION);
        }
        if (chunks == null || chunks.isEmpty()) {
            throw new InvalidInputException(prefix + "chunks", "must not be empty");
        }
        if (chunks.size() > DocumentLimits.MAX_CHUNKS) {
            throw new InvalidInputException(prefix + "chunks", "must have at most " + DocumentLimits.MAX_CHUNKS + " entries");
        }
        for (int i = 0; i < chunks.size(); i++) {
            String field = prefix + "chunks[" + i + "]";
            EmbeddedChunk chunk = chunks.get(i);
            if (chunk == null) {
                throw new InvalidInputException(field, "must not be null");
            }
            if (chunk.text() == null) {
                throw new InvalidInputException(field + ".text", "is required");
            }
            requireValidVector(field + ".vector", chunk.vector(), space, dimension);
        }
    }

    private static void requireValidVector(String field, float[] vector, String space, int dimension) {
        if (vector == null) {
            throw new InvalidInputException(field, "is required");
        }
        if (vector.length != dimension) {
            throw new InvalidInputException(field, "has " + vector.length + " dimensions; space '" + space
                    + "' needs " + dimension);
        }
        for (float component : vector) {
            if (!Float.isFinite(component)) {
                throw new InvalidInputException(field, "must contain only finite numbers");
            }
        }
    }

    /** The largest difference from 1 of a vector's length that still counts as normalized. */
    public static final double UNIT_LENGTH_TOLERANCE = 1e-3;

    /** Whether every chunk's vector has unit length (within {@link #UNIT_LENGTH_TOLERANCE}). */
    public static boolean normalized(List<EmbeddedChunk> chunks) {
        for (EmbeddedChunk chunk : chunks) {
            double squares = 0;
            for (float component : chunk.vector()) {
                squares += (double) component * component;
            }
            if (Math.abs(Math.sqrt(squares) - 1) > UNIT_LENGTH_TOLERANCE) {
                return false;
            }
        }
        return !chunks.isEmpty();
    }

    /** SHA-256 hex over model, dimension and every chunk's number, span, text and vector. */
    static String fingerprint(String model, int dimension, List<EmbeddedChunk> chunks) {
        MessageDigest digest = ContentHash.sha256();
        update(digest, model);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(dimension).array());
        for (EmbeddedChunk chunk : chunks) {
            digest.update(ByteBuffer.allocate(3 * Integer.BYTES)
                    .putInt(chunk.index()).putInt(chunk.start()).putInt(chunk.end()).array());
            update(digest, chunk.text());
            ByteBuffer vector = ByteBuffer.allocate(chunk.vector().length * Float.BYTES);
            for (float component : chunk.vector()) {
                vector.putFloat(component);
            }
            digest.update(vector.array());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    // length-prefixed, so that no two different sequences of strings feed the same bytes
    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
