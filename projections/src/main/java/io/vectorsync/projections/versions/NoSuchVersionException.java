package io.vectorsync.projections.versions;

/** A space or a version of its index that does not exist (or is not being fed): the admin API's 404. */
public final class NoSuchVersionException extends RuntimeException {

    public NoSuchVersionException(String message) {
        super(message);
    }
}
