package io.vectorsync.domain;

/** What a delete did ({@code deleted} is false when the document was already deleted) and the version. */
public record DeleteOutcome(
        boolean deleted,
        long version) {
}
