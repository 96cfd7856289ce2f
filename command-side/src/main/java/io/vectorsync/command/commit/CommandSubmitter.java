package io.vectorsync.command.commit;

import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What runs the command API's writes: the {@link GroupCommitter} on a JDBC store; Axon's gateway as it is when
 * commands go to Axon Server (which routes each to the node that handles it, so there is no local transaction to
 * share). Either way the answer completes once the write is stored, or with the failure.
 */
public interface CommandSubmitter extends AutoCloseable {

    <R> CompletableFuture<R> submit(Object command);

    /** Submits and waits; a failure is thrown as it came. */
    default <R> R send(Object command) {
        try {
            return this.<R>submit(command).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    @Override
    void close();

    /** Each command through the gateway on its own, as Axon Server mode needs. */
    static CommandSubmitter direct(CommandGateway gateway) {
        return new CommandSubmitter() {
            @Override
            public <R> CompletableFuture<R> submit(Object command) {
                return gateway.send(command);
            }

            @Override
            public void close() {
                // nothing queued here: the gateway answers each caller itself
            }
        };
    }
}
