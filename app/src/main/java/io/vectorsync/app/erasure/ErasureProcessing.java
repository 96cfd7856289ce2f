package io.vectorsync.app.erasure;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.store.EventStoreDatabase;

import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code erasure} processing group (issue 21): its event handler ({@link ErasureProcessor}, package-private as
 * every handler is) and the purger that makes its erasures physical ({@link ErasurePurger}), which starts once the
 * node's indexes are open.
 */
public final class ErasureProcessing implements AutoCloseable {

    public static final String PROCESSING_GROUP = "erasure";

    private final EventStoreDatabase database;
    private final DocumentKeys keys;
    private final ErasureProcessor handler;
    private volatile ErasurePurger purger;

    public ErasureProcessing(EventStoreDatabase database, DocumentKeys keys) {
        this.database = database;
        this.keys = keys;
        this.handler = new ErasureProcessor(database, () -> {
            ErasurePurger started = purger;
            if (started != null) {
                started.wake();
            }
        });
    }

    /** The event handler to register in the processing group. */
    public Object handler() {
        return handler;
    }

    /** Where the node's indexes are, once it has opened all of them: the handler may go on, the purger starts. */
    public void indexes(Supplier<List<VectorIndex>> indexes) {
        handler.indexes(indexes);
        purger = new ErasurePurger(database.erasurePurges(), keys, indexes);
    }

    @Override
    public void close() {
        if (purger != null) {
            purger.close();
        }
    }
}
