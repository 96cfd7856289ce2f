package io.vectorsync.command.commit;

import io.vectorsync.command.api.TooManyWrites;
import io.vectorsync.store.StoreFailures;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: commands that arrive together are handled one after another on one thread inside one unit of work
 * and one database transaction, so a hundred writes cost one commit (one fsync, one round trip) instead of a hundred.
 * <p>
 * Each command runs in its own nested unit of work, in arrival order, so two writes to one document apply in the
 * order they came and the second sees the first. A command that fails (bad input, a version conflict) fails alone:
 * its unit of work rolls back before it appends anything, and the others go on. The events of the group are
 * appended when the group commits; only then is any command answered, so an acknowledged write is durable. If the
 * group's commit fails (another process won a race for a document, the database went away), every command that had
 * succeeded in it is run again alone, in its own transaction, and answered by that run.
 * <p>
 * A group takes what is queued, up to {@code maxGroup} commands, waiting at most {@code linger} for more while it is
 * not full; a full queue refuses at once ({@link Overloaded}), never waits.
 */
public final class GroupCommitter implements CommandSubmitter {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());
    private static final int MAX_ATTEMPTS_ALONE = 8;
    /** After the store was found away, writes are refused without trying for this long. */
    private static final Duration STORE_AWAY_REFUSAL = Duration.ofSeconds(1);

    private final CommandBus commandBus;
    private final TransactionManager transactionManager;
    private final BooleanSupplier storeReachable;
    private final int maxGroup;
    private final long lingerNanos;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean closing;
    /** Until when writes are refused at once: the store was found away a moment ago (System.nanoTime). */
    private long storeAwayUntil;
    private Throwable storeAwayCause;

    /** Settings: the most commands per transaction, the longest wait for more, and how many may queue. */
    public record Settings(int maxGroup, Duration linger, int queueCapacity) {

        public static final Settings DEFAULTS = new Settings(256, Duration.ofMillis(2), 10_000);

        public Settings {
            if (maxGroup < 1 || queueCapacity < 1 || linger.isNegative()) {
                throw new IllegalArgumentException("group commit: max-group and queue-capacity must be positive, linger "
                        + "zero or more");
            }
        }
    }

    /** The database cannot be reached: nothing of the write was stored; the caller should answer 503. */
    public static final class StoreUnavailable extends RuntimeException {
        StoreUnavailable(Throwable cause) {
            super("the event store cannot be reached; nothing was written — retry shortly", cause);
        }
    }

    /** The write queue is full: the caller should answer 429 and let the client retry. */
    public static final class Overloaded extends TooManyWrites {
        Overloaded(int capacity) {
            super("the write queue is full (" + capacity + " commands); retry shortly");
        }
    }

    private record Pending(CommandMessage<?> command, CompletableFuture<Object> answer) {
    }

    /** The result of a command run inside the group, before the group commits. */
    private record Outcome(Pending pending, Object result, Throwable failure) {
    }

    public GroupCommitter(CommandBus commandBus, TransactionManager transactionManager, BooleanSupplier storeReachable,
                          Settings settings) {
        this.commandBus = commandBus;
        this.transactionManager = transactionManager;
        this.storeReachable = storeReachable;
        this.maxGroup = settings.maxGroup();
        this.lingerNanos = settings.linger().toNanos();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = Thread.ofPlatform().name("group-commit").start(this::run);
    }

    /** Queues a command; the answer completes once its write is committed (or it failed). */
    @Override
    public <R> CompletableFuture<R> submit(Object command) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        if (closing) {
            answer.completeExceptionally(new IllegalStateException("the server is stopping"));
        } else if (!queue.offer(new Pending(GenericCommandMessage.asCommandMessage(command), answer))) {
            answer.completeExceptionally(new Overloaded(queue.remainingCapacity() + queue.size()));
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<R> typed = (CompletableFuture<R>) answer;
        return typed;
    }

    private void run() {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - group.size());
                long deadline = System.nanoTime() + lingerNanos;
                while (group.size() < maxGroup && lingerNanos > 0) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    group.add(next);
                    queue.drainTo(group, maxGroup - group.size());
                }
                commit(group);
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "Group commit failed unexpectedly; its commands are answered with the failure", e);
                Throwable failure = explained(e);
                group.forEach(p -> p.answer().completeExceptionally(failure));
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending> group) {
        if (storeAwayCause != null && System.nanoTime() < storeAwayUntil) {
            // every writer gets its 503 at once instead of each waiting for the pool to give up again
            group.forEach(p -> p.answer().completeExceptionally(new StoreUnavailable(storeAwayCause)));
            return;
        }
        if (group.size() == 1) {
            alone(group.getFirst());
            return;
        }
        List<Outcome> outcomes = new ArrayList<>(group.size());
        UnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
        try {
            root.attachTransaction(transactionManager);
            for (Pending pending : group) {
                outcomes.add(dispatch(pending));
            }
            root.commit();
        } catch (RuntimeException e) {
            if (root.isActive()) {
                root.rollback(e);
            }
            LOG.log(Level.FINE, "A group of " + group.size() + " commands did not commit; each runs alone", e);
            for (Outcome outcome : outcomes) {
                if (outcome.failure() == null) {
                    alone(outcome.pending());
                } else {
                    outcome.pending().answer().completeExceptionally(outcome.failure());
                }
            }
            for (Pending pending : group.subList(outcomes.size(), group.size())) {
                alone(pending);
            }
            return;
        }
        for (Outcome outcome : outcomes) {
            if (outcome.failure() == null) {
                outcome.pending().answer().complete(outcome.result());
            } else {
                outcome.pending().answer().completeExceptionally(outcome.failure());
            }
        }
    }

    /** Runs one command in the current unit of work (nested in the group's, or its own). */
    private Outcome dispatch(Pending pending) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        try {
            commandBus.dispatch(pending.command(), (CommandMessage<?> command, CommandResultMessage<?> answer) -> {
                if (answer.isExceptional()) {
                    failure[0] = answer.exceptionResult();
                } else {
                    result[0] = answer.getPayload();
                }
            });
        } catch (RuntimeException e) { // a unit of work that could not even start its transaction
            failure[0] = e;
        }
        return new Outcome(pending, result[0], failure[0]);
    }

    /** One command in its own transaction; again if another write to its document got there first. */
    private void alone(Pending pending) {
        for (int attempt = 1; ; attempt++) {
            Outcome outcome = dispatch(pending);
            if (outcome.failure() == null) {
                pending.answer().complete(outcome.result());
                return;
            }
            if (attempt >= MAX_ATTEMPTS_ALONE || !lostARace(outcome.failure())) {
                pending.answer().completeExceptionally(explained(outcome.failure()));
                return;
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(1, 4L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.answer().completeExceptionally(outcome.failure());
                return;
            }
        }
    }

    /**
     * A database failure while the database cannot be reached is an outage, not a bug: said so, so the caller
     * answers 503 (a pooled connection found dead, a connection refused, a pool that waited in vain).
     */
    private Throwable explained(Throwable failure) {
        if (!StoreFailures.fromStore(failure)) {
            return failure;
        }
        if (StoreFailures.unreachable(failure) || !storeReachable.getAsBoolean()) {
            storeAwayCause = failure;
            storeAwayUntil = System.nanoTime() + STORE_AWAY_REFUSAL.toNanos();
            return new StoreUnavailable(failure);
        }
        return failure;
    }

    /** Whether another write to the same document took the next sequence number first: worth another try. */
    public static boolean lostARace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }

    /** Commits what is queued, answers it, and stops; later submissions are refused. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.answer().completeExceptionally(new IllegalStateException("the server stopped before this write"));
        }
    }
}
