package io.vectorsync.domain;

/** Keys of Axon message metadata that document events and commands carry. */
public final class EventMetadataKeys {

    /**
     * Set to {@code true} on a content event (created, revised, restored) whose upsert carried the
     * content system's own vectors: the encoder then leaves that revision alone.
     */
    public static final String VECTORS_SUPPLIED = "vectorsSupplied";
    /** Correlation id of the request that caused the message. */
    public static final String CORRELATION_ID = "correlationId";
    /** Who called (an API key's name once keys exist; "anonymous" until then). */
    public static final String PRINCIPAL = "principal";

    private EventMetadataKeys() {
    }
}
