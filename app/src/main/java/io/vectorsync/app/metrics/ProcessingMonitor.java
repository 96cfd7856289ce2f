package io.vectorsync.app.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Timer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Axon's message monitor for event processors: {@code vectorsync_events_processed_total{processor}} counts each event
 * a processor has handled or passed over (no handler of its own), {@code vectorsync_events_failed_total{processor}}
 * each attempt that failed (it is retried or dead-lettered), and {@code vectorsync_event_age_seconds{processor}} is
 * a histogram of how old each event was when the processor had handled it — the freshness of what the processor
 * keeps (during a replay, the age of the old events it replays). Other components (the command bus, the event
 * store) are not monitored.
 */
public final class ProcessingMonitor implements MessageMonitor<Message<?>> {

    private final Counter processed;
    private final Counter failed;
    private final Timer age;

    private ProcessingMonitor(Telemetry telemetry, String processor) {
        String name = processor.toLowerCase(Locale.ROOT);
        this.processed = telemetry.counter("vectorsync_events_processed",
                "Events a processor has handled or passed over", "processor", name);
        this.failed = telemetry.counter("vectorsync_events_failed",
                "Attempts of a processor to handle an event that failed", "processor", name);
        this.age = telemetry.timer("vectorsync_event_age", "How old an event was when the processor had handled it",
                "processor", name);
    }

    /** The monitor of a component: counting for event processors, none for the rest. */
    public static MessageMonitor<Message<?>> of(Telemetry telemetry, Class<?> componentType, String componentName) {
        return EventProcessor.class.isAssignableFrom(componentType)
                ? new ProcessingMonitor(telemetry, componentName) : NoOpMessageMonitor.instance();
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                processed.increment();
                if (message instanceof EventMessage<?> event) {
                    age.record(Duration.between(event.getTimestamp(), Instant.now()));
                }
            }

            @Override
            public void reportFailure(Throwable cause) {
                failed.increment();
            }

            @Override
            public void reportIgnored() {
                processed.increment();
            }
        };
    }
}
