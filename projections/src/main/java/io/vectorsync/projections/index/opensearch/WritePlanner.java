package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.WriteFold;
import io.vectorsync.projections.index.opensearch.BulkWriter.Operation;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings.Retry;
import jakarta.json.JsonObject;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.MgetResponse;
import org.opensearch.client.opensearch.core.mget.MultiGetResponseItem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what a batch of writes does to the index: reads the state documents of the documents it
 * touches (one real-time multi-get through the write alias), runs the writes against them in order
 * ({@link WriteFold}), and plans the entry operations and the new state documents of those that changed.
 */
final class WritePlanner {

    private final OpenSearchClient client;
    private final String index;
    private final Retry retry;

    WritePlanner(OpenSearchClient client, String index, Retry retry) {
        this.client = client;
        this.index = index;
        this.retry = retry;
    }

    /**
     * What to send: the chunk entries to write or delete, and the state documents to write once
     * every entry is in (a state document is a document's commit record: it never claims a version
     * whose entries are not all written).
     */
    record WritePlan(List<Operation> entries, List<Operation> states) {
    }

    /**
     * Runs the writes against the documents' current states ({@link WriteFold}: later writes see earlier ones, a
     * write not newer than the state is skipped) and plans the operations of the documents that changed.
     */
    WritePlan plan(List<IndexWrite> writes) {
        Map<String, StoredState> documents = new LinkedHashMap<>();
        for (IndexWrite write : writes) {
            documents.putIfAbsent(Entries.stateId(write.tenant(), write.documentId()),
                    new StoredState(write.tenant(), write.documentId()));
        }
        Map<String, StoredState> states = readStates(documents);
        List<StoredState> changed = WriteFold.changed(writes,
                (tenant, documentId) -> states.get(Entries.stateId(tenant, documentId)), this::readContent);
        List<Operation> entries = new ArrayList<>();
        List<Operation> stateDocuments = new ArrayList<>();
        changed.forEach(document -> document.addOperations(entries, stateDocuments));
        return new WritePlan(entries, stateDocuments);
    }

    /** A live document's chunk entries as the index holds them now (real time), or null. */
    ReplaceChunks content(String tenant, String documentId) {
        Map<String, StoredState> documents = new LinkedHashMap<>();
        documents.put(Entries.stateId(tenant, documentId), new StoredState(tenant, documentId));
        StoredState document = readStates(documents).values().iterator().next();
        return document.deleted() ? null : readContent(document);
    }

    /** The states of the documents, by state id, in one real-time multi-get; those not found stay as they are. */
    private Map<String, StoredState> readStates(Map<String, StoredState> documents) {
        List<String> ids = List.copyOf(documents.keySet());
        MgetResponse<JsonData> response = Failures.withRetries(retry, "reading document states",
                () -> client.mget(m -> m.index(index).ids(ids).sourceIncludes(Entries.STATE_FIELDS),
                        JsonData.class));
        for (MultiGetResponseItem<JsonData> item : response.docs()) {
            JsonObject state = found(item, "reading document states");
            if (state != null) {
                documents.computeIfPresent(item.result().id(),
                        (id, unknown) -> StoredState.known(unknown.tenant(), unknown.documentId(), state));
            }
        }
        return documents;
    }

    /** A metadata change rewrites the chunks with their stored vectors and passages: fetch them. */
    private ReplaceChunks readContent(StoredState document) {
        List<String> ids = document.stored.stream()
                .map(chunk -> Entries.chunkId(document.tenant(), document.documentId(), chunk))
                .toList();
        if (ids.isEmpty()) {
            return null;
        }
        MgetResponse<JsonData> response = Failures.withRetries(retry, "reading chunks",
                () -> client.mget(m -> m.index(index).ids(ids), JsonData.class));
        List<JsonObject> chunks = new ArrayList<>();
        for (MultiGetResponseItem<JsonData> item : response.docs()) {
            JsonObject chunk = found(item, "reading the chunks of " + document.label());
            if (chunk != null) {
                chunks.add(chunk);
            }
        }
        return Entries.content(document.tenant(), document.documentId(), chunks);
    }

    private static JsonObject found(MultiGetResponseItem<JsonData> item, String what) {
        if (item.isFailure()) {
            throw new IndexWriteException("OpenSearch failed " + what + ": " + item.failure().error().type() + ": "
                    + item.failure().error().reason(), true, null);
        }
        return item.result().found() ? item.result().source().toJson().asJsonObject() : null;
    }


    /** A document's state as a batch sees it, with the chunk numbers its state document lists. */
    private static final class StoredState extends WriteFold.DocumentState {
        /** The chunk numbers the index holds now, from the state document. */
        private final List<Integer> stored;

        /** A document the index has never held. */
        StoredState(String tenant, String documentId) {
            super(tenant, documentId);
            this.stored = List.of();
        }

        private StoredState(String tenant, String documentId, long version, boolean deleted, List<Integer> stored) {
            super(tenant, documentId, version, deleted, stored.isEmpty());
            this.stored = stored;
        }

        /** The document as its state document says: its chunks are read only if a metadata change needs them. */
        static StoredState known(String tenant, String documentId, JsonObject state) {
            return new StoredState(tenant, documentId, state.getJsonNumber(IndexFields.VERSION).longValue(),
                    state.getBoolean(IndexFields.DELETED, false), Entries.chunkNumbers(state));
        }

        /** Its chunk entries (written, and stale ones deleted) and its state document, at its new version. */
        void addOperations(List<Operation> entries, List<Operation> states) {
            String label = label();
            long version = version();
            ReplaceChunks content = content();
            Set<Integer> current = new LinkedHashSet<>();
            if (content != null) {
                for (IndexChunk chunk : content.chunks()) {
                    current.add(chunk.index());
                    entries.add(Operation.index(label, Entries.chunkId(tenant(), documentId(), chunk.index()), version,
                            Entries.chunk(content, version, chunk)));
                }
            }
            for (int chunk : stored) {
                if (!current.contains(chunk)) {
                    entries.add(Operation.delete(label, Entries.chunkId(tenant(), documentId(), chunk), version));
                }
            }
            states.add(Operation.index(label, Entries.stateId(tenant(), documentId()), version, Entries.state(tenant(),
                    documentId(), version, deleted(), content == null ? null : content.contentRevision(), current)));
        }

        String label() {
            return tenant() + "/" + documentId();
        }
    }
}
