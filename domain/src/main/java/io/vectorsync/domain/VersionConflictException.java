package io.vectorsync.domain;

/** The caller's expected version (If-Match) is not the document's current version. */
public class VersionConflictException extends IllegalStateException {

    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(long expectedVersion, long actualVersion) {
        super("expected version " + expectedVersion + " but the document is at version " + actualVersion);
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
