package io.vectorsync.command.api;

import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.domain.VersionConflictException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * A command handler's refusal across a bus that carries only messages: through Axon Server, an exception reaches the
 * sender as a {@link CommandExecutionException} with the message but not the exception, so a 412, 404 or 400 would
 * become a 500. The handler's side ({@link #interceptor()}) names what it was in the exception's details, which Axon
 * serializes with the result; the sender's side ({@link #restore}) builds the same kind of exception again.
 */
public final class CommandFailures {

    private CommandFailures() {
    }

    /** What a refusal was: its kind, its message, and the field or versions it names. */
    public record CommandFailure(String kind, String message, String field, long expectedVersion, long actualVersion) {
    }

    /** For the command bus that hands commands to the aggregate: its refusals leave with their details. */
    public static MessageHandlerInterceptor<CommandMessage<?>> interceptor() {
        return (unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (RuntimeException e) {
                CommandFailure failure = describe(e);
                throw failure == null ? e : new CommandExecutionException(e.getMessage(), e, failure);
            }
        };
    }

    static CommandFailure describe(Throwable e) {
        return switch (e) {
            case InvalidInputException invalid -> new CommandFailure("invalid-input", invalid.getMessage(),
                    invalid.field(), 0, 0);
            case VersionConflictException conflict -> new CommandFailure("version-conflict", conflict.getMessage(),
                    null, conflict.expectedVersion(), conflict.actualVersion());
            case AggregateNotFoundException notFound -> new CommandFailure("not-found", notFound.getMessage(),
                    String.valueOf(notFound.getAggregateIdentifier()), 0, 0);
            case ConcurrencyException concurrent -> new CommandFailure("concurrent-write", concurrent.getMessage(),
                    null, 0, 0);
            case AggregateStreamCreationException created -> new CommandFailure("concurrent-write", created.getMessage(),
                    null, 0, 0);
            case IllegalArgumentException illegal -> new CommandFailure("illegal-argument", illegal.getMessage(),
                    null, 0, 0);
            default -> null;
        };
    }

    /**
     * The handler's exception again when only its details crossed the bus; otherwise {@code failure} as it is (on the
     * local bus the exception itself is there, as the cause).
     */
    public static RuntimeException restore(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (describe(t) != null) {
                return failure; // the exception itself came along
            }
        }
        if (!(failure instanceof CommandExecutionException execution)
                || !(execution.getDetails().orElse(null) instanceof CommandFailure details)) {
            return failure;
        }
        RuntimeException restored = switch (details.kind()) {
            case "invalid-input" -> new InvalidInputException(details.field(),
                    withoutPrefix(details.message(), details.field() + ": "));
            case "version-conflict" -> new VersionConflictException(details.expectedVersion(), details.actualVersion());
            case "not-found" -> new AggregateNotFoundException(details.field(), details.message());
            case "concurrent-write" -> new ConcurrencyException(details.message());
            case "illegal-argument" -> new IllegalArgumentException(details.message());
            default -> null;
        };
        if (restored == null) {
            return failure;
        }
        restored.addSuppressed(failure); // where it came from, for the log
        return restored;
    }

    private static String withoutPrefix(String message, String prefix) {
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
