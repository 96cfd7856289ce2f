package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

/** The title or body changed; earlier embeddings no longer describe the content. */
@Revision("1")
public record DocumentContentRevised(
        String tenant,
        String documentId,
        String title,
        String body,
        String source,
        String contentHash) implements ContentBearing {

    @Override
    public boolean contentErased() {
        return body == null;
    }
}
