package io.vectorsync.projections.index;

import java.util.Map;

/**
 * An index write failed; {@code isTransient} says whether retrying the same write can succeed, and
 * {@link #rejected()} names the documents (key {@code tenant/documentId}) whose entries the index
 * refused for good, with the reason, when the adapter can tell.
 */
public class IndexWriteException extends RuntimeException {

    private final boolean isTransient;
    private final Map<String, String> rejected;

    public IndexWriteException(String message, boolean isTransient, Throwable cause) {
        this(message, isTransient, cause, Map.of());
    }

    public IndexWriteException(String message, boolean isTransient, Throwable cause, Map<String, String> rejected) {
        super(message, cause);
        this.isTransient = isTransient;
        this.rejected = Map.copyOf(rejected);
    }

    public boolean isTransient() {
        return isTransient;
    }

    /** Documents the index refused deterministically, by key, with the index's reason. */
    public Map<String, String> rejected() {
        return rejected;
    }
}
