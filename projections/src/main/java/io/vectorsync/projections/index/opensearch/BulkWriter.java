package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings.Retry;
import jakarta.json.JsonObject;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.VersionType;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends entry operations as bulk requests of at most {@code maxBytes} each and reads every item's
 * result. Every operation carries its document's version with {@code external_gte}, so sending one
 * twice is harmless: transient failures (the whole request, or single items answered 429 or 5xx) are
 * resent with backoff, and a version conflict means a newer version is already there — done.
 */
final class BulkWriter {

    /** Bulk framing per operation (action line, newlines) on top of the document itself. */
    private static final int ACTION_BYTES = 200;

    private final OpenSearchClient client;
    private final String index;
    private final long maxBytes;
    private final Retry retry;

    BulkWriter(OpenSearchClient client, String index, long maxBytes, Retry retry) {
        this.client = client;
        this.index = index;
        this.maxBytes = maxBytes;
        this.retry = retry;
    }

    /** Indexing or deleting one entry at a document's version; {@code document} names it in errors. */
    record Operation(String document, String id, long version, JsonObject source, long bytes) {

        static Operation index(String document, String id, long version, JsonObject source) {
            return new Operation(document, id, version, source,
                    ACTION_BYTES + source.toString().getBytes(StandardCharsets.UTF_8).length);
        }

        static Operation delete(String document, String id, long version) {
            return new Operation(document, id, version, null, ACTION_BYTES);
        }

        BulkOperation toBulk() {
            if (source == null) {
                return BulkOperation.of(b -> b.delete(d -> d.id(id).version(version)
                        .versionType(VersionType.ExternalGte)));
            }
            return BulkOperation.of(b -> b.index(i -> i.id(id).version(version)
                    .versionType(VersionType.ExternalGte).document(JsonData.of(source))));
        }
    }

    /**
     * Returns once every operation is applied or superseded by a newer version. Throws
     * {@link IndexWriteException}: non-transient when OpenSearch rejected an entry (naming its
     * documents), transient when retries ran out.
     */
    void write(List<Operation> operations) {
        List<Operation> pending = operations;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            Round round = send(pending);
            if (round.retry.isEmpty()) {
                return;
            }
            if (attempt >= retry.maxAttempts()) {
                throw new IndexWriteException("OpenSearch did not take " + round.retry.size() + " entries of "
                        + documents(round.retry) + " after " + attempt + " attempts, last: " + round.lastFailure,
                        true, round.lastCause);
            }
            Failures.pause(retry.backoff(attempt), "a bulk write");
            pending = round.retry;
        }
    }

    /** One pass over the operations, split by size; collects what is worth resending. */
    private Round send(List<Operation> operations) {
        Round round = new Round();
        List<List<Operation>> requests = split(operations);
        for (int r = 0; r < requests.size(); r++) {
            List<Operation> request = requests.get(r);
            BulkResponse response;
            try {
                response = client.bulk(b -> b.index(index).operations(request.stream().map(Operation::toBulk).toList()));
            } catch (IOException | RuntimeException e) {
                if (!Failures.isTransient(e)) {
                    throw new IndexWriteException("OpenSearch rejected a bulk write for " + documents(request) + ": "
                            + Failures.describe(e), false, e);
                }
                // the cluster is not answering: keep the rest for the next round instead of hammering it
                requests.subList(r, requests.size()).forEach(round.retry::addAll);
                round.lastFailure = Failures.describe(e);
                round.lastCause = e;
                return round;
            }
            readItems(request, response.items(), round);
        }
        return round;
    }

    private void readItems(List<Operation> request, List<BulkResponseItem> items, Round round) {
        List<String> rejected = new ArrayList<>();
        Map<String, String> rejectedDocuments = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            Operation operation = request.get(i);
            int status = item.status();
            boolean done = status < 300
                    || status == 404 && operation.source == null // deleting an entry that is not there
                    || status == 409; // external_gte: a newer version of this entry is already there
            if (done) {
                continue;
            }
            String reason = item.error() == null ? "status " + status
                    : status + " " + item.error().type() + ": " + item.error().reason();
            if (Failures.isTransientStatus(status)) {
                round.retry.add(operation);
                round.lastFailure = reason;
            } else {
                rejected.add("document " + operation.document + " (entry " + operation.id + "): " + reason);
                rejectedDocuments.putIfAbsent(operation.document, reason);
            }
        }
        if (!rejected.isEmpty()) {
            throw new IndexWriteException("OpenSearch rejected " + rejected.size() + " entries; " + String.join("; ",
                    rejected.subList(0, Math.min(3, rejected.size()))), false, null, rejectedDocuments);
        }
    }

    /** Consecutive runs of operations within the byte limit; an operation larger than it goes alone. */
    private List<List<Operation>> split(List<Operation> operations) {
        List<List<Operation>> requests = new ArrayList<>();
        List<Operation> current = new ArrayList<>();
        long bytes = 0;
        for (Operation operation : operations) {
            if (!current.isEmpty() && bytes + operation.bytes > maxBytes) {
                requests.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(operation);
            bytes += operation.bytes;
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    /** The documents of the operations for a message: the first few, and how many more. */
    private static String documents(List<Operation> operations) {
        Set<String> documents = new LinkedHashSet<>();
        operations.forEach(operation -> documents.add(operation.document));
        List<String> shown = documents.stream().limit(5).toList();
        return shown + (documents.size() > shown.size() ? " and " + (documents.size() - shown.size()) + " more" : "");
    }

    private static final class Round {
        final List<Operation> retry = new ArrayList<>();
        String lastFailure;
        Exception lastCause;
    }
}
