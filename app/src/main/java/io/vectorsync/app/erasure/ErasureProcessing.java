package io.vectorsync.app.erasure;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.store.EventStoreDatabase;

import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code erasure} processing group (issue 21): its event handler ({@link ErasureProcessor}, package-private as
 * every handler is) and what the app tells it.
 */
public final class ErasureProcessing {

    public static final String PROCESSING_GROUP = "erasure";

    private final ErasureProcessor handler;

    public ErasureProcessing(EventStoreDatabase database, DocumentKeys keys) {
        this.handler = new ErasureProcessor(database, keys);
    }

    /** The event handler to register in the processing group. */
    public Object handler() {
        return handler;
    }

    /** Where the node's indexes are, once it has opened all of them. */
    public void indexes(Supplier<List<VectorIndex>> indexes) {
        handler.indexes(indexes);
    }
}
