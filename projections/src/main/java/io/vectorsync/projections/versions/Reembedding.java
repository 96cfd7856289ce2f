package io.vectorsync.projections.versions;

import io.vectorsync.domain.DocumentContentRevised;
import io.vectorsync.domain.DocumentCreated;
import io.vectorsync.domain.ContentBearing;
import io.vectorsync.domain.DocumentDeleted;
import io.vectorsync.domain.DocumentErased;
import io.vectorsync.domain.DocumentEmbedded;
import io.vectorsync.domain.DocumentRestored;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.messaging.StreamableMessageSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-embedding for versions built with another model than the live one: every live document's current text is
 * embedded with that model, throttled ({@code reembedPerSecond}, 20 by default), in a thread per version. New
 * content meanwhile is embedded with both models by the encoder; a restarted job skips what an earlier run embedded.
 */
public final class Reembedding implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Reembedding.class.getName());
    private static final int DEFAULT_PER_SECOND = 20;

    /** Embeds one document's text with a model and records the embedding (a command). */
    @FunctionalInterface
    public interface Embedder {
        void embed(String space, String model, String tenant, String documentId, long contentRevision, String title,
                   String body);
    }

    /** How far a re-embedding has got; {@code total} is -1 until the documents to embed are known. */
    public record Progress(long done, long total, long failed, boolean finished, String error) {
    }

    private final StreamableMessageSource<TrackedEventMessage<?>> log;
    private final Embedder embedder;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private volatile boolean closing;

    Reembedding(StreamableMessageSource<TrackedEventMessage<?>> log, Embedder embedder) {
        this.log = log;
        this.embedder = embedder;
    }

    private static final class Job {
        volatile long total = -1;
        volatile long done;
        volatile long failed;
        volatile boolean finished;
        volatile String error;
        /** Set to stop the job between documents. Never interrupt it: an interrupt inside an H2 write closes the
         * database's file channel, and the whole store with it. */
        volatile boolean cancelled;

        Progress progress() {
            return new Progress(done, total, failed, finished, error);
        }
    }

    /** Starts embedding the space's live documents with {@code model} for {@code version}. */
    void start(IndexVersion version, String model) {
        Job job = new Job();
        jobs.put(key(version.space(), version.version()), job);
        Integer perSecond = version.settings().reembedPerSecond();
        long pauseNanos = 1_000_000_000L / (perSecond == null ? DEFAULT_PER_SECOND : perSecond);
        Thread thread = new Thread(() -> run(version.space(), model, job, pauseNanos), "reembed-" + version.group());
        thread.setDaemon(true);
        thread.start();
    }

    Optional<Progress> progress(String space, int version) {
        return Optional.ofNullable(jobs.get(key(space, version))).map(Job::progress);
    }

    /** Whether a re-embedding for the version is still under way. */
    boolean running(String space, int version) {
        Job job = jobs.get(key(space, version));
        return job != null && !job.finished;
    }

    /** Whether this node has a job for the version, running or finished. */
    boolean has(String space, int version) {
        return jobs.containsKey(key(space, version));
    }

    /** How many live documents still have no embedding of {@code model} for their current content, from the log. */
    long remaining(String space, String model) {
        try {
            return needingEmbedding(space, model).size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the log", e);
        }
    }

    /** Stops the version's job, if any, and forgets it. */
    void cancel(String space, int version) {
        Job job = jobs.remove(key(space, version));
        if (job != null) {
            job.cancelled = true;
        }
    }

    /** Forgets a finished job (its version went live). */
    void forget(String space, int version) {
        jobs.remove(key(space, version));
    }

    private void run(String space, String model, Job job, long pauseNanos) {
        try {
            List<Text> documents = needingEmbedding(space, model);
            job.total = documents.size();
            for (Text document : documents) {
                if (closing || job.cancelled) {
                    return;
                }
                long started = System.nanoTime();
                try {
                    embedder.embed(space, model, document.tenant(), document.documentId(), document.contentRevision(),
                            document.title(), document.body());
                } catch (RuntimeException e) {
                    job.failed++;
                    LOG.log(Level.WARNING, "re-embedding " + document.tenant() + "/" + document.documentId() + ": "
                            + e.getMessage(), e);
                }
                job.done++;
                long until = started + pauseNanos;
                while (System.nanoTime() < until && !job.cancelled && !closing) {
                    Thread.sleep(Math.max(1, Math.min(50, (until - System.nanoTime()) / 1_000_000)));
                }
            }
            job.finished = true;
            LOG.info(() -> "re-embedded " + job.done + " documents of space '" + space + "' with " + model
                    + (job.failed > 0 ? ", " + job.failed + " failed" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            job.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.WARNING, "re-embedding space '" + space + "' with " + model + " failed", e);
        }
    }

    private record Text(String tenant, String documentId, long contentRevision, String title, String body) {
    }

    /** Live documents whose current content has no embedding of {@code model} in the space yet, from the log. */
    private List<Text> needingEmbedding(String space, String model) throws InterruptedException {
        Map<String, Text> current = new LinkedHashMap<>();
        Map<String, Long> embedded = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = log.openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (!(event instanceof DomainEventMessage<?> domain)) {
                    continue;
                }
                long revision = domain.getSequenceNumber() + 1;
                switch (event.getPayload()) {
                    // content gone: the document was erased since (a DocumentErased follows)
                    case ContentBearing e when e.contentErased() -> deleted.add(e.tenant() + "/" + e.documentId());
                    case DocumentErased e -> deleted.add(e.tenant() + "/" + e.documentId());
                    case DocumentCreated e -> content(current, deleted, new Text(e.tenant(), e.documentId(), revision,
                            e.title(), e.body()));
                    case DocumentContentRevised e -> content(current, deleted, new Text(e.tenant(), e.documentId(),
                            revision, e.title(), e.body()));
                    case DocumentRestored e -> content(current, deleted, new Text(e.tenant(), e.documentId(), revision,
                            e.title(), e.body()));
                    case DocumentDeleted e -> deleted.add(e.tenant() + "/" + e.documentId());
                    case DocumentEmbedded e when e.space().equals(space) && e.model().equals(model) ->
                            embedded.merge(e.tenant() + "/" + e.documentId(), e.contentRevision(), Math::max);
                    default -> {
                    }
                }
            }
        }
        return current.entrySet().stream()
                .filter(entry -> !deleted.contains(entry.getKey())
                        && embedded.getOrDefault(entry.getKey(), -1L) < entry.getValue().contentRevision())
                .map(Map.Entry::getValue)
                .toList();
    }

    private static void content(Map<String, Text> current, Set<String> deleted, Text text) {
        String key = text.tenant() + "/" + text.documentId();
        deleted.remove(key);
        current.put(key, text);
    }

    private static String key(String space, int version) {
        return space + "/" + version;
    }

    @Override
    public void close() {
        closing = true;
        jobs.values().forEach(job -> job.cancelled = true);
    }
}
