package io.vectorsync.app.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One node's meters, served as Prometheus text at {@code /observe/metrics} by Helidon's observe feature. Names follow
 * Prometheus: the {@code vectorsync_} prefix, base units (seconds, bytes), and {@code _total} on counters (Micrometer
 * adds it). Every series carries the node's id ({@code node}). The JVM's memory, GC, threads and class loading come
 * from Micrometer's binders ({@code jvm_*}).
 * <p>
 * Helidon keeps meters in one registry per process (Micrometer's global one). Production runs one node per JVM; the
 * tests run several apps in one, one after another and sometimes side by side: the {@code node} label keeps side by
 * side apps' series apart, and {@link #close} removes exactly the meters this node registered, so a stopped app's
 * series (and the state its gauges read) do not outlive it.
 */
public final class Telemetry implements AutoCloseable {

    /** Path of the Prometheus endpoint; the observe feature serves it. */
    public static final String ENDPOINT = "/observe/metrics";
    /** Buckets of the request and batch histograms: 5 ms to 30 s. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};
    /** The JVM's meters are the process's: bound once. */
    private static final AtomicBoolean JVM_BOUND = new AtomicBoolean();

    private final MeterRegistry registry;
    private final String node;
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    public Telemetry(String node) {
        this.registry = Metrics.globalRegistry();
        this.node = node;
        if (JVM_BOUND.compareAndSet(false, true)) {
            io.micrometer.core.instrument.MeterRegistry micrometer =
                    registry.unwrap(io.micrometer.core.instrument.MeterRegistry.class);
            new JvmMemoryMetrics().bindTo(micrometer);
            new JvmGcMetrics().bindTo(micrometer); // its GC listener lives as long as the JVM
            new JvmThreadMetrics().bindTo(micrometer);
            new ClassLoaderMetrics().bindTo(micrometer);
        }
    }

    /** The observe feature that serves the meters at {@link #ENDPOINT}. */
    public ObserveFeature feature() {
        return ObserveFeature.builder()
                .observersDiscoverServices(false)
                .addObserver(MetricsObserver.builder().meterRegistry(registry).build())
                .build();
    }

    /** A counter ({@code name} without {@code _total}; Prometheus text adds it). */
    public Counter counter(String name, String help, String... tags) {
        return register(Counter.builder(name).description(help).tags(tags(tags)));
    }

    /** A counter whose count is read from {@code state} at each scrape; the caller keeps {@code state} reachable. */
    public <T> FunctionalCounter functionCounter(String name, String help, T state, Function<T, Long> count,
                                                 String... tags) {
        return register(FunctionalCounter.builder(name, state, count).description(help).tags(tags(tags)));
    }

    /**
     * A gauge read from {@code state} at each scrape; the caller keeps {@code state} reachable (Micrometer holds it
     * weakly, and a collected state reads as NaN).
     */
    public <T> Gauge<Double> gauge(String name, String help, T state, ToDoubleFunction<T> value, String... tags) {
        return register(Gauge.builder(name, state, value).description(help).tags(tags(tags)));
    }

    /** A histogram of durations in seconds ({@code name} without {@code _seconds}), with fixed buckets only. */
    public Timer timer(String name, String help, String... tags) {
        return register(Timer.builder(name).description(help).baseUnit("seconds")
                .percentiles(new double[0]).buckets(LATENCY_BUCKETS).tags(tags(tags)));
    }

    /** Ends a meter's series (a dropped index version's, say). */
    public void remove(Meter meter) {
        registered.remove(meter);
        registry.remove(meter);
    }

    private <B extends Meter.Builder<B, M>, M extends Meter> M register(B builder) {
        M meter = registry.getOrCreate(builder);
        registered.add(meter);
        return meter;
    }

    /** Tags from name, value, name, value…, and the node's. */
    private List<Tag> tags(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in name/value pairs: " + List.of(pairs));
        }
        List<Tag> tags = new ArrayList<>(pairs.length / 2 + 1);
        for (int i = 0; i < pairs.length; i += 2) {
            tags.add(Tag.create(pairs[i], pairs[i + 1]));
        }
        tags.add(Tag.create("node", node));
        return tags;
    }

    @Override
    public void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }
}
