package io.vectorsync.projections.versions;

import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.VectorIndex;

import java.util.Optional;
import java.util.OptionalLong;

/** One document as one version holds it: its version there (tombstones included) and its live content. */
public record VersionedDocument(int version, Role role, Held held, OptionalLong documentVersion,
                                Optional<ReplaceChunks> content) {

    /** Whether a version holds a document. */
    public enum Held { PRESENT, DELETED, ABSENT, UNAVAILABLE }

    /** How {@code index} holds the document; {@link Held#UNAVAILABLE} for a version that is not open (null). */
    static VersionedDocument of(int version, Role role, VectorIndex index, String tenant, String documentId) {
        if (index == null) {
            return new VersionedDocument(version, role, Held.UNAVAILABLE, OptionalLong.empty(), Optional.empty());
        }
        OptionalLong held = index.version(tenant, documentId);
        Optional<ReplaceChunks> content = index.content(tenant, documentId);
        return new VersionedDocument(version, role, content.isPresent() ? Held.PRESENT
                : held.isPresent() ? Held.DELETED : Held.ABSENT, held, content);
    }
}
