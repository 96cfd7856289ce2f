package io.vectorsync.query.search;

import io.vectorsync.projections.index.VectorIndex;

/**
 * The live index of an embedding space. The query side asks for an index per request and keeps no
 * reference, so an alias swap after a rebuild is picked up by the next search.
 */
@FunctionalInterface
public interface IndexLookup {

    /** The index serving {@code space}; the space is one of the configured ones. */
    VectorIndex forSpace(String space);
}
