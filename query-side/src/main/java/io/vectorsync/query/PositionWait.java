package io.vectorsync.query;

/**
 * Read-your-writes: waits until every projection a read depends on reflects a position of the event
 * log (the {@code position} a command answer carries), or throws {@link ProjectionLagException} after
 * a bounded wait.
 */
@FunctionalInterface
public interface PositionWait {

    void await(long position);
}
