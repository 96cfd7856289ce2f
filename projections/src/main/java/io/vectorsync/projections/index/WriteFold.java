package io.vectorsync.projections.index;

import io.vectorsync.projections.index.IndexWrite.ChangeMetadata;
import io.vectorsync.projections.index.IndexWrite.Delete;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The version guard of every adapter, in one place: runs a batch of writes against the current state of each
 * document they touch, in order, later writes seeing earlier ones; a write whose version is not newer than the
 * document's (tombstones included) is skipped. What is left is each changed document's final state, which the
 * adapter then writes as a whole. Adapters supply how a document's state and, only when a metadata change
 * needs them, its chunks are read from their index.
 */
public final class WriteFold {

    private WriteFold() {
    }

    /** Reads a document's state as the index holds it now; {@code X} is what reading may throw. */
    @FunctionalInterface
    public interface StateReader<S extends DocumentState, X extends Exception> {
        S read(String tenant, String documentId) throws X;
    }

    /** Reads the chunks the index holds for a document now, or null when it holds none. */
    @FunctionalInterface
    public interface ContentReader<S extends DocumentState, X extends Exception> {
        ReplaceChunks read(S document) throws X;
    }

    /**
     * Folds the writes into the documents' states and returns those that changed, in the order the batch
     * first touched them. Each document's state is read once, when the batch first touches it; its chunks
     * at most once, by the first metadata change that finds them not known.
     */
    public static <S extends DocumentState, X extends Exception> List<S> changed(
            List<IndexWrite> writes, StateReader<S, X> states, ContentReader<S, X> contents) throws X {
        Map<DocumentKey, S> documents = new LinkedHashMap<>();
        for (IndexWrite write : writes) {
            DocumentKey key = new DocumentKey(write.tenant(), write.documentId());
            S read = documents.get(key);
            if (read == null) {
                read = states.read(write.tenant(), write.documentId());
                documents.put(key, read);
            }
            DocumentState document = read; // its private fields are not members of S
            if (document.version >= write.version()) {
                continue;
            }
            switch (write) {
                case ReplaceChunks replace -> document.replace(replace);
                case ChangeMetadata change -> {
                    if (!document.contentKnown) {
                        document.content = contents.read(read);
                        document.contentKnown = true;
                    }
                    document.changeMetadata(change);
                }
                case Delete ignored -> document.delete();
            }
            document.version = write.version();
            document.changed = true;
        }
        return documents.values().stream().filter(DocumentState::changed).toList();
    }

    private record DocumentKey(String tenant, String documentId) {
    }

    /**
     * One document as a batch sees it. Adapters that need more of what they read (OpenSearch: the chunk
     * numbers the index holds) extend it.
     */
    public static class DocumentState {
        private final String tenant;
        private final String documentId;
        private long version;
        private boolean deleted;
        /** Null when the document has no chunks. */
        private ReplaceChunks content;
        /** Chunks are read from the index only when a metadata change needs them. */
        private boolean contentKnown;
        private boolean changed;

        /** A document the index has never held: no version, no chunks. */
        public DocumentState(String tenant, String documentId) {
            this(tenant, documentId, -1, false, true);
        }

        /**
         * A document the index holds at {@code version}; {@code contentKnown} false when it may hold chunks, which
         * are then read if a metadata change needs them.
         */
        public DocumentState(String tenant, String documentId, long version, boolean deleted, boolean contentKnown) {
            this.tenant = tenant;
            this.documentId = documentId;
            this.version = version;
            this.deleted = deleted;
            this.contentKnown = contentKnown;
        }

        public final String tenant() {
            return tenant;
        }

        public final String documentId() {
            return documentId;
        }

        /** The version the batch leaves it at; -1 when it was never written. */
        public final long version() {
            return version;
        }

        public final boolean deleted() {
            return deleted;
        }

        /** Its chunks after the batch; null when it has none (or, unchanged, when they were never read). */
        public final ReplaceChunks content() {
            return content;
        }

        /** Whether a write of the batch applied to it. */
        public final boolean changed() {
            return changed;
        }

        private void replace(ReplaceChunks replace) {
            content = replace;
            contentKnown = true;
            deleted = false;
        }

        /** New metadata on the chunks it has; a document without chunks stays without. */
        private void changeMetadata(ChangeMetadata change) {
            if (content != null) {
                content = new ReplaceChunks(tenant, documentId, change.version(), content.contentRevision(),
                        content.title(), change.metadata(), content.provenance(), content.chunks());
            }
        }

        private void delete() {
            content = null;
            contentKnown = true;
            deleted = true;
        }
    }
}
