package io.vectorsync.store;

import io.vectorsync.upcasters.Upcasters;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on a real PostgreSQL, a fresh database per test (see {@link TestPostgres}). */
class PostgresStoreTest extends StoreContract {

    private StoreSettings settings;

    @Override
    EventStoreDatabase open() {
        settings = TestPostgres.freshDatabase();
        return EventStoreDatabase.open(settings, null);
    }

    @Override
    EventStoreDatabase reopen() {
        return EventStoreDatabase.open(settings, null);
    }

    /**
     * Axon 4.13 skips for ever an event that took its global index before another but committed after it, once a
     * tracking reader has waited longer than the gap timeout (AxonFramework #4829). Appends here take their index in
     * commit order: a second writer waits for a slow first one, so no reader ever sees a later event while an
     * earlier one is still uncommitted.
     */
    @Test
    void aSlowCommitNeverLeavesAGapBehindALaterEvent() throws Exception {
        EventStorageEngine engine = database.storageEngine(serializer, Upcasters.chain());
        AtomicBoolean watching = new AtomicBoolean(true);
        List<List<Long>> seen = new ArrayList<>();
        // threads of their own: the common pool may have a single worker on a small machine
        ExecutorService threads = Executors.newFixedThreadPool(3);
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (watching.get()) {
                seen.add(indexes());
            }
        }, threads);
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> database.transactionManager()
                .executeInTransaction(() -> {
                    engine.appendEvents(event("acme/slow", 0));
                    sleep(1500); // committed long after it took its index
                }), threads);
        sleep(300);
        long fastStarted = System.nanoTime();
        CompletableFuture<Void> fast = CompletableFuture.runAsync(() -> database.transactionManager()
                .executeInTransaction(() -> engine.appendEvents(event("acme/fast", 0))), threads);
        fast.join();
        long fastTookMs = (System.nanoTime() - fastStarted) / 1_000_000;
        slow.join();
        watching.set(false);
        watcher.join();
        threads.shutdown();

        assertThat(fastTookMs).as("the second append waited for the first to commit").isGreaterThan(900);
        List<Long> all = indexes();
        assertThat(all).hasSize(2);
        // every look at the log saw a prefix of it: never the later event without the earlier one
        assertThat(seen).allMatch(look -> all.subList(0, look.size()).equals(look));
    }

    /**
     * A node frozen (SIGSTOP, a long pause) in the middle of a transaction keeps its row locks, and another node that
     * takes its segments over would wait for them for ever. With a stall limit, the server ends the idle transaction
     * and a waiting statement gives up in time, so the other node gets the row within a few seconds.
     */
    @Test
    void aTransactionLeftIdleByAFrozenNodeIsEndedAndItsLocksGo() throws Exception {
        java.time.Duration limit = java.time.Duration.ofSeconds(1);
        try (EventStoreDatabase frozen = EventStoreDatabase.open(settings, null, limit);
             EventStoreDatabase other = EventStoreDatabase.open(settings, null, limit);
             Connection stuck = frozen.dataSource().getConnection()) {
            try (Connection setup = other.dataSource().getConnection(); Statement statement = setup.createStatement()) {
                statement.executeUpdate("INSERT INTO TokenEntry (processorName, segment, owner, timestamp) "
                        + "VALUES ('p', 0, 'frozen-node', '2026-12-07T00:00:00Z')");
            }
            stuck.setAutoCommit(false);
            try (Statement statement = stuck.createStatement()) {
                statement.executeQuery("SELECT owner FROM TokenEntry WHERE processorName = 'p' FOR UPDATE").close();
            } // ... and the node stops here, its transaction open

            long started = System.nanoTime();
            boolean taken = false;
            while (!taken && System.nanoTime() - started < 15_000_000_000L) {
                try (Connection taker = other.dataSource().getConnection(); Statement statement = taker.createStatement()) {
                    taker.setAutoCommit(false);
                    statement.executeQuery("SELECT owner FROM TokenEntry WHERE processorName = 'p' FOR UPDATE").close();
                    statement.executeUpdate("UPDATE TokenEntry SET owner = 'other-node' WHERE processorName = 'p'");
                    taker.commit();
                    taken = true;
                } catch (java.sql.SQLException e) {
                    // the lock was still held: the wait gave up after the limit; try again
                }
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(taken).as("the other node took the row").isTrue();
            assertThat(tookMs).as("ms until the other node had the row").isLessThan(10_000);
            org.assertj.core.api.Assertions.assertThatThrownBy(stuck::commit)
                    .as("the frozen node's transaction was ended by the server").isInstanceOf(java.sql.SQLException.class);
        }
    }

    /** A commit in one process wakes the processors of another within milliseconds, not at their next poll. */
    @Test
    void aCommitOfEventsIsHeardByEveryOtherProcessOnTheStore() throws Exception {
        java.util.concurrent.CountDownLatch heard = new java.util.concurrent.CountDownLatch(1);
        try (EventStoreDatabase other = EventStoreDatabase.open(settings, null)) {
            other.onCommitElsewhere(heard::countDown);
            Thread.sleep(500); // its listener connects
            EventStorageEngine engine = database.storageEngine(serializer, Upcasters.chain());
            long committed = System.nanoTime();
            append(engine, event("acme/heard", 0));
            assertThat(heard.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat((System.nanoTime() - committed) / 1_000_000).as("ms until heard").isLessThan(1000);
        }
    }

    private List<Long> indexes() {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT globalIndex FROM DomainEventEntry ORDER BY globalIndex")) {
            List<Long> indexes = new ArrayList<>();
            while (rs.next()) {
                indexes.add(rs.getLong(1));
            }
            return indexes;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
