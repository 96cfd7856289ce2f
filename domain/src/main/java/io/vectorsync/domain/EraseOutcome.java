package io.vectorsync.domain;

/** What an erasure did ({@code erased} is false when the document was already erased) and the version. */
public record EraseOutcome(
        boolean erased,
        long version) {
}
