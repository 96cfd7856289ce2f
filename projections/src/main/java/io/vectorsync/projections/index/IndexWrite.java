package io.vectorsync.projections.index;

import java.util.List;
import java.util.Map;

/** One version-guarded change to the entries of one document. */
public sealed interface IndexWrite {

    String tenant();

    String documentId();

    long version();

    /** Replace all chunks of the document with these (a revision with fewer chunks drops the rest). */
    record ReplaceChunks(
            String tenant,
            String documentId,
            long version,
            long contentRevision,
            String title,
            Map<String, Object> metadata,
            Provenance provenance,
            List<IndexChunk> chunks) implements IndexWrite {
    }

    /** New metadata for every chunk of the document; vectors and passages stay. No-op when it has none. */
    record ChangeMetadata(
            String tenant,
            String documentId,
            long version,
            Map<String, Object> metadata) implements IndexWrite {
    }

    /** Remove every chunk and leave a tombstone at this version. */
    record Delete(
            String tenant,
            String documentId,
            long version) implements IndexWrite {
    }
}
