package io.vectorsync.projections.versions;

import java.util.List;
import java.util.Optional;

/** Every version of one space, the live one first. */
public record SpaceVersions(String space, int liveVersion, Optional<IndexBackend.Aliases> aliases,
                            List<VersionState> versions) {
}
