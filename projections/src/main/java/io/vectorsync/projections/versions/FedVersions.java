package io.vectorsync.projections.versions;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.store.DeadLetters;
import io.vectorsync.store.ProcessorProgress;
import org.axonframework.eventhandling.EventProcessor;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The versions that are not live and are being fed: each with its index, its processor and samples of its progress. */
final class FedVersions {

    private static final Logger LOG = Logger.getLogger(FedVersions.class.getName());
    private static final int SAMPLES = 20;

    /** A version, the index it feeds, the processor that feeds it, and (nanoTime, position) samples, oldest first. */
    record Fed(IndexVersion version, VectorIndex index, VersionFeeds.Feed feed, Deque<long[]> samples) {
    }

    private final Map<String, Fed> fed = new ConcurrentHashMap<>();

    void add(IndexVersion version, VectorIndex index, VersionFeeds.Feed feed) {
        fed.put(key(version.space(), version.version()), new Fed(version, index, feed, new ArrayDeque<>()));
    }

    Optional<Fed> find(String space, int version) {
        return Optional.ofNullable(fed.get(key(space, version)));
    }

    /** The version being fed, or a 404 naming it. */
    Fed require(String space, int version) {
        return find(space, version).orElseThrow(() -> new NoSuchVersionException("space '" + space
                + "' has no index version " + version + "; GET /v1/admin/indexes lists them"));
    }

    Optional<Fed> remove(String space, int version) {
        return Optional.ofNullable(fed.remove(key(space, version)));
    }

    Collection<Fed> all() {
        return fed.values();
    }

    /** Notes where each processor stands now, keeping the last {@value #SAMPLES} samples. */
    void sample() {
        long now = System.nanoTime();
        for (Fed running : fed.values()) {
            running.samples().addLast(new long[]{now, ProcessorProgress.lowestPosition(running.feed().processor())});
            while (running.samples().size() > SAMPLES) {
                running.samples().removeFirst();
            }
        }
    }

    /** Their dead letters, by processor name. */
    Map<String, DeadLetters> deadLetters() {
        Map<String, DeadLetters> letters = new TreeMap<>();
        fed.values().forEach(running -> letters.put(running.feed().name(), running.feed().letters()));
        return letters;
    }

    /** Their processors, by name. */
    Map<String, EventProcessor> processors() {
        Map<String, EventProcessor> processors = new TreeMap<>();
        fed.values().forEach(running -> processors.put(running.feed().name(), running.feed().processor()));
        return processors;
    }

    /** Stops every processor and closes every index. */
    void close() {
        for (Fed running : List.copyOf(fed.values())) {
            try {
                running.feed().stop();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping " + running.feed().name(), e);
            }
            running.index().close();
        }
        fed.clear();
    }

    private static String key(String space, int version) {
        return space + "/" + version;
    }
}
