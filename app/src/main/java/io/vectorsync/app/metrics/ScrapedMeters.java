package io.vectorsync.app.metrics;

import io.helidon.metrics.api.Meter;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Meters whose values are read from the system's state when Prometheus scrapes, and whose label sets come and go with
 * it (processors, index versions, dead-letter queues). Before each request to {@link Telemetry#ENDPOINT} it asks
 * {@code source} for the samples of the moment, registers a meter for each new one, and removes those that no
 * longer exist (a dropped index version's series ends). Nothing runs between scrapes.
 */
public final class ScrapedMeters implements Filter {

    private static final Logger LOG = Logger.getLogger(ScrapedMeters.class.getName());

    /**
     * One value: a gauge, or a counter (a total that only grows, e.g. cache hits) when {@code counter}; {@code tags}
     * are name/value pairs.
     */
    public record Sample(String name, String help, boolean counter, List<String> tags, double value) {

        public static Sample gauge(String name, String help, double value, String... tags) {
            return new Sample(name, help, false, List.of(tags), value);
        }

        public static Sample counter(String name, String help, long value, String... tags) {
            return new Sample(name, help, true, List.of(tags), value);
        }

        private Key key() {
            return new Key(name, tags);
        }
    }

    private record Key(String name, List<String> tags) {
    }

    private final Telemetry telemetry;
    private final Supplier<List<Sample>> source;
    private volatile Map<Key, Double> values = Map.of();
    private final Map<Key, Meter> meters = new HashMap<>(); // guarded by this

    public ScrapedMeters(Telemetry telemetry, Supplier<List<Sample>> source) {
        this.telemetry = telemetry;
        this.source = source;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.path().path().equals(Telemetry.ENDPOINT)) {
            refresh();
        }
        chain.proceed();
    }

    /** Reads the samples of the moment; a source that fails leaves the last values (and logs why). */
    public synchronized void refresh() {
        List<Sample> samples;
        try {
            samples = source.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read the values of the scraped meters; serving the last ones", e);
            return;
        }
        Map<Key, Double> now = new HashMap<>();
        for (Sample sample : samples) {
            now.put(sample.key(), sample.value());
        }
        values = now;
        for (Sample sample : samples) {
            meters.computeIfAbsent(sample.key(), key -> register(key, sample));
        }
        meters.entrySet().removeIf(entry -> {
            if (now.containsKey(entry.getKey())) {
                return false;
            }
            telemetry.remove(entry.getValue());
            return true;
        });
    }

    /**
     * A meter reading {@code key}'s value. Micrometer holds a gauge's or counter's state object only weakly: the state
     * is {@code key} itself, which {@link #meters} holds for as long as the meter exists.
     */
    private Meter register(Key key, Sample sample) {
        String[] tags = sample.tags().toArray(String[]::new);
        return sample.counter()
                ? telemetry.functionCounter(sample.name(), sample.help(), key, k -> values.getOrDefault(k, 0.0).longValue(), tags)
                : telemetry.gauge(sample.name(), sample.help(), key, k -> values.getOrDefault(k, Double.NaN), tags);
    }
}
