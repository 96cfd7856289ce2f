package io.vectorsync.command.api;

import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.VersionConflictException;
import io.vectorsync.json.PayloadTooLargeException;
import io.vectorsync.json.UnsupportedMediaTypeException;
import io.vectorsync.store.StoreFailures;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where exceptions become HTTP problems. Bad input is a 4xx naming the field;
 * anything unexpected is a 500 with an incident id that is also in the log, never a stack trace.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    public static Problem from(Throwable failure) {
        Throwable t = unwrap(failure instanceof RuntimeException runtime ? CommandFailures.restore(runtime) : failure);
        if (t instanceof ApiException api) {
            return api.problem();
        }
        if (t instanceof InvalidInputException invalid) {
            return Problem.of(400, "invalid-input", "Invalid input", invalid.getMessage(), invalid.field());
        }
        if (t instanceof PayloadTooLargeException tooLarge) {
            return Problem.of(413, "payload-too-large", "Payload too large", tooLarge.getMessage(), null);
        }
        if (t instanceof UnsupportedMediaTypeException unsupported) {
            return Problem.of(415, "unsupported-media-type", "Unsupported media type", unsupported.getMessage(), null);
        }
        if (t instanceof VersionConflictException conflict) {
            return Problem.of(412, "version-conflict", "Version conflict", conflict.getMessage(), "If-Match");
        }
        if (t instanceof AggregateNotFoundException) {
            return Problem.of(404, "not-found", "Not found", "the document does not exist", null);
        }
        if (t instanceof ConcurrencyException || t instanceof org.axonframework.modelling.command.AggregateStreamCreationException) {
            return Problem.of(409, "concurrent-write", "Concurrent write",
                    "another write to this document happened at the same time; retry", null);
        }
        if (t instanceof io.helidon.http.NotFoundException notFound) {
            return Problem.of(404, "not-found", "Not found", notFound.getMessage(), null);
        }
        if (t instanceof io.helidon.http.RequestException request && request.status().code() < 500) {
            return Problem.of(request.status().code(), "bad-request", request.status().reasonPhrase(),
                    request.getMessage(), null);
        }
        if (t instanceof IllegalArgumentException illegal) {
            return Problem.of(400, "invalid-input", "Invalid input", illegal.getMessage(), null);
        }
        if (t instanceof io.vectorsync.command.commit.GroupCommitter.Overloaded overloaded) {
            return Problem.of(429, "overloaded", "Too many writes", overloaded.getMessage(), null);
        }
        if (t instanceof WriteGate.Closed closed) {
            return Problem.of(429, "overloaded", "Too many writes", closed.getMessage(), null);
        }
        if (t instanceof io.vectorsync.command.commit.GroupCommitter.StoreUnavailable || StoreFailures.unreachable(failure)) {
            LOG.warning(() -> "The store is unreachable: " + failure);
            return Problem.of(503, "store-unavailable", "Store unavailable",
                    "the event store cannot be reached; nothing was written — retry shortly", null);
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Unexpected failure, incident " + incident, failure);
        return Problem.of(500, "internal-error", "Internal error",
                "the request failed unexpectedly; incident " + incident + " is in the server log", null);
    }

    /** Axon wraps handler exceptions when they cross a bus; the cause is what the caller needs. */
    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CommandExecutionException || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
