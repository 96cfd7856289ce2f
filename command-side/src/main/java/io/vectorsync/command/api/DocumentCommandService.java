package io.vectorsync.command.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.store.LogPositions;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.Bodies;
import io.vectorsync.json.JsonInput;
import io.vectorsync.json.PayloadTooLargeException;
import io.vectorsync.json.Json;
import io.vectorsync.json.StrictJsonReader;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The command API under {@code /v1/tenants}: upsert and delete one document, or stream a batch of
 * them as NDJSON with one result line per input line.
 */
public final class DocumentCommandService implements HttpService {

    private static final Set<String> BATCH_FIELDS = Set.of("op", "documentId", "title", "body", "metadata", "source",
            "vectors", "expectedVersion", "reason");

    private final DocumentCommands commands;
    private final long maxRequestBytes;

    /** @param log where each write's last event stands in the log, for its answer's {@code position} */
    public DocumentCommandService(CommandGateway commandGateway, LogPositions log, EmbeddingSpaces spaces,
                                  long maxRequestBytes) {
        this.commands = new DocumentCommands(commandGateway, log, spaces);
        this.maxRequestBytes = maxRequestBytes;
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
        send(res, commands.upsert(tenant, documentId, json, expectedVersion));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String tenant = req.path().pathParameters().get("tenant");
        String documentId = req.path().pathParameters().get("documentId");
        String reason = req.query().first("reason").orElse(null);
        send(res, commands.delete(tenant, documentId, reason));
    }

    private void batch(ServerRequest req, ServerResponse res) throws IOException {
        requireJson(req, "application/x-ndjson");
        String tenant = req.path().pathParameters().get("tenant");
        DocumentIds.requireValidTenant(tenant);
        int lineLimit = (int) Math.min(Integer.MAX_VALUE - 16, maxRequestBytes);
        NdjsonLineReader lines = new NdjsonLineReader(req.content().inputStream(), lineLimit);
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
        try (OutputStream out = res.outputStream()) {
            long number = 0;
            byte[] line;
            while ((line = lines.next()) != null) {
                number++;
                if (NdjsonLineReader.blank(line) && !lines.lastWasTooLong()) {
                    continue;
                }
                JsonObject result = batchLine(tenant, number, line, lines.lastWasTooLong());
                out.write((result.toString() + "\n").getBytes(StandardCharsets.UTF_8));
                if (number % 64 == 0) {
                    out.flush();
                }
            }
        }
    }

    /** One line of a batch: its own command and its own result; a bad line never stops the rest. */
    private JsonObject batchLine(String tenant, long number, byte[] line, boolean tooLong) {
        JsonObjectBuilder result = Json.createObjectBuilder().add("line", number);
        String documentId = null;
        try {
            if (tooLong) {
                throw new PayloadTooLargeException(maxRequestBytes);
            }
            JsonInput json = JsonInput.parse(StrictJsonReader.utf8(line, line.length, "line"), "line")
                    .allowOnly(BATCH_FIELDS);
            documentId = json.requiredString("documentId");
            String op = json.optionalString("op");
            DocumentCommands.Answer answer;
            if (op == null || op.equals("upsert")) {
                JsonInput fields = JsonInput.of(without(json.raw(), "op", "documentId", "reason"), "");
                answer = commands.upsert(tenant, documentId, fields, null);
            } else if (op.equals("delete")) {
                answer = commands.delete(tenant, documentId, json.optionalString("reason"));
            } else {
                throw new InvalidInputException("op", "must be 'upsert' or 'delete'");
            }
            Json.createObjectBuilder(answer.body()).build().forEach(result::add);
            return result.add("status", answer.status()).build();
        } catch (RuntimeException e) {
            Problem problem = Problems.from(e);
            if (documentId != null) {
                result.add("documentId", documentId);
            }
            return result.add("status", problem.status()).add("problem", problem.toJson()).build();
        }
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
