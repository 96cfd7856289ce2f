package io.vectorsync.projections.versions;

import io.vectorsync.json.ReportedProblem;

/** An operation the version's state does not allow now (swap a build that has not caught up, drop the live one). */
public final class VersionStateException extends RuntimeException implements ReportedProblem {

    public VersionStateException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String slug() {
        return "conflict";
    }

    @Override
    public String title() {
        return "Conflict";
    }
}
