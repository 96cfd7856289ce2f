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

    /**
     * Follows the registry, which other projector nodes change too: stops feeding (and closes) each version that is no
     * longer registered or has become live, and starts feeding each registered version that is not live and that
     * {@code feedable} lets this node feed (through {@code start}, from the version's own tokens).
     */
    void follow(List<IndexVersion> registered, java.util.function.Predicate<IndexVersion> feedable,
                java.util.function.Consumer<IndexVersion> start) {
        for (Fed running : List.copyOf(fed.values())) {
            IndexVersion version = running.version();
            boolean stays = registered.stream().anyMatch(v -> v.space().equals(version.space())
                    && v.version() == version.version() && v.role() != Role.LIVE);
            if (!stays) {
                fed.remove(key(version.space(), version.version()));
                running.feed().stop();
                running.index().close();
                LOG.info(() -> "space '" + version.space() + "': version " + version.version() + " is no longer "
                        + "fed on this node (made live or dropped on another)");
            }
        }
        for (IndexVersion version : registered) {
            if (version.role() != Role.LIVE && !fed.containsKey(key(version.space(), version.version()))
                    && feedable.test(version)) {
                start.accept(version);
                LOG.info(() -> "space '" + version.space() + "': this node feeds version " + version.version() + " ("
                        + version.role().wireName() + ") too");
            }
        }
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
