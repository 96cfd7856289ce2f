package io.vectorsync.query;

/**
 * A read asked to reflect a position ({@code consistentWith}) that a projection it depends on had not
 * reached within the bounded wait. The API answers 503, naming the projection.
 */
public final class ProjectionLagException extends RuntimeException {

    private final String projection;
    private final long reached;
    private final long wanted;

    public ProjectionLagException(String projection, long reached, long wanted, long waitedMillis) {
        super("projection '" + projection + "' has reached position " + reached + ", the request asked for "
                + wanted + "; waited " + waitedMillis + " ms");
        this.projection = projection;
        this.reached = reached;
        this.wanted = wanted;
    }

    public String projection() {
        return projection;
    }

    public long reached() {
        return reached;
    }

    public long wanted() {
        return wanted;
    }
}
