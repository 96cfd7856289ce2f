package io.vectorsync.command.api;

import io.vectorsync.command.commit.CommandSubmitter;
import io.vectorsync.command.commit.GroupCommitter;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.domain.DeleteDocument;
import io.vectorsync.domain.EraseDocument;
import io.vectorsync.domain.EraseOutcome;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.DeleteOutcome;
import io.vectorsync.domain.DocumentIds;
import io.vectorsync.domain.UpsertDocument;
import io.vectorsync.domain.UpsertOutcome;
import io.vectorsync.json.Json;
import io.vectorsync.json.JsonInput;
import io.vectorsync.store.LogPositions;
import jakarta.json.JsonObject;
import org.axonframework.modelling.command.AggregateNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The write operations behind the HTTP API, shared by single requests and NDJSON batches: parse and validate on the
 * caller's thread, hand the command to the {@link GroupCommitter}, and once it is committed answer with the version
 * and the global position of the document's last event. A batch submits many before it waits for the first, so
 * its lines share transactions; their positions are then read in one query.
 */
final class DocumentCommands {

    private final CommandSubmitter committer;
    private final LogPositions log;
    private final UpsertRequests upsertRequests;

    DocumentCommands(CommandSubmitter committer, LogPositions log, EmbeddingSpaces spaces) {
        this.committer = committer;
        this.log = log;
        this.upsertRequests = new UpsertRequests(spaces);
    }

    /** An answer: HTTP status and JSON body. */
    record Answer(int status, JsonObject body, long version) {
    }

    /** A write handed to the committer: what it was, and its outcome to come. */
    record Submitted(String tenant, String documentId, boolean delete, CompletableFuture<Object> outcome) {
    }

    /**
     * Validates an erasure into its command. An erasure takes no reason: a reason about a person is content, and the
     * erasure's event holds none.
     */
    EraseDocument eraseCommand(String tenant, String documentId, String reason) {
        DocumentIds.requireValidTenant(tenant);
        DocumentIds.requireValidDocumentId(documentId);
        if (reason != null) {
            throw new InvalidInputException("reason", "an erasure records no reason (its event holds no content; the "
                    + "audit log records who erased the document and when)");
        }
        return new EraseDocument(tenant, documentId);
    }

    /** An answer, or the failure that is the answer. */
    record Result(Answer answer, RuntimeException failure) {
    }

    /**
     * Validates an upsert into its command: bad input throws here, before the write waits for anything or is
     * queued.
     */
    UpsertDocument upsertCommand(String tenant, String documentId, JsonInput json, Long expectedVersion) {
        DocumentIds.requireValidTenant(tenant);
        DocumentIds.requireValidDocumentId(documentId);
        json.allowOnly(UpsertRequests.FIELDS);
        Long version = expectedVersion != null ? expectedVersion : json.optionalLong("expectedVersion");
        return upsertRequests.parse(tenant, documentId, json, version);
    }

    /** Validates a delete into its command. */
    DeleteDocument deleteCommand(String tenant, String documentId, String reason) {
        DocumentIds.requireValidTenant(tenant);
        DocumentIds.requireValidDocumentId(documentId);
        return new DeleteDocument(tenant, documentId, reason);
    }

    /** Queues a validated write. */
    Submitted submit(UpsertDocument upsert) {
        return new Submitted(upsert.tenant(), upsert.documentId(), false, committer.submit(upsert));
    }

    Submitted submit(DeleteDocument delete) {
        return new Submitted(delete.tenant(), delete.documentId(), true, committer.submit(delete));
    }

    Submitted submit(EraseDocument erase) {
        return new Submitted(erase.tenant(), erase.documentId(), true, committer.submit(erase));
    }

    /** Waits for each write in order and answers them all, reading their positions in one query. */
    List<Result> answers(List<Submitted> writes) {
        List<Object> outcomes = new ArrayList<>(writes.size());
        List<Map.Entry<String, Long>> events = new ArrayList<>();
        for (Submitted write : writes) {
            Object outcome;
            try {
                outcome = write.outcome().join();
            } catch (CompletionException e) {
                // the handler's own exception, also where only its details crossed the bus (Axon Server)
                outcome = e.getCause() instanceof RuntimeException runtime ? CommandFailures.restore(runtime) : e;
            }
            outcomes.add(outcome);
            long version = switch (outcome) {
                case UpsertOutcome upsert -> upsert.version();
                case DeleteOutcome delete -> delete.version();
                case EraseOutcome erase -> erase.version();
                default -> 0;
            };
            if (version > 0) {
                events.add(Map.entry(DocumentIds.aggregateId(write.tenant(), write.documentId()), version - 1));
            }
        }
        Map<Map.Entry<String, Long>, Long> positions = events.isEmpty() ? Map.of() : log.positions(events);
        List<Result> results = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            results.add(result(writes.get(i), outcomes.get(i), positions));
        }
        return results;
    }

    /** Waits for one write and answers it, or throws its failure. */
    Answer single(Submitted write) {
        Result result = answers(List.of(write)).getFirst();
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.answer();
    }

    private Result result(Submitted write, Object outcome, Map<Map.Entry<String, Long>, Long> positions) {
        String id = DocumentIds.aggregateId(write.tenant(), write.documentId());
        return switch (outcome) {
            case UpsertOutcome upsert -> new Result(answer(upsert.result() == UpsertOutcome.Result.CREATED ? 201 : 200,
                    write, upsert.version(), upsert.result().wireName(),
                    positions.getOrDefault(Map.entry(id, upsert.version() - 1), -1L)), null);
            case DeleteOutcome delete -> new Result(answer(200, write, delete.version(),
                    delete.deleted() ? "deleted" : "already_deleted",
                    positions.getOrDefault(Map.entry(id, delete.version() - 1), -1L)), null);
            case EraseOutcome erase -> new Result(answer(200, write, erase.version(),
                    erase.erased() ? "erased" : "already_erased",
                    positions.getOrDefault(Map.entry(id, erase.version() - 1), -1L)), null);
            case AggregateNotFoundException notFound when write.delete() -> new Result(null, ApiException.notFound(
                    "document '" + write.documentId() + "' of tenant '" + write.tenant() + "' does not exist"));
            case RuntimeException failure -> new Result(null, failure);
            default -> new Result(null, new IllegalStateException("unexpected outcome " + outcome));
        };
    }

    private static Answer answer(int status, Submitted write, long version, String result, long position) {
        JsonObject body = Json.createObjectBuilder()
                .add("tenant", write.tenant())
                .add("documentId", write.documentId())
                .add("result", result)
                .add("version", version)
                .add("position", position)
                .build();
        return new Answer(status, body, version);
    }
}
