package io.vectorsync.store.keys;

import io.vectorsync.crypto.ContentKeys;

/**
 * Every document's data keys (crypto-shredding, issue 21), each wrapped by the {@link MasterKey} for its document
 * and generation. A document erased and written again gets a key of the next generation, so its old events never
 * open with it; generations outlive their keys (they hold no secret). Destroying a document's keys makes its sealed
 * content unreadable at once; {@link #shred} then makes the destroyed keys physically gone from where they were
 * stored. On the embedded store the keys live in a file of their own ({@link KeyFile}); on PostgreSQL in a table
 * rewritten whole by the shred ({@link KeyTable}). The serializer reads and makes them as {@link ContentKeys}.
 */
public interface DataKeys extends ContentKeys, AutoCloseable {

    /** Destroys every key of the document. */
    void destroy(String tenant, String documentId);

    /** Destroys the keys of every document of the tenant; answers how many documents had one. */
    int destroyTenant(String tenant);

    /** Puts new keys on disk before the events sealed with them commit (nothing to do where they share a transaction). */
    void flush();

    /** Makes destroyed keys physically gone from their storage (not merely marked free in it). */
    void shred();

    @Override
    void close();
}
