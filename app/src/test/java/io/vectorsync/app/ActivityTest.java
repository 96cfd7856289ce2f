package io.vectorsync.app;

import io.vectorsync.app.metrics.Activity;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ActivityTest {

    @Test
    void ratesAreSinceTheLastSnapshot() throws InterruptedException {
        AtomicLong head = new AtomicLong(100);
        Activity activity = new Activity(head::get);
        activity.written(30);
        activity.searched();
        head.addAndGet(60);
        Thread.sleep(200);

        JsonObject first = activity.snapshot();
        // at most ~0.2 s passed: 30 writes in it are more than 30 a second, and well under 30 / 0.2 s
        assertThat(first.getJsonNumber("ingestPerSecond").doubleValue()).isBetween(30.0, 150.0);
        assertThat(first.getJsonNumber("searchesPerSecond").doubleValue()).isPositive();
        assertThat(first.getJsonNumber("logEventsPerSecond").doubleValue())
                .isEqualTo(2 * first.getJsonNumber("ingestPerSecond").doubleValue(), org.assertj.core.data.Offset.offset(0.2));
        assertThat(first.getJsonNumber("documentsWritten").longValue()).isEqualTo(30);

        JsonObject idle = activity.snapshot();
        assertThat(idle.getJsonNumber("ingestPerSecond").doubleValue()).as("nothing since").isZero();
        assertThat(idle.getJsonNumber("searchesPerSecond").doubleValue()).isZero();
        assertThat(idle.getJsonNumber("documentsWritten").longValue()).as("totals stay").isEqualTo(30);
    }
}
