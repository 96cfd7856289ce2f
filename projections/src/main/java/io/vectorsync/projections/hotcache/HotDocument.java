package io.vectorsync.projections.hotcache;

import io.vectorsync.projections.index.IndexChunk;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the hot-vector cache knows of one document at one version: its chunks with their vectors, title
 * and metadata, or that it is deleted (a tombstone, with no chunks). The version is the document's, as
 * in the index, so the cache and the index can be compared.
 *
 * @param cachedAtMillis when the projection wrote it, for its age in stats
 */
public record HotDocument(
        String tenant,
        String documentId,
        long version,
        boolean deleted,
        long contentRevision,
        String title,
        Map<String, Object> metadata,
        List<IndexChunk> chunks,
        long cachedAtMillis) {

    public HotDocument {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        metadata = metadata == null ? Map.of() : metadata;
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
        if (deleted && !chunks.isEmpty()) {
            throw new IllegalArgumentException("a deleted document has no chunks");
        }
    }

    static HotDocument tombstone(String tenant, String documentId, long version, long cachedAtMillis) {
        return new HotDocument(tenant, documentId, version, true, -1, null, Map.of(), List.of(), cachedAtMillis);
    }

    /** The cache key within a space's map: the document's aggregate id. */
    String key() {
        return key(tenant, documentId);
    }

    static String key(String tenant, String documentId) {
        return tenant + "/" + documentId;
    }

    /** The same document with other metadata, at a newer version. */
    HotDocument withMetadata(long newVersion, Map<String, Object> newMetadata, long now) {
        return new HotDocument(tenant, documentId, newVersion, deleted, contentRevision, title, newMetadata, chunks, now);
    }
}
