package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

import java.util.Map;

/** The document was created. {@code contentHash} covers title and body. */
@Revision("1")
public record DocumentCreated(
        String tenant,
        String documentId,
        String title,
        String body,
        Map<String, Object> metadata,
        String source,
        String contentHash) implements ContentBearing {

    @Override
    public boolean contentErased() {
        return body == null;
    }
}
