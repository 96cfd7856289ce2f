package io.vectorsync.command.api;

import io.vectorsync.json.ReportedProblem;

/** A write refused because the system cannot take it now (nothing was written): 429 {@code overloaded}. */
public abstract class TooManyWrites extends RuntimeException implements ReportedProblem {

    protected TooManyWrites(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 429;
    }

    @Override
    public String slug() {
        return "overloaded";
    }

    @Override
    public String title() {
        return "Too many writes";
    }
}
