package io.vectorsync.app;

import io.vectorsync.app.metrics.ScrapedMeters.Sample;
import io.vectorsync.projections.hotcache.HotVectorCache;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.versions.FeedProgress;
import io.vectorsync.projections.versions.IndexVersions;
import io.vectorsync.projections.versions.SpaceVersions;
import io.vectorsync.projections.versions.VersionState;
import io.vectorsync.store.ProcessorProgress;
import io.vectorsync.ui.admin.DeadLetterAdmin;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values Prometheus reads from the system's state at each scrape: how far behind the head of the log each of
 * this node's processors is and how many segments it claims here, what waits in each dead-letter queue, how many
 * documents each index version holds, how far each rebuild has got, the hot-vector cache's entries, hits and
 * misses, and each workload's bulkhead (requests run, refused, waiting and running).
 */
final class AppMeters {

    private final Vectorsync app;

    AppMeters(Vectorsync app) {
        this.app = app;
    }

    List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        long head = app.log().headPosition();
        samples.add(Sample.gauge("vectorsync_log_head_position", "Position of the newest event in the log", head));
        Map<String, EventProcessor> processors = processors();
        processors.forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                processor(samples, name, streaming, head);
            }
        });
        if (!processors.isEmpty()) {
            DeadLetterAdmin.queues(app.axon().eventProcessingConfiguration(),
                            app.versions().map(IndexVersions::deadLetters).orElse(Map.of()))
                    .forEach((group, queue) -> samples.add(Sample.gauge("vectorsync_dlq_entries",
                            "Events waiting in a processor's dead-letter queue", queue.size(), "processor", lower(group))));
        }
        app.versions().ifPresent(versions -> versions.describe().forEach(space -> indexVersions(samples, versions, space)));
        app.cache().ifPresent(cache -> cache(samples, cache));
        bulkheads(samples);
        return samples;
    }

    private void bulkheads(List<Sample> samples) {
        app.access().bulkheads().counts().forEach((workload, counts) -> {
            String name = lower(workload.name());
            samples.add(Sample.counter("vectorsync_bulkhead_started", "Requests a workload's bulkhead has run",
                    counts.started(), "workload", name));
            samples.add(Sample.counter("vectorsync_bulkhead_refused", "Requests a workload's bulkhead answered 429: "
                    + "its queue full, or still waiting at the deadline", counts.rejected(), "workload", name,
                    "reason", "queue-full"));
            samples.add(Sample.counter("vectorsync_bulkhead_refused", "Requests a workload's bulkhead answered 429: "
                    + "its queue full, or still waiting at the deadline", counts.shed(), "workload", name,
                    "reason", "deadline"));
            samples.add(Sample.gauge("vectorsync_bulkhead_waiting", "Requests waiting for a workload's thread",
                    counts.waiting(), "workload", name));
            samples.add(Sample.gauge("vectorsync_bulkhead_running", "Requests a workload's threads are running",
                    counts.running(), "workload", name));
        });
    }

    private Map<String, EventProcessor> processors() {
        Map<String, EventProcessor> processors = new TreeMap<>(app.axon().eventProcessingConfiguration().eventProcessors());
        app.versions().ifPresent(versions -> processors.putAll(versions.processors()));
        return processors;
    }

    private void processor(List<Sample> samples, String name, StreamingEventProcessor processor, long head) {
        String processorName = lower(name);
        long position = ProcessorProgress.lowestPosition(processor,
                app.database().storedTokens(name, app.axon().eventSerializer()));
        samples.add(Sample.gauge("vectorsync_processor_lag_events",
                "Events between the head of the log and the processor's slowest segment",
                Math.max(0, head - position), "processor", processorName));
        samples.add(Sample.gauge("vectorsync_processor_segments_claimed", "Segments of the processor this node claims",
                processor.processingStatus().size(), "processor", processorName)); // and the node, as every series
    }

    private static void indexVersions(List<Sample> samples, IndexVersions versions, SpaceVersions space) {
        for (VersionState state : space.versions()) {
            int version = state.version().version();
            String versionLabel = Integer.toString(version);
            if (version == space.liveVersion() || state.progress().isPresent()) {
                VectorIndex index = versions.index(space.space(), version);
                samples.add(Sample.gauge("vectorsync_index_documents", "Live documents an index version holds",
                        index.countAllDocuments(), "space", space.space(), "version", versionLabel));
            }
            if (state.progress().isPresent()) {
                FeedProgress progress = state.progress().get();
                samples.add(Sample.gauge("vectorsync_rebuild_events_done", "Events a version being built has replayed",
                        progress.eventsDone(), "space", space.space(), "version", versionLabel));
                samples.add(Sample.gauge("vectorsync_rebuild_events_target", "Events a version being built has to replay",
                        progress.eventsTotal(), "space", space.space(), "version", versionLabel));
                samples.add(Sample.gauge("vectorsync_rebuild_progress_ratio",
                        "Share of the log a version being built has replayed (1 once caught up)",
                        progress.caughtUp() || progress.eventsTotal() == 0 ? 1.0
                                : Math.min(1.0, (double) progress.eventsDone() / progress.eventsTotal()),
                        "space", space.space(), "version", versionLabel));
            }
        }
    }

    private void cache(List<Sample> samples, HotVectorCache cache) {
        for (VectorIndex index : app.indexes().all()) {
            String space = index.space().name();
            HotVectorCache.Stats stats = cache.stats(space);
            samples.add(Sample.gauge("vectorsync_cache_entries", "Documents in the hot-vector cache (whole cluster)",
                    stats.entries(), "space", space));
            samples.add(Sample.gauge("vectorsync_cache_memory_bytes", "Memory of the cache's entries on this member",
                    stats.memoryBytes(), "space", space));
            samples.add(Sample.counter("vectorsync_cache_hits", "Cache lookups that found the document",
                    stats.hits(), "space", space));
            samples.add(Sample.counter("vectorsync_cache_misses", "Cache lookups that did not find the document",
                    stats.misses(), "space", space));
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
