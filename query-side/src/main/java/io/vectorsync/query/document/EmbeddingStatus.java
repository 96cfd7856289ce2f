package io.vectorsync.query.document;

import java.util.Locale;

/** Whether the document's current content is searchable by vector. */
enum EmbeddingStatus {
    /** At least one space holds vectors of the current content. */
    EMBEDDED,
    /** The document is live but no space has vectors of its current content yet (the encoder has not run). */
    PENDING,
    /** The document is deleted: nothing is, or will be, searchable. */
    NONE;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
