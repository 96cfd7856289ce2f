package io.vectorsync.projections.versions;

/** An operation the version's state does not allow now (swap a build that has not caught up, drop the live one). */
public final class VersionStateException extends RuntimeException {

    public VersionStateException(String message) {
        super(message);
    }
}
