package io.vectorsync.projections.versions;

import io.vectorsync.json.ReportedProblem;

/** A space or a version of its index that does not exist (or is not being fed): the admin API's 404. */
public final class NoSuchVersionException extends RuntimeException implements ReportedProblem {

    public NoSuchVersionException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return "not-found";
    }

    @Override
    public String title() {
        return "Not found";
    }
}
