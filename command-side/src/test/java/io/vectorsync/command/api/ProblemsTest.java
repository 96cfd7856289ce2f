package io.vectorsync.command.api;

import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.vectorsync.command.commit.CommitFailures;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.VersionConflictException;
import io.vectorsync.json.PayloadTooLargeException;
import io.vectorsync.json.UnsupportedMediaTypeException;
import jakarta.json.JsonObject;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure the API knows becomes its problem; wrapped ones are unwrapped; anything else is a 500 that leaks nothing. */
class ProblemsTest {

    private static final String BASE = "https://vectorsync.dev/problems/";
    private static final Logger PROBLEMS_LOG = Logger.getLogger(Problems.class.getName());
    private static Level level;

    @BeforeAll
    static void quiet() {
        level = PROBLEMS_LOG.getLevel();
        PROBLEMS_LOG.setLevel(Level.OFF); // the 500s and 503s below are logged; they are expected here
    }

    @AfterAll
    static void loud() {
        PROBLEMS_LOG.setLevel(level);
    }

    @Test
    void badInputIs400NamingTheField() {
        Problem problem = Problems.from(new InvalidInputException("metadata.lang", "must be a string"));

        assertThat(problem).extracting(Problem::status, Problem::type, Problem::title, Problem::detail, Problem::field)
                .containsExactly(400, BASE + "invalid-input", "Invalid input", "metadata.lang: must be a string",
                        "metadata.lang");
        assertThat(Problems.from(new IllegalArgumentException("no such thing")))
                .extracting(Problem::status, Problem::type, Problem::field)
                .containsExactly(400, BASE + "invalid-input", null);
    }

    @Test
    void sizesAndMediaTypesAre413And415() {
        assertThat(Problems.from(new PayloadTooLargeException(1024)))
                .extracting(Problem::status, Problem::type, Problem::detail)
                .containsExactly(413, BASE + "payload-too-large", "the request body exceeds 1024 bytes");
        assertThat(Problems.from(new UnsupportedMediaTypeException("application/json", "text/plain")))
                .extracting(Problem::status, Problem::type)
                .containsExactly(415, BASE + "unsupported-media-type");
    }

    @Test
    void aVersionConflictIs412PointingAtIfMatch() {
        Problem problem = Problems.from(new VersionConflictException(2, 5));

        assertThat(problem.status()).isEqualTo(412);
        assertThat(problem.type()).isEqualTo(BASE + "version-conflict");
        assertThat(problem.field()).isEqualTo("If-Match");
        assertThat(problem.detail()).contains("2").contains("5");
    }

    @Test
    void aMissingDocumentIs404AndALostRaceIs409() {
        assertThat(Problems.from(new AggregateNotFoundException("acme/x", "no acme/x")))
                .extracting(Problem::status, Problem::type).containsExactly(404, BASE + "not-found");
        assertThat(Problems.from(new io.helidon.http.NotFoundException("no route")))
                .extracting(Problem::status, Problem::detail).containsExactly(404, "no route");
        assertThat(Problems.from(new ConcurrencyException("sequence 3 taken")))
                .extracting(Problem::status, Problem::type).containsExactly(409, BASE + "concurrent-write");
        assertThat(Problems.from(new AggregateStreamCreationException("acme/x exists")))
                .extracting(Problem::status, Problem::type).containsExactly(409, BASE + "concurrent-write");
    }

    @Test
    void anApiExceptionIsItsOwnProblem() {
        assertThat(Problems.from(ApiException.conflict("the index is rebuilding")))
                .extracting(Problem::status, Problem::type, Problem::title, Problem::detail, Problem::field)
                .containsExactly(409, BASE + "conflict", "Conflict", "the index is rebuilding", null);
        assertThat(Problems.from(ApiException.forbidden("read only")).status()).isEqualTo(403);
        assertThat(Problems.from(ApiException.unauthorized("no key")).status()).isEqualTo(401);
        assertThat(Problems.from(ApiException.unavailable("later")).status()).isEqualTo(503);
    }

