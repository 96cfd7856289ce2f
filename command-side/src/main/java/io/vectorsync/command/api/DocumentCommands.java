package io.vectorsync.command.api;

import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.domain.DeleteDocument;
import io.vectorsync.domain.DeleteOutcome;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.UpsertOutcome;
import io.vectorsync.json.JsonInput;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;

/**
 * The write operations behind the HTTP API, shared by single requests and NDJSON batches: parse,
 * send the command, answer with the version and the global position of the last event.
 */
final class DocumentCommands {

    private final CommandGateway commandGateway;
    private final EventStoreDatabase database;
    private final UpsertRequests upsertRequests;

    DocumentCommands(CommandGateway commandGateway, EventStoreDatabase database, EmbeddingSpaces spaces) {
        this.commandGateway = commandGateway;
        this.database = database;
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
        UpsertOutcome outcome = commandGateway.sendAndWait(upsertRequests.parse(tenant, documentId, json, version));
        int status = outcome.result() == UpsertOutcome.Result.CREATED ? 201 : 200;
        return answer(status, tenant, documentId, outcome.version(), outcome.result().wireName());
    }

    Answer delete(String tenant, String documentId, String reason) {
        DocumentIds.requireValidTenant(tenant);
        DocumentIds.requireValidDocumentId(documentId);
        DeleteOutcome outcome;
        try {
            outcome = commandGateway.sendAndWait(new DeleteDocument(tenant, documentId, reason));
        } catch (AggregateNotFoundException e) {
            throw ApiException.notFound("document '" + documentId + "' of tenant '" + tenant + "' does not exist");
        }
        return answer(200, tenant, documentId, outcome.version(), outcome.deleted() ? "deleted" : "already_deleted");
    }

    private Answer answer(int status, String tenant, String documentId, long version, String result) {
        long position = database.position(DocumentIds.aggregateId(tenant, documentId), version - 1).orElse(-1);
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
