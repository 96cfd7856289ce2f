package io.vectorsync.store;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

/**
 * A processing group's dead-letter queue (kept in the store) and what retries its letters (the group's
 * dead-lettering invoker): what the admin API lists and retries, for the groups Axon's configuration builds and
 * for those built at run time (the processors feeding index versions).
 */
public record DeadLetters(SequencedDeadLetterQueue<EventMessage<?>> queue,
                          SequencedDeadLetterProcessor<EventMessage<?>> processor) {

    /** Diagnostics key counting how often a dead letter was tried: 1 when first enqueued. */
    public static final String ATTEMPTS = "attempts";

    /** The policy of every group: enqueue each failure, counting the attempts in the letter's diagnostics. */
    public static EnqueuePolicy<EventMessage<?>> countingAttempts() {
        return (letter, cause) -> Decisions.enqueue(cause, l -> l.diagnostics().and(ATTEMPTS, attempts(l) + 1));
    }

    /** How often a letter was tried so far. */
    public static long attempts(DeadLetter<?> letter) {
        return letter.diagnostics().get(ATTEMPTS) instanceof Number count ? count.longValue() : 0;
    }
}
