package io.vectorsync.projections.versions;

import java.time.Instant;

/** One version of a space's index: its number, what it is for, what it was built with and when. */
public record IndexVersion(String space, int version, Role role, VersionSettings settings, Instant createdAt) {

    /** The processing group that feeds a version that is not live. */
    public static String group(String space, int version) {
        return "index-" + space + "-v" + version;
    }

    public String group() {
        return group(space, version);
    }

    public IndexVersion withRole(Role newRole) {
        return new IndexVersion(space, version, newRole, settings, createdAt);
    }
}
