package io.vectorsync.query;

import io.vectorsync.json.ReportedProblem;

/**
 * A read asked to reflect a position ({@code consistentWith}) that a projection it depends on had not
 * reached within the bounded wait. The API answers 503; the message names the projection.
 */
public final class ProjectionLagException extends RuntimeException implements ReportedProblem {

    public ProjectionLagException(String projection, long reached, long wanted, long waitedMillis) {
        super("projection '" + projection + "' has reached position " + reached + ", the request asked for "
                + wanted + "; waited " + waitedMillis + " ms");
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String slug() {
        return "projection-lagging";
    }

    @Override
    public String title() {
        return "Projection lagging";
    }

    @Override
    public String detail() {
        return getMessage() + "; retry, or ask without consistentWith";
    }

    @Override
    public String field() {
        return "consistentWith";
    }

    @Override
    public long retryAfterSeconds() {
        return 1;
    }
}
