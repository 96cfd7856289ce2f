package io.vectorsync.projections.index;

import io.vectorsync.json.ReportedProblem;

/**
 * The index could not be reached in time (connection refused, timeout, overloaded cluster). Read paths
 * throw it instead of waiting, so the query API can answer 503 at once and the caller can retry.
 */
public class IndexUnavailableException extends RuntimeException implements ReportedProblem {

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String slug() {
        return "index-unavailable";
    }

    @Override
    public String title() {
        return "Index unavailable";
    }

    @Override
    public String detail() {
        return getMessage() + "; retry shortly";
    }

    @Override
    public long retryAfterSeconds() {
        return 2;
    }
}
