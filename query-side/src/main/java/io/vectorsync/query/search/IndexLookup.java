package io.vectorsync.query.search;

import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.query.TextEmbedder;

/**
 * The live index of an embedding space. The query side asks for an index per request and keeps no
 * reference, so an alias swap after a rebuild is picked up by the next search.
 */
@FunctionalInterface
public interface IndexLookup {

    /** The index serving {@code space}; the space is one of the configured ones. */
    VectorIndex forSpace(String space);

    /**
     * A version of the space's index by number — the live one, one being built or kept for rollback, a
     * point-in-time build — or a 404 when there is none.
     */
    default VectorIndex forVersion(String space, int version) {
        throw new InvalidInputException("indexVersion", "this node searches only the live index");
    }

    /**
     * What embeds a query text for a search of that version: with the model its vectors come from, which may
     * not be the live one's while a space moves to another model. The live embedder unless a version says so.
     */
    default TextEmbedder embedderFor(String space, int version, TextEmbedder live) {
        return live;
    }
}
