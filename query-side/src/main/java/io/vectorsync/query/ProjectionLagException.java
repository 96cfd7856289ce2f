package io.vectorsync.query;

/**
 * A read asked to reflect a position ({@code consistentWith}) that a projection it depends on had not
 * reached within the bounded wait. The API answers 503; the message names the projection.
 */
public final class ProjectionLagException extends RuntimeException {

    public ProjectionLagException(String projection, long reached, long wanted, long waitedMillis) {
        super("projection '" + projection + "' has reached position " + reached + ", the request asked for "
                + wanted + "; waited " + waitedMillis + " ms");
    }
}
