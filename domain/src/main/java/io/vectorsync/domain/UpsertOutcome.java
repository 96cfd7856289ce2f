package io.vectorsync.domain;

/** What an upsert did and the document's version afterwards; the command handler's return value. */
public record UpsertOutcome(
        Result result,
        long version) {

    public enum Result {
        CREATED, REVISED, METADATA_CHANGED, UNCHANGED, RESTORED;

        /** The lower-case name the API reports. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
