package io.vectorsync.domain;

/** Size limits of a document and its embeddings, enforced by the {@link Document} aggregate. */
final class DocumentLimits {

    /** A title may be empty (a missing title counts as empty) but not longer than this. */
    public static final int MAX_TITLE_LENGTH = 1_000;
    /** The body is required. */
    public static final int MAX_BODY_LENGTH = 500_000;
    /** The source (a link back to the content system) is optional. */
    public static final int MAX_SOURCE_LENGTH = 2_000;
    /** The free-text reason of a delete is optional. */
    public static final int MAX_REASON_LENGTH = 1_000;
    /** Chunks in one embedding, whether computed by the encoder or supplied by the client. */
    public static final int MAX_CHUNKS = 2_000;
    public static final int MIN_DIMENSION = 1;
    public static final int MAX_DIMENSION = 4_096;

    private DocumentLimits() {
    }
}
