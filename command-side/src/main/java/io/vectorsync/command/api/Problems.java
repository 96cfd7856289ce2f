package io.vectorsync.command.api;

import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.VersionConflictException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.json.ReportedProblem;
import io.vectorsync.store.StoreFailures;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become HTTP problems, and the one way a problem is sent. A module's own exceptions
 * say how they are reported ({@link ReportedProblem}); the framework's are mapped here. Bad input is a 4xx naming
 * the field; anything unexpected is a 500 with an incident id that is also in the log, never a stack trace.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** Registers the mapping as the routing's error handler: every failure a route throws is answered with it. */
    public static HttpRouting.Builder register(HttpRouting.Builder routing) {
        return routing.error(Throwable.class, (req, res, failure) -> send(res, from(failure)));
    }

    /**
     * Answers with {@code problem}: its status, problem+json, and the headers its status calls for — a challenge
     * for a 401 (unless one is set already), {@code Retry-After} for a 429 or a 503.
     */
    public static void send(ServerResponse res, Problem problem) {
        if (problem.status() == 401 && !res.headers().contains(HeaderNames.WWW_AUTHENTICATE)) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vectorsync\"");
        }
        if (problem.status() == 429 || problem.status() == 503) {
            long seconds = problem.retryAfterSeconds() > 0 ? problem.retryAfterSeconds()
                    : problem.status() == 429 ? 1 : 2;
            res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
        }
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        res.send(problem.toJson().toString());
    }

    public static Problem from(Throwable failure) {
        Throwable t = unwrap(failure instanceof RuntimeException runtime ? CommandFailures.restore(runtime) : failure);
        if (t instanceof ApiException api) {
            return api.problem();
        }
        if (t instanceof ReportedProblem reported) {
            return Problem.of(reported.status(), reported.slug(), reported.title(), reported.detail(), reported.field())
                    .retryAfter(reported.retryAfterSeconds());
        }
        if (t instanceof InvalidInputException invalid) {
            return Problem.of(400, "invalid-input", "Invalid input", invalid.getMessage(), invalid.field());
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
