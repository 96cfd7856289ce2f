package io.vectorsync.domain;

/**
 * Where a passage sits in a document's body: characters {@code start} (inclusive) to {@code end}
 * (exclusive).
 */
public record TextSpan(int start, int end) {

    public TextSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("a span needs 0 <= start <= end, got " + start + ".." + end);
        }
    }
}
