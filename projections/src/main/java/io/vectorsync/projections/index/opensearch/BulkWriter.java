package io.vectorsync.projections.index.opensearch;

import io.vectorsync.json.Json;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings.Retry;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * <p>
 * The body is NDJSON written here from the entries' rendered bytes, sent through the generic client:
 * the typed bulk API would serialize every entry a second time through JSON-B.
 */
final class BulkWriter {

    private static final String NDJSON = "application/x-ndjson";

    /**
     * The generic client with its default options, which return every answer the transport does not
     * throw for (it throws itself for 401, 403, 429 and 5xx): {@link #post} looks at the status.
     */
    private final OpenSearchGenericClient client;
    private final String path;
    private final long maxBytes;
    private final Retry retry;

    BulkWriter(OpenSearchClient client, String index, long maxBytes, Retry retry) {
        this.client = client.generic();
        this.path = "/" + index + "/_bulk";
        this.maxBytes = maxBytes;
        this.retry = retry;
    }

    /**
     * Indexing ({@code source} the entry's UTF-8 JSON) or deleting ({@code source} null) one entry at a
     * document's version; {@code action} is its bulk action line with the newline. {@code document}
     * names it in errors.
     */
    record Operation(String document, String id, byte[] action, byte[] source) {

        static Operation index(String document, String id, long version, byte[] source) {
            return new Operation(document, id, action("index", id, version), source);
        }

        static Operation delete(String document, String id, long version) {
            return new Operation(document, id, action("delete", id, version), null);
        }

        private static byte[] action(String type, String id, long version) {
            // JSON-P writes the id as a JSON string: quotes, backslashes and control characters escaped
            return ("{\"" + type + "\":{\"_id\":" + Json.createValue(id) + ",\"version\":" + version
                    + ",\"version_type\":\"external_gte\"}}\n").getBytes(StandardCharsets.UTF_8);
        }

        boolean isDelete() {
            return source == null;
        }

        /** Its exact size in the request body. */
        int bytes() {
            return action.length + (source == null ? 0 : source.length + 1);
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
            Answer answer = post(request);
            if (answer.items != null) {
                readItems(request, answer.items, round);
                continue;
            }
            if (!answer.isTransient) {
                throw new IndexWriteException("OpenSearch rejected a bulk write for " + documents(request) + ": "
                        + answer.failure, false, answer.cause);
            }
            // the cluster is not answering: keep the rest for the next round instead of hammering it
            requests.subList(r, requests.size()).forEach(round.retry::addAll);
            round.lastFailure = answer.failure;
            round.lastCause = answer.cause;
            return round;
        }
        return round;
    }

    /** Sends one bulk request: the items of its answer, or why the request as a whole failed. */
    private Answer post(List<Operation> request) {
        try (Response response = client.execute(Requests.create("POST", path, List.of(), Map.of(),
                Body.from(body(request), NDJSON)))) {
            int status = response.getStatus();
            if (status >= 300) {
                return new Answer(null, Failures.isTransientStatus(status), describe(response), null);
            }
            JsonObject json = response.getBody().map(BulkWriter::read).orElse(null);
            JsonArray items = json == null ? null : json.getJsonArray("items");
            if (items == null || items.size() != request.size()) {
                return new Answer(null, false, "the answer holds " + (items == null ? "no" : items.size())
                        + " items for " + request.size() + " operations", null);
            }
            return new Answer(items, false, null, null);
        } catch (IOException | RuntimeException e) {
            return new Answer(null, Failures.isTransient(e), Failures.describe(e), e);
        }
    }

    /** The NDJSON body: each operation's action line, then its source line for an index. */
    private static byte[] body(List<Operation> request) {
        ByteBuffer body = ByteBuffer.allocate(request.stream().mapToInt(Operation::bytes).sum());
        for (Operation operation : request) {
            body.put(operation.action);
            if (!operation.isDelete()) {
                body.put(operation.source).put((byte) '\n');
            }
        }
        return body.array();
    }

    private static JsonObject read(Body body) {
        try (JsonReader reader = Json.createReader(body.body())) {
            return reader.readObject();
        }
    }

    /** An error answer like the typed client described it ("400 type: reason"), else its status line. */
    private static String describe(Response response) {
        try {
            JsonObject error = response.getBody().map(BulkWriter::read).orElseThrow().getJsonObject("error");
            return response.getStatus() + " " + error.getString("type") + ": " + error.getString("reason", null);
        } catch (RuntimeException notAnOpenSearchError) {
            return "status " + response.getStatus() + " " + response.getReason();
        }
    }

    /** Each item is {@code {"index"|"delete": {"status": ..., "error": {...}}}}, in the order of the request. */
    private void readItems(List<Operation> request, JsonArray items, Round round) {
        List<String> rejected = new ArrayList<>();
        Map<String, String> rejectedDocuments = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = items.getJsonObject(i).values().iterator().next().asJsonObject();
            Operation operation = request.get(i);
            int status = item.getInt("status");
            boolean done = status < 300
                    || status == 404 && operation.isDelete() // deleting an entry that is not there
                    || status == 409; // external_gte: a newer version of this entry is already there
            if (done) {
                continue;
            }
            JsonObject error = item.getJsonObject("error");
            String reason = error == null ? "status " + status
                    : status + " " + error.getString("type", null) + ": " + error.getString("reason", null);
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
            if (!current.isEmpty() && bytes + operation.bytes() > maxBytes) {
                requests.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(operation);
            bytes += operation.bytes();
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

    /** A bulk request's answer: its items, or the failure of the whole request. */
    private record Answer(JsonArray items, boolean isTransient, String failure, Exception cause) {
    }

    private static final class Round {
        final List<Operation> retry = new ArrayList<>();
        String lastFailure;
        Exception lastCause;
    }
}
