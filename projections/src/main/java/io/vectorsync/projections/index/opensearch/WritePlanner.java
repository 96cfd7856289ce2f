package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ChangeMetadata;
import io.vectorsync.projections.index.IndexWrite.Delete;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.IndexWriteException;
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
 * touches (one real-time multi-get through the write alias), runs the writes against them in order,
 * and plans the entry operations and the new state documents of those that changed.
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
     * Runs the writes against the documents' current states, later writes seeing earlier ones, and
     * plans the operations of the documents that changed. A write not newer than the state is skipped.
     */
    WritePlan plan(List<IndexWrite> writes) {
        Map<String, DocumentState> documents = readStates(writes);
        for (IndexWrite write : writes) {
            DocumentState document = documents.get(Entries.stateId(write.tenant(), write.documentId()));
            if (document.version >= write.version()) {
                continue;
            }
            switch (write) {
                case ReplaceChunks replace -> document.replace(replace);
                case ChangeMetadata change -> {
                    if (!document.contentKnown) {
                        document.content = readContent(document);
                        document.contentKnown = true;
                    }
                    document.changeMetadata(change);
                }
                case Delete ignored -> document.delete();
            }
            document.version = write.version();
            document.changed = true;
        }
        List<Operation> entries = new ArrayList<>();
        List<Operation> states = new ArrayList<>();
        documents.values().stream()
                .filter(document -> document.changed)
                .forEach(document -> document.addOperations(entries, states));
        return new WritePlan(entries, states);
    }

    /** A live document's chunk entries as the index holds them now (real time), or null. */
    ReplaceChunks content(String tenant, String documentId) {
        Map<String, DocumentState> documents = new LinkedHashMap<>();
        documents.put(Entries.stateId(tenant, documentId), new DocumentState(tenant, documentId));
        DocumentState document = readStates(documents).values().iterator().next();
        return document.deleted ? null : readContent(document);
    }

    /** The state of every document the batch touches, in one real-time multi-get. */
    private Map<String, DocumentState> readStates(List<IndexWrite> writes) {
        Map<String, DocumentState> documents = new LinkedHashMap<>();
        for (IndexWrite write : writes) {
            documents.putIfAbsent(Entries.stateId(write.tenant(), write.documentId()),
                    new DocumentState(write.tenant(), write.documentId()));
        }
        return readStates(documents);
    }

    private Map<String, DocumentState> readStates(Map<String, DocumentState> documents) {
        List<String> ids = List.copyOf(documents.keySet());
        MgetResponse<JsonData> response = Failures.withRetries(retry, "reading document states",
                () -> client.mget(m -> m.index(index).ids(ids).sourceIncludes(Entries.STATE_FIELDS),
                        JsonData.class));
        for (MultiGetResponseItem<JsonData> item : response.docs()) {
            JsonObject state = found(item, "reading document states");
            if (state != null) {
                documents.get(item.result().id()).known(state);
            }
        }
        return documents;
    }

    /** A metadata change rewrites the chunks with their stored vectors and passages: fetch them. */
    private ReplaceChunks readContent(DocumentState document) {
        List<String> ids = document.stored.stream()
                .map(chunk -> Entries.chunkId(document.tenant, document.documentId, chunk))
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
        return Entries.content(document.tenant, document.documentId, chunks);
    }

    private static JsonObject found(MultiGetResponseItem<JsonData> item, String what) {
        if (item.isFailure()) {
            throw new IndexWriteException("OpenSearch failed " + what + ": " + item.failure().error().type() + ": "
                    + item.failure().error().reason(), true, null);
        }
        return item.result().found() ? item.result().source().toJson().asJsonObject() : null;
    }


    /** One document as a batch sees it; {@code content} is null when it has no chunks. */
    private static final class DocumentState {
        final String tenant;
        final String documentId;
        long version = -1;
        boolean deleted;
        /** The chunk numbers the index holds now, from the state document. */
        List<Integer> stored = List.of();
        ReplaceChunks content;
        /** Chunks are read from the index only when a metadata change needs them. */
        boolean contentKnown = true;
        boolean changed;

        DocumentState(String tenant, String documentId) {
            this.tenant = tenant;
            this.documentId = documentId;
        }

        void known(JsonObject state) {
            version = state.getJsonNumber(Entries.VERSION).longValue();
            deleted = state.getBoolean(Entries.DELETED, false);
            stored = Entries.chunkNumbers(state);
            contentKnown = stored.isEmpty();
        }

        void replace(ReplaceChunks replace) {
            content = replace;
            contentKnown = true;
            deleted = false;
        }

        void changeMetadata(ChangeMetadata change) {
            if (content != null) {
                content = new ReplaceChunks(tenant, documentId, change.version(), content.contentRevision(),
                        content.title(), change.metadata(), content.provenance(), content.chunks());
            }
        }

        void delete() {
            content = null;
            contentKnown = true;
            deleted = true;
        }

        /** Its chunk entries (written, and stale ones deleted) and its state document, at its new version. */
        void addOperations(List<Operation> entries, List<Operation> states) {
            String label = label();
            Set<Integer> current = new LinkedHashSet<>();
            if (content != null) {
                for (IndexChunk chunk : content.chunks()) {
                    current.add(chunk.index());
                    entries.add(Operation.index(label, Entries.chunkId(tenant, documentId, chunk.index()), version,
                            Entries.chunk(content, version, chunk)));
                }
            }
            for (int chunk : stored) {
                if (!current.contains(chunk)) {
                    entries.add(Operation.delete(label, Entries.chunkId(tenant, documentId, chunk), version));
                }
            }
            states.add(Operation.index(label, Entries.stateId(tenant, documentId), version, Entries.state(tenant,
                    documentId, version, deleted, content == null ? null : content.contentRevision(), current)));
        }

        String label() {
            return tenant + "/" + documentId;
        }
    }
}
