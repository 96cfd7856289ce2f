package io.vectorsync.projections.versions;

import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;

import java.util.Optional;

/**
 * The lifecycle of an index backend's versions, what blue/green rebuilds need of it: open a version beside the live
 * one, make it live, drop it, say where it is. Implemented for the embedded Lucene index (a directory per version,
 * the live one handed over in process) and for OpenSearch (a physical index per version behind two aliases).
 */
public interface IndexBackend {

    /** The number of the version the live index reads now (OpenSearch: behind the aliases, which a replay moves). */
    int liveVersion(VectorIndex live);

    /** Above every version of the space the backend holds (versions the registry no longer lists included). */
    int nextFreeVersion(VectorIndex live);

    /** Opens a version that is not live, to be fed, creating it when it does not exist yet. */
    VectorIndex open(SpaceSpec space, IndexVersion version);

    /**
     * Makes {@code target} the live index of its space. Answers the index of the version that was live
     * ({@code wasLive}), open, to be fed as the previous one. When it fails, nothing has changed.
     */
    VectorIndex promote(VectorIndexes live, IndexVersion target, VectorIndex index, IndexVersion wasLive);

    /** Deletes a version that is not live; closes its index. */
    void drop(IndexVersion version, VectorIndex index);

    /** Where a version's entries are. */
    Location location(SpaceSpec space, int version);

    /** The aliases searches read and the live processor writes, for a backend that has them. */
    Optional<Aliases> aliases(VectorIndex live);

    /** Refuses settings this backend cannot build, naming the field ({@code InvalidInputException}). */
    void validate(VersionSettings settings);

    /** @param kind {@code index} (an OpenSearch index) or {@code directory} (a Lucene directory) */
    record Location(String kind, String name) {
    }

    /** @param index the physical index both aliases point at */
    record Aliases(String read, String write, String index) {
    }
}
