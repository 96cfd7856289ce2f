package io.vectorsync.command.api;

import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.store.LogPositions;
import io.vectorsync.domain.DeleteDocument;
import io.vectorsync.domain.DeleteOutcome;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.UpsertOutcome;
import io.vectorsync.json.JsonInput;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The write operations behind the HTTP API, shared by single requests and NDJSON batches: parse,
 * send the command, answer with the version and the global position of the last event.
 */
final class DocumentCommands {

    private static final int MAX_ATTEMPTS = 8;

    private final CommandGateway commandGateway;
    private final LogPositions log;
    private final UpsertRequests upsertRequests;

    DocumentCommands(CommandGateway commandGateway, LogPositions log, EmbeddingSpaces spaces) {
        this.commandGateway = commandGateway;
        this.log = log;
        this.upsertRequests = new UpsertRequests(spaces);
    }

    /** An answer: HTTP status and JSON body. */
    record Answer(int status, JsonObject body, long version) {
    }

    Answer upsert(String tenant, String documentId, JsonInput json, Long expectedVersion) {
        DocumentIds.requireValidTenant(tenant);
        DocumentIds.requireValidDocumentId(documentId);
        json.allowOnly(UpsertRequests.FIELDS);
        Long version = expectedVersion != null ? expectedVersion : json.optionalLong("expectedVersion");
        UpsertOutcome outcome = send(upsertRequests.parse(tenant, documentId, json, version));
        int status = outcome.result() == UpsertOutcome.Result.CREATED ? 201 : 200;
        return answer(status, tenant, documentId, outcome.version(), outcome.result().wireName());
    }

    Answer delete(String tenant, String documentId, String reason) {
        DocumentIds.requireValidTenant(tenant);
        DocumentIds.requireValidDocumentId(documentId);
        DeleteOutcome outcome;
        try {
            outcome = send(new DeleteDocument(tenant, documentId, reason));
        } catch (AggregateNotFoundException e) {
            throw ApiException.notFound("document '" + documentId + "' of tenant '" + tenant + "' does not exist");
        }
        return answer(200, tenant, documentId, outcome.version(), outcome.deleted() ? "deleted" : "already_deleted");
    }

    /**
     * Sends a command, again when another write to the same document won the race for its next sequence number
     * (two processes, or two requests, at once): the retry loads the document as that write left it, so an
     * upsert applies on top of it and one with If-Match answers 412 itself.
     */
    private <R> R send(Object command) {
        for (int attempt = 1; ; attempt++) {
            try {
                return commandGateway.sendAndWait(command);
            } catch (RuntimeException sent) {
                RuntimeException e = CommandFailures.restore(sent); // the handler's own exception, through Axon Server too
                if (attempt >= MAX_ATTEMPTS || !lostARace(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(1, 4L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static boolean lostARace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }

    private Answer answer(int status, String tenant, String documentId, long version, String result) {
        long position = log.position(DocumentIds.aggregateId(tenant, documentId), version - 1).orElse(-1);
        JsonObject body = Json.createObjectBuilder()
                .add("tenant", tenant)
                .add("documentId", documentId)
                .add("result", result)
                .add("version", version)
                .add("position", position)
                .build();
        return new Answer(status, body, version);
    }
}
