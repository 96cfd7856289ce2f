package io.vectorsync.projections.index;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules every adapter shares for what a write may hold, and what a query must. */
final class WriteValidation {

    /** The longest term Lucene indexes, in UTF-8 bytes. */
    static final int MAX_TERM_BYTES = 32_766;

    private WriteValidation() {
    }

    static void validate(SpaceSpec space, IndexWrite write) {
        if (write == null) {
            throw new IllegalArgumentException("write is required");
        }
        requireText(write.tenant(), "tenant");
        requireText(write.documentId(), "documentId");
        if (write.version() < 0) {
            throw new IllegalArgumentException("version must not be negative, got " + write.version());
        }
        switch (write) {
            case IndexWrite.ReplaceChunks replace -> {
                validateMetadata(replace.metadata());
                validateChunks(space, replace.chunks());
            }
            case IndexWrite.ChangeMetadata change -> validateMetadata(change.metadata());
            case IndexWrite.Delete ignored -> {
            }
        }
    }

    private static void validateChunks(SpaceSpec space, List<IndexChunk> chunks) {
        if (chunks == null) {
            throw new IllegalArgumentException("chunks are required (may be empty)");
        }
        Set<Integer> seen = new HashSet<>();
        for (IndexChunk chunk : chunks) {
            if (chunk == null || chunk.passage() == null) {
                throw new IllegalArgumentException("every chunk needs a passage");
            }
            if (!seen.add(chunk.index())) {
                throw new IllegalArgumentException("chunk " + chunk.index() + " appears twice");
            }
            validateVector(space, chunk.vector(), "chunk " + chunk.index());
        }
    }

    /** Also used for query vectors: same dimension, finite, and not all zeros for cosine. */
    static void validateVector(SpaceSpec space, float[] vector, String what) {
        if (vector == null) {
            throw new IllegalArgumentException(what + " has no vector");
        }
        if (vector.length != space.dimension()) {
            throw new IllegalArgumentException(what + " has a vector of dimension " + vector.length
                    + ", but space '" + space.name() + "' has dimension " + space.dimension());
        }
        boolean allZero = true;
        for (float value : vector) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException(what + " has a vector with a non-finite value");
            }
            allZero &= value == 0f;
        }
        if (allZero && space.metric() == SpaceSpec.Metric.COSINE) {
            throw new IllegalArgumentException(what + " has a zero vector, which has no cosine similarity");
        }
    }

    private static void validateMetadata(Map<String, Object> metadata) {
        if (metadata == null) {
            return;
        }
        metadata.forEach((key, value) -> {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("metadata keys must not be empty");
            }
            boolean supported = value instanceof String || value instanceof Boolean
                    || value instanceof BigDecimal
                    || value instanceof Number number && Double.isFinite(number.doubleValue())
                    || value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
            if (!supported) {
                throw new IllegalArgumentException("metadata '" + key
                        + "' must be a string, number, boolean or list of strings");
            }
            if (value instanceof String text) {
                requireIndexableTerm(text, key);
            } else if (value instanceof List<?> items) {
                items.forEach(item -> requireIndexableTerm((String) item, key));
            }
        });
    }

    /**
     * Every string metadata value is an indexed term (a keyword) in both backends, and Lucene refuses a term longer
     * than {@value #MAX_TERM_BYTES} UTF-8 bytes ({@code IndexWriter.MAX_TERM_LENGTH}; OpenSearch's keyword limit).
     */
    private static void requireIndexableTerm(String value, String key) {
        if (value.length() * 3 > MAX_TERM_BYTES && value.getBytes(StandardCharsets.UTF_8).length > MAX_TERM_BYTES) {
            throw new IllegalArgumentException("metadata '" + key + "' is longer than " + MAX_TERM_BYTES
                    + " UTF-8 bytes");
        }
    }

    /** What every search needs besides its vector: a tenant, and {@code k} of at least 1. */
    static void requireQuery(String tenant, int k) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("tenant is required");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
