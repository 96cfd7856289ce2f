package io.vectorsync.domain;

import java.util.Arrays;
import java.util.Objects;

/**
 * One embedded passage of a document: its number, where it sits in the body ({@code span}; null when a
 * client-supplied passage is not found in the body), the passage text and its vector.
 * <p>
 * Revision 1 of {@link DocumentEmbedded} wrote {@code start} and {@code end} with -1 for "not in the
 * body"; revision 2 stores the span or nothing. {@link #start()} and {@link #end()} still answer -1 for
 * consumers whose entries keep that convention.
 */
public record EmbeddedChunk(
        int index,
        TextSpan span,
        String text,
        float[] vector) {

    /** A chunk at characters {@code start} to {@code end} of the body, or nowhere in it when {@code start} is -1. */
    public static EmbeddedChunk of(int index, int start, int end, String text, float[] vector) {
        return new EmbeddedChunk(index, start < 0 ? null : new TextSpan(start, end), text, vector);
    }

    /** The span's start, -1 when the passage is not in the body. */
    public int start() {
        return span == null ? -1 : span.start();
    }

    /** The span's end, -1 when the passage is not in the body. */
    public int end() {
        return span == null ? -1 : span.end();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedChunk other
                && index == other.index
                && Objects.equals(span, other.span)
                && Objects.equals(text, other.text)
                && Arrays.equals(vector, other.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, span, text, Arrays.hashCode(vector));
    }

    @Override
    public String toString() {
        return "EmbeddedChunk[index=" + index + ", span=" + span
                + ", dimension=" + (vector == null ? 0 : vector.length) + "]";
    }
}
