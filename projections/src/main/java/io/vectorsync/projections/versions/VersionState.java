package io.vectorsync.projections.versions;

import java.util.Optional;

/**
 * One version as it stands: its registry row ({@code registered} false for a live version 1 that was never
 * rebuilt), the processor that feeds it, the model whose vectors it holds (null: the live one's, any), where
 * it is, and for a version being fed, how far that has got.
 */
public record VersionState(IndexVersion version, boolean registered, String processor, String model,
                           IndexBackend.Location location, Optional<Reembedding.Progress> reembedding,
                           Optional<FeedProgress> progress) {
}
