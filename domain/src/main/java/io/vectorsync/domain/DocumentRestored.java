package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

import java.util.Map;

/** A deleted document was upserted again and is live with this content. {@code contentHash} covers title and body. */
@Revision("1")
public record DocumentRestored(
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
