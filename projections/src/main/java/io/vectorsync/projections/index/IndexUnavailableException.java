package io.vectorsync.projections.index;

/**
 * The index could not be reached in time (connection refused, timeout, overloaded cluster). Read paths
 * throw it instead of waiting, so the query API can answer 503 at once and the caller can retry.
 */
public class IndexUnavailableException extends RuntimeException {

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
