package io.vectorsync.store.keys;

/**
 * One generation of a document's data key as stored: wrapped by the master key, or {@code null} once destroyed (the
 * generation stays, so the document's next key takes the one after). What {@code store migrate} carries from the
 * embedded store's key file into PostgreSQL's key table, unopened.
 */
public record WrappedKey(String tenant, String documentId, long generation, byte[] wrapped) {
}
