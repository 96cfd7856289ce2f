package io.vectorsync.domain;

import org.axonframework.serialization.Revision;

import java.util.List;
import java.util.Map;

/**
 * Vectors were recorded for content revision {@code contentRevision} (the version of the event that
 * set that content) in embedding space {@code space}, with their {@code provenance}. Carries the title
 * and metadata current when recorded, so an index projection can write complete entries without
 * reading anything else.
 * <p>
 * Revision 2: vectors are stored as base64 of little-endian float32 (the serializer's form for every
 * {@code float[]}); {@code model} and {@code chunker} moved into {@link EmbeddingProvenance}, with the
 * model's version and whether the vectors are unit length; a chunk's span is an object or null
 * instead of -1s. The upcasters in {@code io.vectorsync.upcasters} lift revision 1.
 */
@Revision("2")
public record DocumentEmbedded(
        String tenant,
        String documentId,
        long contentRevision,
        String space,
        EmbeddingProvenance provenance,
        int dimension,
        String title,
        Map<String, Object> metadata,
        List<EmbeddedChunk> chunks) implements ContentBearing {

    /** The model's id: {@code provenance().model()}. */
    public String model() {
        return provenance.model();
    }

    /** How the text was chunked: {@code provenance().chunker()}. */
    public ChunkerSettings chunker() {
        return provenance.chunker();
    }

    @Override
    public boolean contentErased() {
        return chunks == null;
    }
}
