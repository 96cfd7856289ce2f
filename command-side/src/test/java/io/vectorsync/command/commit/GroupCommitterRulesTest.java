package io.vectorsync.command.commit;

import io.vectorsync.domain.InvalidInputException;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The group committer's rules with Axon's real {@link SimpleCommandBus} and a transaction manager that counts, and
 * fails when told: grouping and its limit, answers only after the commit, a failed command or commit, lost races,
 * an unreachable store, and closing. (GroupCommitterTest runs it against the real aggregate and H2.)
 */
class GroupCommitterRulesTest {

    /** A write that succeeds, answering "done id". */
    record Write(String id) {
    }

    /** A write its handler refuses. */
    record Refused(String id) {
    }

    /** A write that loses the race for its document {@code losses} times before it gets through. */
    record Raced(String id, int losses) {
    }

    /** Holds the committer's thread until the test lets go. */
    record Hold() {
    }

    private final CountingTransactions transactions = new CountingTransactions();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger reachabilityChecks = new AtomicInteger();
    private volatile boolean storeReachable = true;
    private SimpleCommandBus bus;
    private GroupCommitter committer;

    @BeforeEach
    void setUp() {
        bus = SimpleCommandBus.builder().transactionManager(transactions).build();
        bus.subscribe(Write.class.getName(), message -> {
            String id = ((Write) message.getPayload()).id();
            handled.add(id);
            return "done " + id;
        });
        bus.subscribe(Refused.class.getName(), message -> {
            handled.add(((Refused) message.getPayload()).id());
            throw new InvalidInputException("body", "is required");
        });
        bus.subscribe(Raced.class.getName(), message -> {
            Raced raced = (Raced) message.getPayload();
            handled.add(raced.id());
            if (attempts.computeIfAbsent(raced.id(), id -> new AtomicInteger()).incrementAndGet() <= raced.losses()) {
                throw new AggregateStreamCreationException("another write created " + raced.id() + " first");
            }
            return "done " + raced.id();
        });
        bus.subscribe(Hold.class.getName(), message -> {
            holding.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "held";
        });
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        if (committer != null) {
            committer.close();
        }
    }

