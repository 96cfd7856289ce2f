package io.vectorsync.domain;

import java.util.Arrays;
import java.util.Objects;

/**
 * One embedded passage of a document: its number, its character span in the body
 * ({@code start} inclusive, {@code end} exclusive; both -1 when a client-supplied passage is not
 * found in the body), the passage text and its vector.
 */
public record EmbeddedChunk(
        int index,
        int start,
        int end,
        String text,
        float[] vector) {

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedChunk other
                && index == other.index
                && start == other.start
                && end == other.end
                && Objects.equals(text, other.text)
                && Arrays.equals(vector, other.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, start, end, text, Arrays.hashCode(vector));
    }

    @Override
    public String toString() {
        return "EmbeddedChunk[index=" + index + ", start=" + start + ", end=" + end
                + ", dimension=" + (vector == null ? 0 : vector.length) + "]";
    }
}
