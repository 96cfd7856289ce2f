package io.vectorsync.cli;

/** A command failed for a reason its message tells the user as it is, on one line (exit code 1). */
public final class Failure extends RuntimeException {

    public Failure(String message) {
        super(message);
    }

    public Failure(String message, Throwable cause) {
        super(message, cause);
    }
}
