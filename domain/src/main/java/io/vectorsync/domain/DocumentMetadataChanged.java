package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

import java.util.Map;

/** The metadata was replaced by this map; the content and its embeddings stay valid. */
@Revision("1")
public record DocumentMetadataChanged(
        String tenant,
        String documentId,
        Map<String, Object> metadata) implements ContentBearing {

    @Override
    public boolean contentErased() {
        return metadata == null;
    }
}
