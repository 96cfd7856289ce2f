package io.vectorsync.command.api;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexPressureTest {

    private final AtomicLong head = new AtomicLong(1_000);
    private final AtomicReference<OptionalLong> index = new AtomicReference<>(OptionalLong.of(1_000));
    private final AtomicInteger lookups = new AtomicInteger();

    private IndexPressure pressure(long maxLag) {
        return new IndexPressure(maxLag, java.time.Duration.ofMillis(300), () -> {
            lookups.incrementAndGet();
            return head.get();
        }, index::get);
    }

    @Test
    void closesOnlyWhileTheStreamingIndexIsMoreThanTheLimitBehind() throws Exception {
        IndexPressure pressure = pressure(500);
        assertThat(pressure.closedBecause()).isNull();

        head.set(1_501);
        Thread.sleep(25);
        assertThat(pressure.closedBecause())
                .isEqualTo("the index is 501 events behind the log (vectorsync.limits.write.max-index-lag: 500)");

        index.set(OptionalLong.of(1_001)); // caught up to exactly the limit
        Thread.sleep(25);
        assertThat(pressure.closedBecause()).isNull();

        head.set(100_000);
        index.set(OptionalLong.empty()); // stopped, failed or replaying: the log takes writes regardless
        Thread.sleep(25);
        assertThat(pressure.closedBecause()).isNull();
    }

    @Test
    void aWriteWaitsForTheIndexAndIsRefusedOnlyAfterItsWait() throws Exception {
        IndexPressure pressure = pressure(500);
        head.set(2_000);
        long started = System.nanoTime();
        assertThatThrownBy(pressure::await).isInstanceOf(io.vectorsync.command.api.WriteGate.Closed.class)
                .hasMessageContaining("the index is 1000 events behind the log").hasMessageContaining("300 ms");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                .isBetween(java.time.Duration.ofMillis(290), java.time.Duration.ofSeconds(3));

        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            index.set(OptionalLong.of(1_600)); // the index catches up while the write waits
        });
        pressure.await(); // returns: no exception
        assertThat(pressure.closedBecause()).isNull();
    }

    @Test
    void aWriteTheIndexCannotCatchUpWithInItsWaitIsRefusedAtOnceWithTheTimeItShouldNeed() throws Exception {
        IndexPressure pressure = pressure(500);
        head.set(5_000); // behind from the start: the index is busy, so its rate is what it can take
        pressure.closedBecause();
        Thread.sleep(1_050);
        index.set(OptionalLong.of(1_100)); // 100 events in about a second
        assertThat(pressure.closedBecause()).contains("3900 events behind");

        long started = System.nanoTime();
        assertThatThrownBy(pressure::await).isInstanceOfSatisfying(io.vectorsync.command.api.WriteGate.Closed.class,
                closed -> {
                    assertThat(closed.getMessage()).contains("events/s it has been taking");
                    // (3,900 - 500) events at about 95 events/s
                    assertThat(closed.retryAfterSeconds()).isBetween(28L, 45L);
                });
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofMillis(200));
    }

    @Test
    void theRateOfAnIndexThatKeptUpSaysNothingOfWhatItCanTakeSoTheWriteWaits() throws Exception {
        IndexPressure pressure = pressure(500);
        pressure.closedBecause();
        Thread.sleep(1_050);
        index.set(OptionalLong.of(1_010)); // 10 events in a second: all the writes gave it
        head.set(1_010);
        pressure.closedBecause();
        head.set(50_000);
        Thread.sleep(25);
        long started = System.nanoTime();
        assertThatThrownBy(pressure::await).hasMessageContaining("did not catch up within 300 ms");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(java.time.Duration.ofMillis(290));
    }

    @Test
    void looksTheLogUpAtMostEveryTwentyMillisecondsHoweverManyWritesAsk() {
        IndexPressure pressure = pressure(500);
        for (int i = 0; i < 1_000; i++) {
            pressure.closedBecause();
        }
        assertThat(lookups.get()).isLessThanOrEqualTo(2);
    }
}
