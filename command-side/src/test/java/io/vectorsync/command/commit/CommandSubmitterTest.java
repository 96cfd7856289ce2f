package io.vectorsync.command.commit;

import io.vectorsync.command.api.CommandFailures;
import io.vectorsync.command.api.Problem;
import io.vectorsync.command.api.Problems;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.VersionConflictException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The direct submitter (Axon Server mode) over Axon's real gateway and bus: results come back, and a handler's
 * refusal reaches the caller as itself (not a CompletionException), so the API answers its own status.
 */
class CommandSubmitterTest {

    record Echo(String text) {
    }

    record Stale(long expected) {
    }

    record Bad(String field) {
    }

    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final CommandSubmitter submitter;

    CommandSubmitterTest() {
        bus.subscribe(Echo.class.getName(), message -> ((Echo) message.getPayload()).text());
        bus.subscribe(Stale.class.getName(), message -> {
            throw new VersionConflictException(((Stale) message.getPayload()).expected(), 7);
        });
        bus.subscribe(Bad.class.getName(), message -> {
            throw new InvalidInputException(((Bad) message.getPayload()).field(), "is required");
        });
        submitter = CommandSubmitter.direct(DefaultCommandGateway.builder().commandBus(bus).build());
    }

    @Test
    void aResultComesBack() {
        assertThat(submitter.<String>send(new Echo("hello"))).isEqualTo("hello");
        assertThat(submitter.<String>submit(new Echo("later")).join()).isEqualTo("later");
    }

    @Test
    void aRefusalIsThrownAsItselfAndAnsweredWithItsStatus() {
        Throwable stale = catchThrowable(() -> submitter.send(new Stale(3)));

        assertThat(stale).isNotInstanceOf(CompletionException.class)
                .isInstanceOfSatisfying(VersionConflictException.class, e -> assertThat(e.actualVersion()).isEqualTo(7));
        assertThat(Problems.from(stale).status()).isEqualTo(412);
    }

    @Test
    void withTheFailureInterceptorARefusalCarriesItsDetailsAndKeepsItsStatus() {
        bus.registerHandlerInterceptor(CommandFailures.interceptor());

        Throwable bad = catchThrowable(() -> submitter.send(new Bad("title")));

        assertThat(bad).isInstanceOfSatisfying(CommandExecutionException.class, e ->
                assertThat(e.getDetails()).hasValueSatisfying(details ->
                        assertThat(details).isEqualTo(new CommandFailures.CommandFailure("invalid-input",
                                "title: is required", "title", 0, 0))));
        Problem problem = Problems.from(bad);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("title");
        // what arrives through Axon Server: the message and the details, not the exception
        CommandExecutionException detailsOnly = new CommandExecutionException(bad.getMessage(), null,
                ((CommandExecutionException) bad).getDetails().orElseThrow());
        assertThat(CommandFailures.restore(detailsOnly)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo("title");
            assertThat(e.getMessage()).isEqualTo("title: is required");
        });
    }
}
