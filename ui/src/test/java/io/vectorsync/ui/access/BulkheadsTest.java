package io.vectorsync.ui.access;

import io.vectorsync.ui.access.AccessPolicy.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkheadsTest {

    private static LoadLimits searchLimit(int threads, int queue, Duration deadline) {
        return LoadLimits.DEFAULTS.with(Workload.SEARCH, new LoadLimits.Limit(threads, queue, deadline));
    }

    @Test
    void aFullQueueRefusesAtOnceAndTheOtherWorkloadsGoOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<String> refusals = new CopyOnWriteArrayList<>();
        try (Bulkheads bulkheads = new Bulkheads(searchLimit(1, 1, Duration.ofSeconds(30)))) {
            Thread first = Thread.ofVirtual().start(() -> bulkheads.run(Workload.SEARCH, () -> {
                running.countDown();
                await(release);
            }, refusals::add));
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            Thread queued = Thread.ofVirtual().start(() -> bulkheads.run(Workload.SEARCH, () -> { }, refusals::add));
            awaitWaiting(bulkheads, 1);

            long started = System.nanoTime();
            bulkheads.run(Workload.SEARCH, () -> refusals.add("ran"), refusals::add);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
            assertThat(refusals).singleElement().asString().contains("already waiting");

            // a write does not wait for the searches
            List<String> wrote = new CopyOnWriteArrayList<>();
            bulkheads.run(Workload.WRITE, () -> wrote.add("written"), wrote::add);
            assertThat(wrote).containsExactly("written");

            release.countDown();
            first.join(5_000);
            queued.join(5_000);
            assertThat(bulkheads.counts().get(Workload.SEARCH).rejected()).isEqualTo(1);
            assertThat(bulkheads.counts().get(Workload.SEARCH).started()).isEqualTo(2);
        }
    }

    @Test
    void aRequestThatCannotStartBeforeItsDeadlineIsShedNotRunLate() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (Bulkheads bulkheads = new Bulkheads(searchLimit(1, 4, Duration.ofMillis(200)))) {
            Thread first = Thread.ofVirtual().start(() -> bulkheads.run(Workload.SEARCH, () -> {
                running.countDown();
                await(release);
            }, outcomes::add));
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            Thread late = Thread.ofVirtual().start(() -> bulkheads.run(Workload.SEARCH, () -> outcomes.add("ran late"),
                    outcomes::add));
            Thread.sleep(400); // past the queued request's deadline
            release.countDown();
            late.join(5_000);
            first.join(5_000);
            assertThat(outcomes).singleElement().asString().contains("deadline of 200 ms");
            assertThat(bulkheads.counts().get(Workload.SEARCH).shed()).isEqualTo(1);
        }
    }

    @Test
    void theWorksFailureIsThrownToTheCallerAndNoneRunsInPlace() {
        try (Bulkheads bulkheads = new Bulkheads(LoadLimits.DEFAULTS)) {
            assertThatThrownBy(() -> bulkheads.run(Workload.READ, () -> {
                throw new IllegalArgumentException("bad input");
            }, why -> { })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad input");
            Thread caller = Thread.currentThread();
            bulkheads.run(Workload.NONE, () -> assertThat(Thread.currentThread()).isSameAs(caller), why -> { });
            bulkheads.run(Workload.SEARCH, () -> assertThat(Thread.currentThread().isVirtual()).isFalse(), why -> { });
        }
    }

    @Test
    void anInterruptedCallerStillWaitsForItsWorkWhichWritesTheAnswer() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        try (Bulkheads bulkheads = new Bulkheads(LoadLimits.DEFAULTS)) {
            Thread caller = Thread.ofVirtual().start(() -> {
                bulkheads.run(Workload.WRITE, () -> {
                    running.countDown();
                    await(release);
                    events.add("answered");
                }, events::add);
                events.add("returned" + (Thread.currentThread().isInterrupted() ? ", interrupted" : ""));
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            caller.interrupt(); // as a stopping server interrupts its connections' threads
            Thread.sleep(100);
            assertThat(events).isEmpty();
            release.countDown();
            caller.join(5_000);
            assertThat(events).containsExactly("answered", "returned, interrupted");
        }
    }

    @Test
    void aRequestThatWaitsDoesNotTakeThePlaceOfOneThatComputes() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        try (Bulkheads bulkheads = new Bulkheads(searchLimit(1, 4, Duration.ofSeconds(30)))) {
            Thread consistent = Thread.ofVirtual().start(() -> bulkheads.run(Workload.SEARCH,
                    () -> Bulkheads.whileWaiting(() -> {
                        waiting.countDown();
                        await(release); // as read-your-writes waits for a projection
                        events.add("waited");
                    }), events::add));
            assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
            // the single search thread is waiting; another search still runs at once
            long started = System.nanoTime();
            bulkheads.run(Workload.SEARCH, () -> events.add("searched"), events::add);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            release.countDown();
            consistent.join(5_000);
            assertThat(events).containsExactly("searched", "waited");
        }
    }

    @Test
    void limitsRefuseNonsense() {
        assertThatThrownBy(() -> new LoadLimits.Limit(0, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadLimits.Limit(1, 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadLimits.Limit(1, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void awaitWaiting(Bulkheads bulkheads, int waiting) throws InterruptedException {
        for (int i = 0; i < 500 && bulkheads.counts().get(Workload.SEARCH).waiting() < waiting; i++) {
            Thread.sleep(10);
        }
        assertThat(bulkheads.counts().get(Workload.SEARCH).waiting()).isEqualTo(waiting);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
