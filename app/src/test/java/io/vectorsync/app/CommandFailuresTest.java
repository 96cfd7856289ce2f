package io.vectorsync.app;

import io.vectorsync.command.api.CommandFailures;
import io.vectorsync.command.api.CommandFailures.CommandFailure;
import io.vectorsync.command.api.Problem;
import io.vectorsync.command.api.Problems;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.VersionConflictException;
import io.vectorsync.upcasters.JsonbSerializer;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A handler's refusal as it crosses Axon Server: only the message and the serialized details arrive, and the sender
 * answers the same problem as on the local bus.
 */
class CommandFailuresTest {

    private final Serializer serializer = JsonbSerializer.create();

    @Test
    void aVersionConflictStaysA412() {
        RuntimeException arrived = acrossAxonServer(new VersionConflictException(3, 5));
        assertThat(CommandFailures.restore(arrived)).isInstanceOfSatisfying(VersionConflictException.class, conflict -> {
            assertThat(conflict.expectedVersion()).isEqualTo(3);
            assertThat(conflict.actualVersion()).isEqualTo(5);
        });
        assertThat(Problems.from(arrived).status()).isEqualTo(412);
    }

    @Test
    void invalidInputStaysA400NamingItsField() {
        RuntimeException arrived = acrossAxonServer(new InvalidInputException("title", "must be at most 10 characters"));
        assertThat(CommandFailures.restore(arrived)).isInstanceOfSatisfying(InvalidInputException.class, invalid -> {
            assertThat(invalid.field()).isEqualTo("title");
            assertThat(invalid.getMessage()).isEqualTo("title: must be at most 10 characters");
        });
        Problem problem = Problems.from(arrived);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("title");
    }

    @Test
    void aMissingDocumentStaysA404AndALostRaceA409() {
        assertThat(CommandFailures.restore(acrossAxonServer(new AggregateNotFoundException("acme/x", "no acme/x"))))
                .isInstanceOf(AggregateNotFoundException.class);
        assertThat(Problems.from(acrossAxonServer(new AggregateNotFoundException("acme/x", "no acme/x"))).status())
                .isEqualTo(404);
        assertThat(CommandFailures.restore(acrossAxonServer(new ConcurrencyException("sequence 3 is taken"))))
                .isInstanceOf(ConcurrencyException.class);
    }

    @Test
    void onTheLocalBusTheExceptionItselfWinsAndOthersPassAsTheyAre() throws Exception {
        VersionConflictException conflict = new VersionConflictException(1, 2);
        RuntimeException local = handled(conflict);
        assertThat(local).isInstanceOf(CommandExecutionException.class).hasCause(conflict);
        assertThat(CommandFailures.restore(local)).isSameAs(local);
        assertThat(Problems.from(local).status()).isEqualTo(412);

        IllegalStateException unexpected = new IllegalStateException("disk full");
        assertThat(handled(unexpected)).isSameAs(unexpected);
        CommandExecutionException bare = new CommandExecutionException("disk full", null);
        assertThat(CommandFailures.restore(bare)).isSameAs(bare);
    }

    /** What the interceptor throws on the handler's side. */
    private static RuntimeException handled(RuntimeException refusal) throws Exception {
        return catchThrowableOfType(RuntimeException.class, () -> CommandFailures.interceptor().handle(null, () -> {
            throw refusal;
        }));
    }

    /** What the sender gets through Axon Server: the message and the details, deserialized; not the exception. */
    private RuntimeException acrossAxonServer(RuntimeException refusal) {
        try {
            CommandExecutionException thrown = (CommandExecutionException) handled(refusal);
            SerializedObject<byte[]> details = serializer.serialize(thrown.getDetails().orElseThrow(), byte[].class);
            Object read = serializer.deserialize(details);
            assertThat(read).isInstanceOf(CommandFailure.class);
            return new CommandExecutionException(thrown.getMessage(), new RuntimeException("remote handler failed"), read);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