    @Test
    void aFullQueueAndAClosedGateAre429() {
        assertThat(Problems.from(CommitFailures.overloaded(10_000)))
                .extracting(Problem::status, Problem::type).containsExactly(429, BASE + "overloaded");
        assertThat(Problems.from(new WriteGate.Closed("the index is 900 events behind", 3)))
                .extracting(Problem::status, Problem::type, Problem::detail)
                .containsExactly(429, BASE + "overloaded", "the index is 900 events behind");
    }

    @Test
    void anUnreachableStoreIs503SayingNothingWasWritten() {
        SQLTransientConnectionException poolGaveUp = new SQLTransientConnectionException("connection not available");
        Problem fromCommitter = Problems.from(CommitFailures.storeUnavailable(poolGaveUp));
        Problem fromTheDriver = Problems.from(new JdbcException("append failed", poolGaveUp));
        Problem refused = Problems.from(new JdbcException("append failed", new SQLException("refused", "08001")));

        for (Problem problem : new Problem[] {fromCommitter, fromTheDriver, refused}) {
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.type()).isEqualTo(BASE + "store-unavailable");
            assertThat(problem.detail()).contains("nothing was written");
        }
        // a store failure that does not say the store is away is not an outage
        assertThat(Problems.from(new JdbcException("bad SQL", new SQLException("syntax", "42000"))).status())
                .isEqualTo(500);
    }

    @Test
    void aHelidonClientErrorKeepsItsStatusAndAServerErrorIsA500() {
        Problem badRequest = Problems.from(RequestException.builder().message("bad header").status(Status.BAD_REQUEST_400)
                .build());
        assertThat(badRequest).extracting(Problem::status, Problem::type, Problem::title, Problem::detail)
                .containsExactly(400, BASE + "bad-request", "Bad Request", "bad header");
        assertThat(Problems.from(RequestException.builder().message("boom").status(Status.INTERNAL_SERVER_ERROR_500)
                .build()).status()).isEqualTo(500);
    }

    @Test
    void failuresWrappedOnTheirWayAreAnsweredByTheirCause() {
        VersionConflictException conflict = new VersionConflictException(1, 2);

        assertThat(Problems.from(new CompletionException(new CommandExecutionException("handler failed", conflict)))
                .status()).isEqualTo(412);
        assertThat(Problems.from(new ExecutionException(new InvalidInputException("body", "is required"))))
                .extracting(Problem::status, Problem::field).containsExactly(400, "body");
        // through Axon Server only the details arrive; they are enough
        CommandExecutionException detailsOnly = new CommandExecutionException("expected version 1 ...", null,
                new CommandFailures.CommandFailure("version-conflict", "expected version 1 ...", null, 1, 2));
        assertThat(Problems.from(detailsOnly).status()).isEqualTo(412);
    }

    @Test
    void anythingElseIsA500WithAnIncidentIdAndNoInternals() {
        Problem problem = Problems.from(new NullPointerException("secret.internal.State was null"));

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.type()).isEqualTo(BASE + "internal-error");
        assertThat(problem.detail()).doesNotContain("secret").containsPattern("incident [0-9a-f-]{36} ");
        assertThat(Problems.from(new IllegalStateException("x")).detail()).isNotEqualTo(problem.detail());
    }

    @Test
    void theJsonCarriesDetailAndFieldOnlyWhenThereAreSome() {
        JsonObject full = Problem.of(400, "invalid-input", "Invalid input", "title: too long", "title").toJson();
        JsonObject bare = Problem.of(404, "not-found", "Not found", null, null).toJson();

        assertThat(full.getString("type")).isEqualTo(BASE + "invalid-input");
        assertThat(full.getString("title")).isEqualTo("Invalid input");
        assertThat(full.getInt("status")).isEqualTo(400);
        assertThat(full.getString("detail")).isEqualTo("title: too long");
        assertThat(full.getString("field")).isEqualTo("title");
        assertThat(bare.keySet()).containsExactlyInAnyOrder("type", "title", "status");
    }
}
