package io.vectorsync.projections.index;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import java.util.List;
import java.util.OptionalLong;

/**
 * The index of one embedding space: one entry per chunk, version-guarded per document.
 * Adapters: Lucene (embedded) and OpenSearch. Every write carries the document version (the
 * sequence number of the event that caused it, plus one); a write whose version is not newer than
 * what the index holds for that document (including a delete's tombstone) is skipped, so replays,
 * duplicates and out-of-order writes never make a document older.
 */
public interface VectorIndex extends AutoCloseable {

    /** The embedding space this index serves; fixes the dimension and the metric. */
    SpaceSpec space();

    /**
     * Throws {@link IllegalArgumentException} when this index could never apply the write (a vector of
     * the wrong dimension, a metadata value it cannot index). Projections call it per event, so a bad
     * event is dead-lettered alone instead of failing a whole batch in {@link #apply}; adapters with
     * stricter limits add their own checks.
     */
    default void validate(IndexWrite write) {
        WriteValidation.validate(space(), write);
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code vector} can query this index: the space's dimension,
     * finite values, and a direction (not all zeros) under cosine. The same rule as for written vectors.
     */
    default void requireQueryVector(float[] vector) {
        WriteValidation.validateVector(space(), vector, "the query");
    }

    /**
     * Throws {@link IllegalArgumentException} unless the query can be asked of any index: a tenant, {@code k} of at
     * least 1, and a {@link #requireQueryVector query vector}. Adapters call it before they search.
     */
    default void requireQuery(VectorQuery query) {
        WriteValidation.requireQuery(query.tenant(), query.k());
        requireQueryVector(query.vector());
    }

    /**
     * {@link #requireQuery(VectorQuery)} for a hybrid search ({@link HybridSearch}), which also needs text, checked
     * before the vector.
     */
    default void requireQuery(HybridQuery query) {
        WriteValidation.requireQuery(query.tenant(), query.k());
        if (query.text() == null || query.text().isBlank()) {
            throw new IllegalArgumentException("a hybrid search needs text");
        }
        requireQueryVector(query.vector());
    }

    /**
     * {@link #validate} for a whole batch, as a non-transient {@link IndexWriteException} naming the
     * space; adapters call it before they write anything.
     */
    default void validateAll(List<IndexWrite> writes) {
        for (IndexWrite write : writes) {
            try {
                validate(write);
            } catch (IllegalArgumentException e) {
                throw new IndexWriteException("batch rejected, nothing written to space '" + space().name()
                        + "': " + e.getMessage(), false, e);
            }
        }
    }

    /**
     * Applies the writes in order and durably: the processor stores its token once this returns. The
     * writes are searchable on return (Lucene) or within the index's refresh interval (OpenSearch,
     * about a second). One call per processor batch. Throws {@link IndexWriteException} when it could not; {@code isTransient()} says
     * whether a retry can help. A batch holding a write that fails {@link #validate} writes nothing.
     */
    void apply(List<IndexWrite> writes);

    /** Up to {@code k} documents, best first, each with its best chunk; never another tenant's. */
    List<DocumentHit> search(VectorQuery query);

    /** The version the index holds for a document, tombstones included; empty when never written. */
    OptionalLong version(String tenant, String documentId);

    /**
     * The versions searches see now, tombstones included, of those of {@code documentIds} the index
     * holds: what the hot-vector cache compares with to let entries go. The default asks
     * {@link #version}, right for an index whose writes are searchable on return; an index that
     * refreshes later answers from what its last refresh made visible.
     */
    default Map<String, Long> searchableVersions(String tenant, Collection<String> documentIds) {
        Map<String, Long> versions = new HashMap<>();
        for (String documentId : documentIds) {
            version(tenant, documentId).ifPresent(version -> versions.put(documentId, version));
        }
        return versions;
    }

    /**
     * {@link #search} and {@link #searchableVersions} of some documents of the query's tenant, in one
     * round trip where the index can: the hot-vector cache checks the documents it may add to the
     * answer against the index.
     */
    default SearchWithVersions searchWithVersions(VectorQuery query, Collection<String> documentIds) {
        return new SearchWithVersions(search(query),
                documentIds.isEmpty() ? Map.of() : searchableVersions(query.tenant(), documentIds));
    }

    /** What {@link #searchWithVersions} answers. */
    record SearchWithVersions(List<DocumentHit> hits, Map<String, Long> versions) {
    }

    /**
     * Every document of a tenant the index holds, tombstones included, with its version as searches see it:
     * what a drift check compares with the event log.
     */
    Map<String, Long> documentVersions(String tenant);

    /**
     * A live document's entries — its chunks with their vectors, title and metadata — as the index
     * holds them now; empty when it holds none (never written, deleted, or not embedded yet).
     */
    Optional<IndexWrite.ReplaceChunks> content(String tenant, String documentId);

    /**
     * Removes every entry of every tenant, tombstones included: the index is as new, so a replay of the
     * whole log can write it again. Searches find nothing until it has.
     */
    void clear();

    /**
     * Makes what deletes and replaced entries left behind physically gone from the index's files (erasure,
     * issue 21): every segment holding a deleted entry is merged away, however few it holds, and the files of the
     * old segments are removed. Costs about a rewrite of those segments, so erasures call it once per batch.
     */
    void expungeDeletes();

    /**
     * Makes every write applied so far visible to searches before it returns. Nothing to do for an
     * index whose writes are searchable on return (the default); an index that refreshes periodically
     * refreshes now, which costs, so only reads that asked for consistency call it.
     */
    default void makeSearchable() {
    }

    /** Live documents of a tenant that have at least one chunk. */
    long countDocuments(String tenant);

    /** Chunk entries of a tenant. */
    long countChunks(String tenant);

    /** Live documents with at least one chunk, of every tenant: for metrics. */
    long countAllDocuments();

    /**
     * For readiness: whether the index is reachable and writable right now. Answers within a short
     * timeout (about a second) and never throws, so a health check cannot hang on a dead backend.
     */
    default boolean healthy() {
        return true;
    }

    /** What {@link #healthy} found, in a sentence for a readiness endpoint; same short timeout. */
    default String healthDetail() {
        return "ok";
    }

    @Override
    void close();
}
