package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

/** The document was deleted; {@code reason} may be null. */
@Revision("1")
public record DocumentDeleted(
        String tenant,
        String documentId,
        String reason) implements ContentBearing {

    /** A deletion's reason is free text and sealed with the content; a fold needs nothing of it. */
    @Override
    public boolean contentErased() {
        return false;
    }
}
