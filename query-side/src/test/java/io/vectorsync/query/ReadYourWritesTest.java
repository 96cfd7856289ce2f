package io.vectorsync.query;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-your-writes gate against processors whose progress the test moves. */
class ReadYourWritesTest {

    private final Map<String, Long> processed = new ConcurrentHashMap<>(Map.of("encoder", 10L, "vector-index", 10L));
    private final AtomicLong head = new AtomicLong(10);
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();

    private ReadYourWrites gate(boolean hotCache, Duration wait) {
        return new ReadYourWrites(processed::get, head::get, wait, "encoder", "vector-index", hotCache,
                refreshes::incrementAndGet, w -> {
                    waits.incrementAndGet();
                    w.run();
                });
    }

    @Test
    void aPositionAlreadyPassedNeitherWaitsNorRefreshesWithTheHotCache() {
        gate(true, Duration.ofSeconds(1)).awaitSearchable(10);
        assertThat(waits).hasValue(0);
        assertThat(refreshes).hasValue(0);
    }

    @Test
    void withoutTheCacheASearchWaitsForTheIndexToReachTheHeadAndRefreshesIt() throws Exception {
        head.set(15); // events after the write's position were logged meanwhile
        processed.put("encoder", 15L);
        processed.put("vector-index", 12L);
        Thread mover = Thread.ofVirtual().start(() -> {
            sleep(50);
            processed.put("vector-index", 15L);
        });
        gate(false, Duration.ofSeconds(5)).awaitSearchable(11);
        mover.join();
        assertThat(processed.get("vector-index")).isEqualTo(15L);
        assertThat(waits).as("one wait, for the index").hasValue(1);
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void aDocumentReadWaitsForTheEncoderOnly() throws Exception {
        processed.put("vector-index", -1L); // never asked
        processed.put("encoder", 11L);
        Thread mover = Thread.ofVirtual().start(() -> {
            sleep(30);
            processed.put("encoder", 12L);
        });
        gate(false, Duration.ofSeconds(5)).awaitEncoded(12);
        mover.join();
        assertThat(waits).hasValue(1);
        assertThat(refreshes).hasValue(0);
    }

    @Test
    void aProjectionThatDoesNotCatchUpInTimeIsNamed() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> gate(true, Duration.ofMillis(100)).awaitSearchable(20))
                .isInstanceOf(ProjectionLagException.class)
                .hasMessageContaining("encoder");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