    @Test
    void writesThatQueueTogetherShareOneTransactionAndAreAnsweredInOrderOnlyAfterItCommits() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ofMillis(1), 1000));
        CompletableFuture<String> hold = holdTheCommitter();
        List<CompletableFuture<String>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            writes.add(committer.submit(new Write("w" + i)));
        }
        transactions.onOutermostCommit = () -> writes.stream().filter(CompletableFuture::isDone).count();

        release.countDown();

        assertThat(hold.get(5, TimeUnit.SECONDS)).isEqualTo("held");
        for (int i = 0; i < 50; i++) {
            assertThat(writes.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("done w" + i);
        }
        assertThat(handled).containsExactlyElementsOf(names("w", 50));
        assertThat(transactions.started).as("one for the hold, one for the group").hasValue(2);
        assertThat(transactions.observedAtCommit).as("writes already answered when a transaction committed")
                .containsExactly(0L, 0L);
    }

    @Test
    void aGroupTakesAtMostMaxGroupCommands() throws Exception {
        start(new GroupCommitter.Settings(4, Duration.ZERO, 1000));
        holdTheCommitter();
        List<CompletableFuture<String>> writes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            writes.add(committer.submit(new Write("w" + i)));
        }

        release.countDown();

        for (CompletableFuture<String> write : writes) {
            write.get(5, TimeUnit.SECONDS);
        }
        assertThat(transactions.started).as("the hold, then groups of 4, 4 and 2").hasValue(4);
        assertThat(handled).containsExactlyElementsOf(names("w", 10));
    }

    @Test
    void aCommandThatFailsFailsAloneAndIsNotRunAgain() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ofMillis(1), 1000));
        holdTheCommitter();
        CompletableFuture<String> before = committer.submit(new Write("before"));
        CompletableFuture<String> refused = committer.submit(new Refused("refused"));
        CompletableFuture<String> after = committer.submit(new Write("after"));

        release.countDown();

        assertThat(before.get(5, TimeUnit.SECONDS)).isEqualTo("done before");
        assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo("done after");
        assertThat(catchThrowable(refused::join)).hasCauseInstanceOf(InvalidInputException.class);
        assertThat(handled).containsExactly("before", "refused", "after");
        assertThat(transactions.started).hasValue(2);
    }

    @Test
    void aGroupWhoseCommitFailsHasEachOfItsGoodCommandsRunAgainInItsOwnTransaction() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ofMillis(1), 1000));
        holdTheCommitter();
        CompletableFuture<String> first = committer.submit(new Write("first"));
        CompletableFuture<String> refused = committer.submit(new Refused("refused"));
        CompletableFuture<String> second = committer.submit(new Write("second"));
        AtomicInteger commits = new AtomicInteger();
        transactions.commitFailure = () -> commits.incrementAndGet() == 2 // the hold's commit is the first
                ? new ConcurrencyException("another process appended to 'first' meanwhile") : null;

        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done first");
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("done second");
        assertThat(catchThrowable(refused::join)).hasCauseInstanceOf(InvalidInputException.class);
        assertThat(handled).containsExactly("first", "refused", "second", "first", "second");
        assertThat(transactions.started).as("hold, group, then first and second alone").hasValue(4);
        assertThat(transactions.rolledBack).hasValue(1);
    }

    @Test
    void aWriteThatLostARaceIsTriedAgainAndGivesUpAfterEightAttempts() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ZERO, 1000));

        assertThat(committer.<String>submit(new Raced("twice", 2)).get(5, TimeUnit.SECONDS)).isEqualTo("done twice");
        assertThat(attempts.get("twice")).hasValue(3);

        CompletableFuture<String> always = committer.submit(new Raced("always", Integer.MAX_VALUE));
        assertThat(catchThrowable(() -> always.get(5, TimeUnit.SECONDS)))
                .hasCauseInstanceOf(AggregateStreamCreationException.class);
        assertThat(attempts.get("always")).hasValue(8);
        assertThat(reachabilityChecks).as("a lost race says nothing about the store").hasValue(0);
    }

    @Test
    void lostARaceLooksThroughCauses() {
        assertThat(GroupCommitter.lostARace(new RuntimeException(new ConcurrencyException("taken")))).isTrue();
        assertThat(GroupCommitter.lostARace(new AggregateStreamCreationException("exists"))).isTrue();
        assertThat(GroupCommitter.lostARace(new RuntimeException(new IllegalStateException("other")))).isFalse();
        assertThat(GroupCommitter.lostARace(null)).isFalse();
    }

    @Test
    void anUnreachableStoreIsStoreUnavailableAndForAMomentWritesAreRefusedWithoutTrying() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ZERO, 1000));
        transactions.startFailure = () -> new JdbcException("no connection",
                new SQLTransientConnectionException("pool: connection is not available, request timed out after 1500ms"));

        Throwable outage = catchThrowable(() -> committer.submit(new Write("w1")).get(5, TimeUnit.SECONDS));

        assertThat(outage).hasCauseInstanceOf(GroupCommitter.StoreUnavailable.class);
        assertThat(outage.getCause()).hasRootCauseInstanceOf(SQLTransientConnectionException.class);
        int tries = transactions.startAttempts.get();

        transactions.startFailure = () -> null; // the store is back, but the committer does not look for a moment
        Throwable refused = catchThrowable(() -> committer.submit(new Write("w2")).get(5, TimeUnit.SECONDS));

        assertThat(refused).hasCauseInstanceOf(GroupCommitter.StoreUnavailable.class);
        assertThat(transactions.startAttempts).as("refused without a transaction").hasValue(tries);
        assertThat(handled).isEmpty();
    }

    @Test
    void aStoreFailureIsAnOutageOnlyWhenTheStoreCannotBeReached() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ZERO, 1000));
        transactions.commitFailure = () -> new JdbcException("commit failed", new SQLException("connection is closed"));

        storeReachable = true;
        Throwable failure = catchThrowable(() -> committer.submit(new Write("w1")).get(5, TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(JdbcException.class);
        assertThat(reachabilityChecks).hasValue(1);

        storeReachable = false;
        Throwable outage = catchThrowable(() -> committer.submit(new Write("w2")).get(5, TimeUnit.SECONDS));
        assertThat(outage).hasCauseInstanceOf(GroupCommitter.StoreUnavailable.class);
        assertThat(reachabilityChecks).hasValue(2);
    }

    @Test
    void aFailureThatIsNotTheStoresIsPassedOnAsItIs() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ZERO, 1000));
        IllegalStateException bug = new IllegalStateException("a bug in a commit handler");
        transactions.commitFailure = () -> bug;

        Throwable failure = catchThrowable(() -> committer.submit(new Write("w1")).get(5, TimeUnit.SECONDS));

        assertThat(failure).hasCause(bug);
        assertThat(reachabilityChecks).hasValue(0);
        transactions.commitFailure = () -> null;
        assertThat(committer.<String>submit(new Write("w2")).get(5, TimeUnit.SECONDS)).isEqualTo("done w2");
    }

    @Test
    void closingCommitsWhatIsQueuedAndRefusesWhatComesLater() throws Exception {
        start(new GroupCommitter.Settings(256, Duration.ZERO, 1000));
        holdTheCommitter();
        CompletableFuture<String> queued = committer.submit(new Write("queued"));
        Thread.ofPlatform().start(() -> {
            sleep(100);
            release.countDown();
        });

        committer.close();

        assertThat(queued).isCompletedWithValue("done queued");
        CompletableFuture<String> late = committer.submit(new Write("late"));
        assertThat(late).isCompletedExceptionally();
        assertThat(catchThrowable(late::join)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(handled).containsExactly("queued");
    }

    @Test
    void settingsMustBePositive() {
        assertThatThrownBy(() -> new GroupCommitter.Settings(0, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupCommitter.Settings(1, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupCommitter.Settings(1, Duration.ofMillis(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void start(GroupCommitter.Settings settings) {
        committer = new GroupCommitter(bus, transactions, () -> {
            reachabilityChecks.incrementAndGet();
            return storeReachable;
        }, settings);
    }

    /** Occupies the committer's thread with a command of its own, so what is submitted next queues up. */
    private CompletableFuture<String> holdTheCommitter() throws InterruptedException {
        CompletableFuture<String> hold = committer.submit(new Hold());
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        return hold;
    }

    private static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Transactions that nest (the command bus's joins the committer's), counted when outermost, and made to fail to
     * start or to commit when a test says so.
     */
    static final class CountingTransactions implements TransactionManager {

        final AtomicInteger startAttempts = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger rolledBack = new AtomicInteger();
        final List<Long> observedAtCommit = new CopyOnWriteArrayList<>();
        volatile Supplier<RuntimeException> startFailure = () -> null;
        volatile Supplier<RuntimeException> commitFailure = () -> null;
        volatile Supplier<Long> onOutermostCommit;
        private final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);

        @Override
        public Transaction startTransaction() {
            boolean outermost = depth.get() == 0;
            if (outermost) {
                startAttempts.incrementAndGet();
                RuntimeException failure = startFailure.get();
                if (failure != null) {
                    throw failure;
                }
                started.incrementAndGet();
            }
            depth.set(depth.get() + 1);
            return new Transaction() {
                private boolean finished;

                @Override
                public void commit() {
                    if (finished) {
                        return;
                    }
                    finished = true;
                    depth.set(depth.get() - 1);
                    if (outermost) {
                        Supplier<Long> observer = onOutermostCommit;
                        if (observer != null) {
                            observedAtCommit.add(observer.get());
                        }
                        RuntimeException failure = commitFailure.get();
                        if (failure != null) {
                            rolledBack.incrementAndGet();
                            throw failure;
                        }
                    }
                }

                @Override
                public void rollback() {
                    if (finished) {
                        return;
                    }
                    finished = true;
                    depth.set(depth.get() - 1);
                    if (outermost) {
                        rolledBack.incrementAndGet();
                    }
                }
            };
        }
    }
}
