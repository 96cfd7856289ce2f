package io.vectorsync.projections.index;

/** An index write failed; {@code isTransient} says whether retrying the same write can succeed. */
public class IndexWriteException extends RuntimeException {

    private final boolean isTransient;

    public IndexWriteException(String message, boolean isTransient, Throwable cause) {
        super(message, cause);
        this.isTransient = isTransient;
    }

    public boolean isTransient() {
        return isTransient;
    }
}
