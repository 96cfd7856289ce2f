package io.vectorsync.crypto;

import javax.crypto.SecretKey;
import java.util.Optional;

/**
 * Where the serializer gets documents' data keys (the store keeps them: {@code io.vectorsync.store.keys.DataKeys}).
 * A document's key has a generation: an erased document written again gets a new key of the next one.
 */
public interface ContentKeys {

    /** A document's current key and its generation. */
    record DataKey(long generation, SecretKey key) {
    }

    /** The document's key, made (in the next generation) when it has none. */
    DataKey current(String tenant, String documentId);

    /** The key of one generation of a document; empty once destroyed (or never made). */
    Optional<SecretKey> find(String tenant, String documentId, long generation);
}
