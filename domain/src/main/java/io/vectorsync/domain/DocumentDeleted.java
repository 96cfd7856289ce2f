package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

/** The document was deleted; {@code reason} may be null. */
@Revision("1")
public record DocumentDeleted(
        String tenant,
        String documentId,
        String reason) {
}
