package io.vectorsync.command.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.command.commit.CommandSubmitter;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.store.LogPositions;
import io.vectorsync.domain.DeleteDocument;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.EraseDocument;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.UpsertDocument;
import io.vectorsync.json.Bodies;
import io.vectorsync.json.JsonInput;
import io.vectorsync.json.PayloadTooLargeException;
import io.vectorsync.json.Json;
import io.vectorsync.json.StrictJsonReader;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command API under {@code /v1/tenants}: upsert and delete one document, or stream a batch of
 * them as NDJSON with one result line per input line.
 */
public final class DocumentCommandService implements HttpService {

    private static final Set<String> BATCH_FIELDS = Set.of("op", "documentId", "title", "body", "metadata", "source",
            "vectors", "expectedVersion", "reason");

    /**
     * Lines of a batch read before their writes are waited for: enough to fill a few commit groups, few enough to
     * bound memory. Two windows are in flight: one commits while the next is read and parsed.
     */
    private static final int WINDOW = 512;

    private final DocumentCommands commands;
    private final long maxRequestBytes;
    private final long maxBatchBytes;
    private final WriteGate gate;
    private final ErasureProgress erasures;

    /** How long {@code DELETE …?erase=true&wait=true} waits for every copy to go before it answers 202. */
    public static final Duration ERASURE_PATIENCE = Duration.ofSeconds(120);

    /**
     * @param commands what runs the writes: the group committer on a JDBC store, Axon's gateway with Axon Server
     * @param log      where each write's last event stands in the log, for its answer's {@code position}
     */
    public DocumentCommandService(CommandSubmitter commands, LogPositions log, EmbeddingSpaces spaces,
                                  long maxRequestBytes, long maxBatchBytes) {
        this(commands, log, spaces, maxRequestBytes, maxBatchBytes, WriteGate.OPEN, ErasureProgress.NONE);
    }

    /** With {@code gate} passed by every write once its request is found acceptable, before it reaches the store. */
    public DocumentCommandService(CommandSubmitter commands, LogPositions log, EmbeddingSpaces spaces,
                                  long maxRequestBytes, long maxBatchBytes, WriteGate gate, ErasureProgress erasures) {
        this.commands = new DocumentCommands(commands, log, spaces);
        this.erasures = erasures;
        this.maxRequestBytes = maxRequestBytes;
        this.maxBatchBytes = maxBatchBytes;
        this.gate = gate;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/{tenant}/documents/{documentId}", this::upsert)
                .delete("/{tenant}/documents/{documentId}", this::delete)
                .post("/{tenant}/documents:batch", this::batch);
    }

