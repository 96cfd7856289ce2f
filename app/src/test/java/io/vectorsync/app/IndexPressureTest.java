package io.vectorsync.app;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class IndexPressureTest {

    private final AtomicLong head = new AtomicLong(1_000);
    private final AtomicReference<OptionalLong> index = new AtomicReference<>(OptionalLong.of(1_000));
    private final AtomicInteger lookups = new AtomicInteger();

    private IndexPressure pressure(long maxLag) {
        return new IndexPressure(maxLag, () -> {
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
    void looksTheLogUpAtMostEveryTwentyMillisecondsHoweverManyWritesAsk() {
        IndexPressure pressure = pressure(500);
        for (int i = 0; i < 1_000; i++) {
            pressure.closedBecause();
        }
        assertThat(lookups.get()).isLessThanOrEqualTo(2);
    }
}