    private void upsert(ServerRequest req, ServerResponse res) {
        requireJson(req, "application/json");
        String tenant = req.path().pathParameters().get("tenant");
        String documentId = req.path().pathParameters().get("documentId");
        Long expectedVersion = req.headers().value(HeaderNames.IF_MATCH).map(DocumentCommandService::version).orElse(null);
        JsonInput json = JsonInput.parse(Bodies.readAll(req.content().inputStream(), maxRequestBytes), "body");
        UpsertDocument upsert = commands.upsertCommand(tenant, documentId, json, expectedVersion);
        gate.await(); // a bad request has had its own 4xx
        send(res, commands.single(commands.submit(upsert)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        String documentId = req.path().pathParameters().get("documentId");
        boolean erase = flag(req, "erase");
        boolean wait = flag(req, "wait");
        if (wait && !erase) {
            throw new InvalidInputException("wait", "only an erasure (erase=true) waits; a delete answers once it is "
                    + "stored");
        }
        String reason = req.query().first("reason").orElse(null);
        if (!erase) {
            DeleteDocument delete = commands.deleteCommand(tenant, documentId, reason);
            gate.await();
            send(res, commands.single(commands.submit(delete)));
            return;
        }
        EraseDocument erasure = commands.eraseCommand(tenant, documentId, reason);
        gate.await();
        DocumentCommands.Answer answer = commands.single(commands.submit(erasure));
        long position = answer.body().getJsonNumber("position").longValue();
        boolean complete = erasures.awaitComplete(position, wait ? ERASURE_PATIENCE : Duration.ZERO);
        JsonObjectBuilder body = Json.createObjectBuilder(answer.body()).add("complete", complete);
        // waited in vain: recorded, its keys destroyed, its other copies still going; the same call waits again
        send(res, new DocumentCommands.Answer(wait && !complete ? 202 : answer.status(), body.build(), answer.version()));
    }

    /** A query flag: absent or {@code false}, or {@code true}; anything else is a 400. */
    private static boolean flag(ServerRequest req, String name) {
        Optional<String> value = req.query().first(name).asOptional();
        if (value.isEmpty() || value.get().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.get().equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidInputException(name, "must be true or false; got '" + value.get() + "'");
    }

    /**
     * An NDJSON batch. Lines are validated as they are read and handed to the group committer as they come, so they
     * share transactions; the handler waits for a window's writes only once the next window has been read. Each
     * line's result (small) is kept until the whole body has been read, and only then is the answer written, as
     * Elasticsearch's {@code _bulk} does: a client that sends the whole body before it reads anything cannot deadlock
     * with a server blocked writing results it does not read.
     */
    private void batch(ServerRequest req, ServerResponse res) throws IOException {
        requireJson(req, "application/x-ndjson");
        String tenant = req.path().pathParameters().get("tenant");
        DocumentIds.requireValidTenant(tenant);
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBatchBytes) {
            throw new ApiException(Problem.of(413, "payload-too-large", "Payload too large", "the batch is " + declared
                    + " bytes; the limit is " + maxBatchBytes + " (vectorsync.max-batch-bytes): send it as several batches",
                    null));
        }
        gate.await(); // before the body is read: a batch waits once, as a whole
        int lineLimit = (int) Math.min(Integer.MAX_VALUE - 16, maxRequestBytes);
        LimitedInputStream body = new LimitedInputStream(req.content().inputStream(), maxBatchBytes);
        NdjsonLineReader lines = new NdjsonLineReader(body, lineLimit);
        ByteArrayOutputStream results = new ByteArrayOutputStream();
        List<Line> window = new ArrayList<>(WINDOW);
        List<Line> committing = new ArrayList<>(WINDOW); // the window before, committing while this one is read
        long number = 0;
        byte[] line;
        while ((line = lines.next()) != null) {
            number++;
            if (body.passedLimit() && lines.lastWasUnterminated()) {
                number--; // cut off by the limit: never applied half
                break;
            }
            if (NdjsonLineReader.blank(line) && !lines.lastWasTooLong()) {
                continue;
            }
            window.add(batchLine(tenant, number, line, lines.lastWasTooLong()));
            if (window.size() == WINDOW) {
                settle(committing, results);
                List<Line> read = window;
                window = committing;
                committing = read;
            }
        }
        settle(committing, results);
        settle(window, results);
        if (body.passedLimit()) {
            // a body without a length (chunked) that grew past the limit: what came before is applied and answered
            Problem problem = Problem.of(413, "payload-too-large", "Payload too large", "the batch passed the limit of "
                    + maxBatchBytes + " bytes (vectorsync.max-batch-bytes) at line " + (number + 1) + "; that line and every "
                    + "later one were not read: send them as another batch", null);
            results.writeBytes((Json.createObjectBuilder().add("line", number + 1).add("status", 413)
                    .add("problem", problem.toJson()).build().toString() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
        res.send(results.toByteArray());
    }

    /** One line of a batch: submitted, or already failed (bad input never reaches the committer). */
    private record Line(long number, String documentId, DocumentCommands.Submitted submitted, RuntimeException failure) {
    }

    private Line batchLine(String tenant, long number, byte[] line, boolean tooLong) {
        String documentId = null;
        try {
            if (tooLong) {
                throw new PayloadTooLargeException(maxRequestBytes);
            }
            JsonInput json = JsonInput.parse(StrictJsonReader.utf8(line, line.length, "line"), "line")
                    .allowOnly(BATCH_FIELDS);
            documentId = json.requiredString("documentId");
            String op = json.optionalString("op");
            if (op == null || op.equals("upsert")) {
                JsonInput fields = JsonInput.of(without(json.raw(), "op", "documentId", "reason"), "");
                return new Line(number, documentId, commands.submit(commands.upsertCommand(tenant, documentId, fields, null)), null);
            }
            if (op.equals("delete")) {
                return new Line(number, documentId, commands.submit(commands.deleteCommand(tenant, documentId,
                        json.optionalString("reason"))), null);
            }
            if (op.equals("erase")) {
                return new Line(number, documentId, commands.submit(commands.eraseCommand(tenant, documentId,
                        json.optionalString("reason"))), null);
            }
            throw new InvalidInputException("op", "must be 'upsert', 'delete' or 'erase'");
        } catch (RuntimeException e) {
            return new Line(number, documentId, null, e);
        }
    }

    /** Waits for the window's writes, appends one result line each, in input order, and empties the window. */
    private void settle(List<Line> window, ByteArrayOutputStream results) {
        List<DocumentCommands.Submitted> submitted = window.stream().map(Line::submitted)
                .filter(java.util.Objects::nonNull).toList();
        java.util.Iterator<DocumentCommands.Result> answers = commands.answers(submitted).iterator();
        for (Line line : window) {
            JsonObjectBuilder result = Json.createObjectBuilder().add("line", line.number());
            RuntimeException failure = line.failure();
            if (line.submitted() != null) {
                DocumentCommands.Result answer = answers.next();
                if (answer.failure() == null) {
                    answer.answer().body().forEach(result::add);
                    result.add("status", answer.answer().status());
                } else {
                    failure = answer.failure();
                }
            }
            if (failure != null) {
                Problem problem = Problems.from(failure);
                if (line.documentId() != null) {
                    result.add("documentId", line.documentId());
                }
                result.add("status", problem.status()).add("problem", problem.toJson());
            }
            results.writeBytes((result.build().toString() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        window.clear();
    }

    private static JsonObject without(JsonObject object, String... names) {
        JsonObjectBuilder builder = Json.createObjectBuilder(object);
        for (String name : names) {
            builder.remove(name);
        }
        return builder.build();
    }

    private static void send(ServerResponse res, DocumentCommands.Answer answer) {
        res.status(Status.create(answer.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.ETAG, "\"" + answer.version() + "\"");
        res.send(answer.body().toString());
    }

    private static void requireJson(ServerRequest req, String expected) {
        Bodies.requireMediaType(req.headers().contentType().map(type -> type.mediaType().text()).orElse(null), expected);
    }

    /** If-Match carries the version as an ETag ("3") or a bare number. */
    private static Long version(String ifMatch) {
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version < 0) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("If-Match", "must be a document version such as \"3\"");
        }
    }
}
