package io.vectorsync.app;

import io.vectorsync.store.WakingEventSource;

import io.vectorsync.command.api.ApiException;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.IndexVersionRecord;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.ProcessorProgress;
import io.vectorsync.domain.InvalidInputException;
import io.vectorsync.json.Json;
import io.vectorsync.json.JsonInput;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.lucene.LuceneVectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import io.vectorsync.projections.vectorindex.VectorIndexProjectionModule;
import io.vectorsync.ui.admin.DeadLetterAdmin;
import io.vectorsync.ui.admin.IndexVersionControl;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Blue/green versions of each space's index. The live version is the one searches read and the
 * {@code vector-index} processor writes ({@link VectorIndexes}); every other version has a processor of its
 * own, {@code index-<space>-v<N>}, that feeds it from the event log: a version being built replays the whole
 * log (and keeps receiving new changes), a previous version kept for rollback follows the log from the
 * moment it stopped being live. So any version can become live at any time without losing a write.
 * <p>
 * A swap pauses {@code vector-index}, waits until the new version's processor has passed everything
 * {@code vector-index} had written, makes the new version live (OpenSearch: both aliases move in one call;
 * Lucene: the open index object is handed over), starts a processor for the old version from exactly the
 * tokens {@code vector-index} stopped at, and resumes {@code vector-index}, which goes on writing into the new
 * version. The hot-vector cache keeps searches fresh during that pause. The registry of versions is stored
 * in the event store's database, so builds resume after a restart.
 */
final class IndexVersions implements IndexVersionControl, AutoCloseable {

    static final String LIVE = "live";
    static final String BUILDING = "building";
    static final String PREVIOUS = "previous";
    /** Built from the events up to a cut (a position or a time), read-only, searched by number. */
    static final String POINT_IN_TIME = "pointInTime";
    private static final Set<String> SETTING_FIELDS = Set.of("hnswM", "hnswEfConstruction", "efSearch",
            "quantization", "shards", "replicas", "autoSwap", "until", "model", "reembedPerSecond");
    private static final Duration SWAP_WAIT = Duration.ofSeconds(30);
    /** How long a swap waits for a version that is behind the head of the log to catch up before refusing. */
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(IndexVersions.class.getName());

    private final Settings settings;
    private final EventStoreDatabase database;
    private final LogPositions log;
    private final VectorIndexes live;
    private final Configuration axon;
    private final StreamableMessageSource<TrackedEventMessage<?>> source;
    private final Map<String, Fed> fed = new ConcurrentHashMap<>();
    private final Map<String, Reembedding> jobs = new ConcurrentHashMap<>();
    private final io.vectorsync.command.encoder.EmbeddingSpaces spaces;
    private final SpaceModels models;
    private volatile boolean closing;
    private final ScheduledExecutorService monitor;
    private final Clock clock = Clock.systemUTC();

    /** A version that is not live, with the processor that feeds it and samples of its progress. */
    private record Fed(String space, int version, VectorIndex index, PooledStreamingEventProcessor processor,
                       ScheduledExecutorService coordinator, ScheduledExecutorService workers, Deque<long[]> samples,
                       DeadLetterAdmin.Letters letters) {
    }

    /** A re-embedding of a space's live documents with a version's model: counts, and whether it is done. */
    private static final class Reembedding {
        volatile long total = -1;
        volatile long done;
        volatile long failed;
        volatile boolean finished;
        volatile String error;
        volatile Thread thread;
        /** Set to stop the job between documents. Never interrupt it: an interrupt inside an H2 write closes the
         * database's file channel, and the whole store with it. */
        volatile boolean cancelled;
    }

    IndexVersions(Settings settings, EventStoreDatabase database, LogPositions log, VectorIndexes live, Configuration axon,
                  StreamableMessageSource<TrackedEventMessage<?>> source,
                  io.vectorsync.command.encoder.EmbeddingSpaces spaces, SpaceModels models) {
        this.spaces = spaces;
        this.models = models;
        this.settings = settings;
        this.database = database;
        this.log = log;
        this.live = live;
        this.axon = axon;
        this.source = source;
        this.monitor = Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("index-versions"));
        for (IndexVersionRecord version : database.indexVersions()) {
            if (!live.has(version.space())) {
                LOG.warning(() -> "index version " + version.version() + " of space '" + version.space()
                        + "' is registered, but the space is no longer configured; left alone");
            } else if (!version.role().equals(LIVE)) {
                start(version, null); // resumes from its tokens
                startReembedding(version); // skips what an earlier run already embedded
            }
        }
        monitor.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * The live version of a space: on OpenSearch the physical index behind the aliases (a replay moves them to a
     * new one), on Lucene the registry's.
     */
    @Override
    public int liveVersionOf(String space) {
        requireSpace(space);
        return live.forSpace(space) instanceof OpenSearchVectorIndex opensearch
                ? opensearch.indexVersion() : liveVersion(database, space);
    }

    /** The live version of a space as the registry has it; 1 before any rebuild. */
    static int liveVersion(EventStoreDatabase database, String space) {
        return database.indexVersions().stream()
                .filter(v -> v.space().equals(space) && v.role().equals(LIVE))
                .mapToInt(IndexVersionRecord::version).findFirst().orElse(1);
    }

    /** Where a Lucene version lives: {@code index/<space>} for version 1, {@code index/<space>.v<N>} after. */
    static Path luceneDirectory(Path dataDir, String space, int version) {
        return dataDir.resolve("index").resolve(version == 1 ? space : space + ".v" + version);
    }

    /** The HNSW settings a Lucene version was built with (the configured ones for version 1). */
    static HnswSettings luceneHnsw(Settings settings, EventStoreDatabase database, String space, int version) {
        return database.indexVersions().stream()
                .filter(v -> v.space().equals(space) && v.version() == version)
                .findFirst()
                .map(v -> JsonInput.parse(v.settings(), "settings"))
                .map(s -> new HnswSettings(
                        Optional.ofNullable(s.optionalInt("hnswM")).orElse(settings.hnswM()),
                        Optional.ofNullable(s.optionalInt("hnswEfConstruction")).orElse(settings.hnswEfConstruction()),
                        Optional.ofNullable(s.optionalInt("efSearch")).orElse(settings.hnswEfSearch()),
                        s.optionalString("quantization") == null ? HnswSettings.Quantization.NONE
                                : HnswSettings.Quantization.of(s.optionalString("quantization"))))
                .orElse(new HnswSettings(settings.hnswM(), settings.hnswEfConstruction(), settings.hnswEfSearch()));
    }

    /** Every space: its live version and the others with their role, settings and progress. */
    @Override
    public JsonObject describe() {
        var spaces = Json.createArrayBuilder();
        List<IndexVersionRecord> records = database.indexVersions();
        for (VectorIndex index : live.all()) {
            String space = index.space().name();
            int liveVersion = liveVersionOf(space);
            var versions = Json.createArrayBuilder();
            String liveModel = models.live(space);
            var liveRow = Json.createObjectBuilder().add("version", liveVersion).add("role", LIVE)
                    .add("processor", Vectorsync.VECTOR_INDEX_GROUP);
            records.stream().filter(r -> r.space().equals(space) && r.version() == liveVersion).findFirst()
                    .ifPresent(r -> liveRow.add("settings", JsonInput.parse(r.settings(), "settings").raw())
                            .add("createdAt", r.createdAt().toString()));
            versions.add(where(space, liveVersion, liveModel == null ? liveRow : liveRow.add("model", liveModel)));
            for (IndexVersionRecord record : records) {
                if (record.space().equals(space) && !record.role().equals(LIVE)) {
                    versions.add(where(space, record.version(), Json.createObjectBuilder(describe(record))));
                }
            }
            var embedding = this.spaces.require(space, "space");
            var row = Json.createObjectBuilder();
            if (index instanceof OpenSearchVectorIndex opensearch) {
                // searches read the read alias, the live processor writes the write alias; a swap moves both
                row.add("aliases", Json.createObjectBuilder().add("read", opensearch.layout().readAlias())
                        .add("write", opensearch.layout().writeAlias())
                        .add("index", opensearch.layout().physical(liveVersion)));
            }
            spaces.add(row.add("space", space).add("liveVersion", liveVersion)
                    .add("dimension", embedding.dimension()).add("metric", embedding.metric())
                    // what a rebuild's "model" may name: the in-process models (none for client vectors)
                    .add("models", Json.createArrayBuilder(embedding.embedsInProcess() ? Vectorsync.MODELS : List.of()))
                    .add("versions", versions));
        }
        return Json.createObjectBuilder().add("spaces", spaces).build();
    }

    /** Where a version's entries are: its OpenSearch index, or its Lucene directory. */
    private JsonObjectBuilder where(String space, int version, JsonObjectBuilder row) {
        return live.forSpace(space) instanceof OpenSearchVectorIndex opensearch
                ? row.add("index", opensearch.layout().physical(version))
                : row.add("directory", luceneDirectory(settings.dataDir(), space, version).toString());
    }

    private JsonObject describe(IndexVersionRecord record) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("version", record.version())
                .add("role", record.role())
                .add("settings", JsonInput.parse(record.settings(), "settings").raw())
                .add("createdAt", record.createdAt().toString())
                .add("processor", group(record.space(), record.version()))
                .add("model", models.modelOf(record));
        Reembedding job = jobs.get(key(record.space(), record.version()));
        if (job != null) {
            JsonObjectBuilder reembedding = Json.createObjectBuilder().add("documentsDone", job.done)
                    .add("documentsTotal", job.total).add("failed", job.failed).add("finished", job.finished);
            if (job.error != null) {
                reembedding.add("error", job.error);
            }
            body.add("reembedding", reembedding);
        }
        Fed running = fed.get(key(record.space(), record.version()));
        if (running != null) {
            long head = log.headPosition();
            long position = ProcessorProgress.lowestPosition(running.processor);
            // positions count from 1: the event at position p is the p-th (up to gaps)
            long done = Math.max(0, position);
            long total = Math.max(0, head);
            JsonObjectBuilder progress = Json.createObjectBuilder()
                    .add("position", position)
                    .add("head", head)
                    .add("eventsDone", Math.min(done, total))
                    .add("eventsTotal", total)
                    .add("caughtUp", caughtUp(record.space(), record.version(), running.processor, head));
            running.processor.processingStatus().values().stream().filter(EventTrackerStatus::isErrorState)
                    .findFirst().ifPresent(failed -> progress.add("error", failed.getError() == null ? "unknown error"
                            : failed.getError().getClass().getSimpleName() + ": " + failed.getError().getMessage()));
            double rate = rate(running.samples);
            progress.add("eventsPerSecond", Math.round(rate * 10) / 10.0);
            if (rate > 0 && total > done) {
                progress.add("secondsLeft", Math.round((total - done) / rate));
            }
            body.add("progress", progress);
        }
        return body.build();
    }

    /**
     * Creates the next version of a space's index with {@code request}'s settings (the configured ones where it
     * says nothing) and starts replaying the whole log into it; the live version keeps serving meanwhile.
     */
    @Override
    public synchronized JsonObject rebuild(String space, String request) {
        requireSpace(space);
        SpaceSpec spec = live.forSpace(space).space();
        JsonInput input = JsonInput.parse(request == null || request.isBlank() ? "{}" : request, "body")
                .allowOnly(SETTING_FIELDS);
        JsonObject versionSettings = validated(input, space);
        int version = Stream.concat(Stream.of(liveVersionOf(space), nextFree(space) - 1),
                        database.indexVersions().stream().filter(v -> v.space().equals(space))
                                .map(IndexVersionRecord::version))
                .max(Comparator.naturalOrder()).orElse(1) + 1;
        String role = versionSettings.containsKey("until") ? POINT_IN_TIME : BUILDING;
        IndexVersionRecord record = new IndexVersionRecord(space, version, role, versionSettings.toString(),
                clock.instant());
        database.saveIndexVersions(List.of(record));
        models.refresh(database); // the encoder embeds new content with this version's model too, from now on
        start(record, null);
        startReembedding(record);
        LOG.info(() -> "rebuilding space '" + space + "' into version " + version + " with " + versionSettings
                + " (" + spec.dimension() + " dimensions)");
        return describe(record);
    }

    private JsonObject validated(JsonInput input, String spaceName) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        requireAtLeast(input, "hnswM", 2, out);
        requireAtLeast(input, "hnswEfConstruction", 1, out);
        requireAtLeast(input, "efSearch", 1, out);
        requireAtLeast(input, "shards", 1, out);
        requireAtLeast(input, "replicas", 0, out);
        String quantization = input.optionalString("quantization");
        if (quantization != null) {
            if (settings.indexKind().equals("opensearch")) {
                if (!quantization.equals("none") && !quantization.equals("sq")) {
                    throw new InvalidInputException(input.pathOf("quantization"), "must be 'none' or 'sq' on OpenSearch");
                }
            } else {
                try {
                    HnswSettings.Quantization.of(quantization);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(input.pathOf("quantization"), "must be 'none', 'int7', 'int4' or "
                            + "'bbq' on the embedded index");
                }
            }
            out.add("quantization", quantization);
        }
        Boolean autoSwap = input.optionalBoolean("autoSwap");
        out.add("autoSwap", autoSwap != null && autoSwap);
        String model = input.optionalString("model");
        if (model != null) {
            var space = spaces.require(spaceName, "space");
            if (!space.embedsInProcess()) {
                throw new InvalidInputException(input.pathOf("model"), "space '" + spaceName + "' takes its vectors from "
                        + "the content system; there is no model to move it to");
            }
            try {
                spaces.modelById(model, space);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(input.pathOf("model"), e.getMessage());
            }
            out.add("model", model);
        }
        Integer perSecond = input.optionalInt("reembedPerSecond");
        if (perSecond != null) {
            if (perSecond < 1) {
                throw new InvalidInputException(input.pathOf("reembedPerSecond"), "must be at least 1");
            }
            out.add("reembedPerSecond", perSecond);
        }
        JsonInput until = input.optionalObject("until");
        if (until != null) {
            until.allowOnly(Set.of("position", "timestamp"));
            Long position = until.optionalLong("position");
            String timestamp = until.optionalString("timestamp");
            if ((position == null) == (timestamp == null)) {
                throw new InvalidInputException(until.path(), "needs exactly one of 'position' (a log position) or "
                        + "'timestamp' (ISO-8601, e.g. 2026-11-01T00:00:00Z)");
            }
            if (position != null && position < 0) {
                throw new InvalidInputException(until.pathOf("position"), "must be 0 or more");
            }
            if (timestamp != null) {
                try {
                    timestamp = Instant.parse(timestamp).toString();
                } catch (java.time.format.DateTimeParseException e) {
                    throw new InvalidInputException(until.pathOf("timestamp"), "must be an ISO-8601 instant such as "
                            + "2026-11-01T00:00:00Z, got '" + timestamp + "'");
                }
            }
            if (autoSwap != null && autoSwap) {
                throw new InvalidInputException(input.pathOf("autoSwap"), "a point-in-time version is read-only; it "
                        + "never becomes live");
            }
            out.add("until", position != null ? Json.createObjectBuilder().add("position", position)
                    : Json.createObjectBuilder().add("timestamp", timestamp));
        }
        boolean opensearchOnly = input.has("shards") || input.has("replicas");
        if (opensearchOnly && !settings.indexKind().equals("opensearch")) {
            throw new InvalidInputException("body", "shards and replicas are settings of an OpenSearch index; this "
                    + "node's index kind is " + settings.indexKind());
        }
        return out.build();
    }

    private static void requireAtLeast(JsonInput input, String field, int min, JsonObjectBuilder out) {
        Integer value = input.optionalInt(field);
        if (value != null) {
            if (value < min) {
                throw new InvalidInputException(input.pathOf(field), "must be at least " + min + ", got " + value);
            }
            out.add(field, value);
        }
    }

    /** Opens the version's index and starts its processor: from the start of the log, or from {@code tokens}. */
    private void start(IndexVersionRecord record, Map<Integer, TrackingToken> tokens) {
        VectorIndex index = open(record);
        startFeeding(record, index, tokens);
    }

    private void startFeeding(IndexVersionRecord record, VectorIndex index, Map<Integer, TrackingToken> tokens) {
        String group = group(record.space(), record.version());
        TokenStore tokenStore = axon.eventProcessingConfiguration().tokenStore(group);
        TransactionManager transactions = axon.getComponent(TransactionManager.class);
        if (tokens != null) {
            // exactly where vector-index stopped: the version misses nothing and repeats nothing
            transactions.executeInTransaction(() -> {
                int[] segments = tokenStore.fetchSegments(group);
                if (segments.length == 0) {
                    for (Map.Entry<Integer, TrackingToken> token : tokens.entrySet()) {
                        tokenStore.initializeSegment(token.getValue(), group, token.getKey());
                    }
                }
            });
        }
        ScheduledExecutorService coordinator = Executors.newScheduledThreadPool(1, new AxonThreadFactory("Coordinator[" + group + "]"));
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(2, new AxonThreadFactory("WorkPackage[" + group + "]"));
        // as for vector-index: an event the version cannot take waits as a dead letter (with the document's later
        // ones) instead of stopping the whole build; a version with dead letters does not go live
        SequencedDeadLetterQueue<EventMessage<?>> queue = database.deadLetterQueue(group, axon.eventSerializer());
        DeadLetteringEventHandlerInvoker invoker = DeadLetteringEventHandlerInvoker.builder()
                .eventHandlers(VectorIndexProjectionModule.projectionOf(VectorIndexes.of(List.of(index)),
                        models.modelOf(record)))
                .queue(queue)
                .enqueuePolicy(DeadLetterAdmin.countingAttempts())
                .enableSequenceIdentifierCache()
                .transactionManager(transactions)
                .build();
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(group)
                .eventHandlerInvoker(invoker)
                .rollbackConfiguration(RollbackConfigurationType.ANY_THROWABLE)
                .errorHandler(PropagatingErrorHandler.instance())
                .messageSource(source)
                .tokenStore(tokenStore)
                .transactionManager(transactions)
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(settings.segments())
                .maxClaimedSegments(settings.segments())
                // a rebuild replays the whole log: larger batches, fewer index commits
                .batchSize(Math.max(settings.batchSize(), 500))
                .initialToken(StreamableMessageSource::createTailToken)
                .build();
        JsonInput until = JsonInput.parse(record.settings(), "settings").optionalObject("until");
        if (until != null) {
            // a bounded replay: events after the cut pass by unhandled, so the version is the log as it was then
            Long position = until.optionalLong("position");
            Instant time = until.optionalString("timestamp") == null ? null : Instant.parse(until.optionalString("timestamp"));
            processor.registerHandlerInterceptor((unitOfWork, chain) -> {
                var event = unitOfWork.getMessage();
                boolean after = position != null
                        ? event instanceof TrackedEventMessage<?> tracked
                                && tracked.trackingToken().position().orElse(Long.MAX_VALUE) > position
                        : event.getTimestamp().isAfter(time);
                return after ? null : chain.proceed();
            });
        }
        fed.put(key(record.space(), record.version()),
                new Fed(record.space(), record.version(), index, processor, coordinator, workers, new ArrayDeque<>(),
                        new DeadLetterAdmin.Letters(queue, invoker)));
        processor.start();
    }

    private VectorIndex open(IndexVersionRecord record) {
        SpaceSpec space = live.forSpace(record.space()).space();
        if (settings.indexKind().equals("opensearch")) {
            return OpenSearchVectorIndex.openVersion(space, opensearchSettings(record), record.version());
        }
        return LuceneVectorIndex.open(space, luceneDirectory(settings.dataDir(), record.space(), record.version()),
                luceneHnsw(settings, database, record.space(), record.version()));
    }

    private OpenSearchSettings opensearchSettings(IndexVersionRecord record) {
        OpenSearchSettings base = settings.opensearch();
        JsonInput s = JsonInput.parse(record.settings(), "settings");
        OpenSearchSettings.KnnMethod knn = base.knn();
        knn = new OpenSearchSettings.KnnMethod(knn.engine(),
                Optional.ofNullable(s.optionalInt("hnswM")).orElse(knn.m()),
                Optional.ofNullable(s.optionalInt("hnswEfConstruction")).orElse(knn.efConstruction()),
                Optional.ofNullable(s.optionalInt("efSearch")).orElse(knn.efSearch()),
                s.optionalString("quantization") == null ? knn.quantization()
                        : OpenSearchSettings.Quantization.valueOf(s.optionalString("quantization").toUpperCase(java.util.Locale.ROOT)));
        return base.withKnn(knn).withShards(Optional.ofNullable(s.optionalInt("shards")).orElse(base.shards()),
                Optional.ofNullable(s.optionalInt("replicas")).orElse(base.replicas()));
    }

    /**
     * Makes {@code version} the live index of {@code space}; the version that was live becomes the previous
     * one, kept up to date for a rollback (which is a swap back).
     */
    @Override
    public synchronized JsonObject swap(String space, int version) {
        IndexVersionRecord record = record(space, version);
        if (record.role().equals(POINT_IN_TIME)) {
            throw ApiException.conflict("version " + version + " of space '" + space + "' is a point-in-time build: "
                    + "read-only, searched with \"indexVersion\": " + version + "; it never becomes live");
        }
        Fed target = fed.get(key(space, version));
        if (target == null) {
            throw ApiException.conflict("version " + version + " of space '" + space + "' is " + record.role()
                    + "; only a version being built or kept for rollback can become live");
        }
        long letters = target.letters.queue().size();
        if (letters > 0) {
            throw ApiException.conflict("version " + version + " of space '" + space + "' has " + letters + " dead "
                    + "letter" + (letters == 1 ? "" : "s") + ": retry or evict them first (GET /v1/admin/dead-letters/"
                    + group(space, version) + ") so that it goes live with every document");
        }
        int oldVersion = liveVersionOf(space);
        IndexVersionRecord wasLive = record(space, oldVersion); // before the aliases move
        EventProcessor indexer = axon.eventProcessingConfiguration().eventProcessor(Vectorsync.VECTOR_INDEX_GROUP)
                .orElseThrow();
        if (!awaitCaughtUp(space, version, target.processor, log.headPosition())) {
            throw ApiException.conflict("version " + version + " of space '" + space + "' has not caught up with the "
                    + "log yet; see its progress, or rebuild with autoSwap to swap once it has");
        }
        indexer.shutDown();
        try {
            TokenStore tokens = axon.eventProcessingConfiguration().tokenStore(Vectorsync.VECTOR_INDEX_GROUP);
            TransactionManager transactions = axon.getComponent(TransactionManager.class);
            Map<Integer, TrackingToken> stoppedAt = new java.util.TreeMap<>();
            transactions.executeInTransaction(() -> {
                for (int segment : tokens.fetchSegments(Vectorsync.VECTOR_INDEX_GROUP)) {
                    stoppedAt.put(segment, tokens.fetchToken(Vectorsync.VECTOR_INDEX_GROUP, segment));
                    tokens.releaseClaim(Vectorsync.VECTOR_INDEX_GROUP, segment);
                }
            });
            // not just as far: every event vector-index has seen, the version must have seen too — an event
            // committed late (a gap in the tokens) may be behind a version that is past its position
            awaitCovering(target.processor, stoppedAt);
            target.processor.shutDown();
            shutdown(target);
            fed.remove(key(space, version));

            VectorIndex previous;
            if (target.index instanceof OpenSearchVectorIndex opensearch) {
                try {
                    opensearch.promote();
                } catch (RuntimeException e) {
                    // the aliases move in one call, so they have not: the swap is off, live is untouched, and the
                    // version goes on following the log from where it stopped, ready for the next attempt
                    startFeeding(record, target.index, null);
                    throw e;
                }
                opensearch.close();
                previous = OpenSearchVectorIndex.openVersion(live.forSpace(space).space(),
                        opensearchSettings(wasLive), oldVersion);
            } else {
                previous = live.replace(target.index);
            }
            IndexVersionRecord old = new IndexVersionRecord(space, oldVersion, PREVIOUS, wasLive.settings(),
                    wasLive.createdAt());
            // the new live version's build tokens go: should it become a previous version again, it follows
            // the log from where it stops being live, not from where its build ended
            database.deleteTokens(group(space, version));
            for (IndexVersionRecord stale : database.indexVersions()) { // a live row a replay left behind
                if (stale.space().equals(space) && stale.role().equals(LIVE) && stale.version() != oldVersion) {
                    database.deleteIndexVersion(space, stale.version(), group(space, stale.version()));
                    database.deadLetterQueue(group(space, stale.version()), axon.eventSerializer()).clear();
                }
            }
            database.saveIndexVersions(List.of(new IndexVersionRecord(space, version, LIVE, record.settings(),
                    record.createdAt()), old));
            models.refresh(database); // queries are embedded with the new live version's model from now on
            jobs.remove(key(space, version));
            startFeeding(old, previous, stoppedAt);
            LOG.info(() -> "space '" + space + "': version " + version + " is live, version " + oldVersion
                    + " follows the log for a rollback");
        } finally {
            indexer.start();
        }
        return describe();
    }

    /**
     * For a version being built with another model than the live one: embeds every live document's current text
     * with that model, throttled ({@code reembedPerSecond}, 20 by default), in a thread of its own. New content
     * meanwhile is embedded with both models by the encoder.
     */
    private void startReembedding(IndexVersionRecord record) {
        String model = models.modelOf(record);
        if (!record.role().equals(BUILDING) || model == null || model.equals(models.live(record.space()))) {
            return;
        }
        Reembedding job = new Reembedding();
        jobs.put(key(record.space(), record.version()), job);
        Integer perSecond = JsonInput.parse(record.settings(), "settings").optionalInt("reembedPerSecond");
        long pauseNanos = 1_000_000_000L / (perSecond == null ? 20 : perSecond);
        Thread thread = new Thread(() -> reembed(record.space(), model, job, pauseNanos),
                "reembed-" + group(record.space(), record.version()));
        thread.setDaemon(true);
        job.thread = thread;
        thread.start();
    }

    private void reembed(String space, String modelId, Reembedding job, long pauseNanos) {
        try {
            var embeddingSpace = spaces.require(space, "space");
            var model = spaces.modelById(modelId, embeddingSpace);
            List<ReembedDocument> documents = needingEmbedding(space, modelId);
            job.total = documents.size();
            for (ReembedDocument document : documents) {
                if (closing || job.cancelled) {
                    return;
                }
                long started = System.nanoTime();
                try {
                    io.vectorsync.command.encoder.Encoder.embed(spaces, axon.commandGateway(), space, model,
                            document.tenant(), document.documentId(), document.contentRevision(), document.title(),
                            document.body());
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
            LOG.info(() -> "re-embedded " + job.done + " documents of space '" + space + "' with " + modelId
                    + (job.failed > 0 ? ", " + job.failed + " failed" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            job.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.WARNING, "re-embedding space '" + space + "' with " + modelId + " failed", e);
        }
    }

    private record ReembedDocument(String tenant, String documentId, long contentRevision, String title, String body) {
    }

    /** Live documents whose current content has no embedding of {@code model} in the space yet, from the log. */
    private List<ReembedDocument> needingEmbedding(String space, String model) throws InterruptedException {
        Map<String, ReembedDocument> current = new java.util.LinkedHashMap<>();
        Map<String, Long> embedded = new java.util.HashMap<>();
        java.util.Set<String> deleted = new java.util.HashSet<>();
        try (var stream = axon.eventStore().openStream(null)) {
            while (stream.hasNextAvailable()) {
                var event = stream.nextAvailable();
                if (!(event instanceof org.axonframework.eventhandling.DomainEventMessage<?> domain)) {
                    continue;
                }
                long revision = domain.getSequenceNumber() + 1;
                switch (event.getPayload()) {
                    case io.vectorsync.domain.DocumentCreated e -> content(current, deleted, e.tenant(), e.documentId(), revision, e.title(), e.body());
                    case io.vectorsync.domain.DocumentContentRevised e -> content(current, deleted, e.tenant(), e.documentId(), revision, e.title(), e.body());
                    case io.vectorsync.domain.DocumentRestored e -> content(current, deleted, e.tenant(), e.documentId(), revision, e.title(), e.body());
                    case io.vectorsync.domain.DocumentDeleted e -> deleted.add(e.tenant() + "/" + e.documentId());
                    case io.vectorsync.domain.DocumentEmbedded e when e.space().equals(space) && e.model().equals(model) ->
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

    private static void content(Map<String, ReembedDocument> current, java.util.Set<String> deleted, String tenant,
                                String documentId, long revision, String title, String body) {
        String key = tenant + "/" + documentId;
        deleted.remove(key);
        current.put(key, new ReembedDocument(tenant, documentId, revision, title, body));
    }

    /** The model whose embeddings a version takes (null: any): what its drift check compares. */
    @Override
    public String modelFilter(String space, int version) {
        requireSpace(space);
        if (version == liveVersionOf(space)) {
            return models.liveFilter(space);
        }
        return models.modelOf(record(space, version));
    }

    /** The model whose vectors a version holds, to embed a query for it with; null for the live one's. */
    String queryModel(String space, int version) {
        requireSpace(space);
        return version == liveVersionOf(space) ? null : models.modelOf(record(space, version));
    }

    /** The index of a version for a search: the live one, or one being fed; 404 for any other. */
    @Override
    public VectorIndex index(String space, int version) {
        requireSpace(space);
        if (version == liveVersionOf(space)) {
            return live.forSpace(space);
        }
        Fed running = fed.get(key(space, version));
        if (running == null) {
            throw new io.helidon.http.NotFoundException("space '" + space + "' has no index version " + version
                    + "; GET /v1/admin/indexes lists them");
        }
        return running.index;
    }

    /**
     * One document as every version of a space's index holds it now: its version there (tombstones included),
     * and for a live entry its title, model and passages — what the console's document inspector shows beside the
     * document's events. A version that is registered but not being fed says so.
     */
    @Override
    public JsonObject document(String space, String tenant, String documentId) {
        requireSpace(space);
        var rows = Json.createArrayBuilder();
        int liveVersion = liveVersionOf(space);
        List<IndexVersionRecord> records = new java.util.ArrayList<>();
        records.add(new IndexVersionRecord(space, liveVersion, LIVE, "{}", java.time.Instant.EPOCH));
        database.indexVersions().stream()
                .filter(r -> r.space().equals(space) && r.version() != liveVersion && !r.role().equals(LIVE))
                .forEach(records::add);
        for (IndexVersionRecord record : records) {
            JsonObjectBuilder row = Json.createObjectBuilder().add("version", record.version()).add("role", record.role());
            VectorIndex index = record.version() == liveVersion ? live.forSpace(space)
                    : java.util.Optional.ofNullable(fed.get(key(space, record.version()))).map(f -> f.index).orElse(null);
            if (index == null) {
                rows.add(row.add("state", "unavailable"));
                continue;
            }
            java.util.OptionalLong held = index.version(tenant, documentId);
            var content = index.content(tenant, documentId);
            row.add("state", content.isPresent() ? "present" : held.isPresent() ? "deleted" : "absent");
            if (held.isPresent()) {
                row.add("documentVersion", held.getAsLong());
            }
            content.ifPresent(entry -> {
                var chunks = Json.createArrayBuilder();
                entry.chunks().forEach(chunk -> chunks.add(Json.createObjectBuilder().add("index", chunk.index())
                        .add("passage", chunk.passage()).add("start", chunk.start()).add("end", chunk.end())));
                row.add("contentRevision", entry.contentRevision())
                        .add("title", entry.title() == null ? "" : entry.title())
                        .add("chunks", chunks);
                if (entry.provenance() != null && entry.provenance().model() != null) {
                    row.add("model", entry.provenance().model());
                }
            });
            rows.add(row);
        }
        return Json.createObjectBuilder().add("space", space).add("tenant", tenant).add("documentId", documentId)
                .add("versions", rows).build();
    }

    /** The dead letters of the processors feeding the versions that are not live, by processor name. */
    Map<String, DeadLetterAdmin.Letters> deadLetters() {
        Map<String, DeadLetterAdmin.Letters> letters = new java.util.TreeMap<>();
        fed.values().forEach(running -> letters.put(running.processor.getName(), running.letters));
        return letters;
    }

    /** The processors feeding the versions that are not live, by name. */
    Map<String, EventProcessor> processors() {
        Map<String, EventProcessor> processors = new java.util.TreeMap<>();
        fed.values().forEach(running -> processors.put(running.processor.getName(), running.processor));
        return processors;
    }

    EventStoreDatabase database() {
        return database;
    }

    /** How far the processor feeding a version has got: {@code vector-index} for the live one. */
    @Override
    public long processedPosition(String space, int version) {
        requireSpace(space);
        if (version == liveVersionOf(space)) {
            return ProcessorProgress.lowestPosition((PooledStreamingEventProcessor) axon.eventProcessingConfiguration()
                    .eventProcessor(Vectorsync.VECTOR_INDEX_GROUP).orElseThrow());
        }
        Fed running = fed.get(key(space, version));
        if (running == null) {
            throw new io.helidon.http.NotFoundException("space '" + space + "' has no index version " + version);
        }
        return ProcessorProgress.lowestPosition(running.processor);
    }

    /** Deletes a version that is not live: its processor stops, its tokens and its index go. */
    @Override
    public synchronized void drop(String space, int version) {
        IndexVersionRecord record = record(space, version);
        if (record.role().equals(LIVE) || version == liveVersionOf(space)) {
            throw ApiException.conflict("version " + version + " of space '" + space + "' is live; swap to another "
                    + "version first");
        }
        Fed running = fed.remove(key(space, version));
        if (running != null) {
            running.processor.shutDown();
            shutdown(running);
            if (running.index instanceof OpenSearchVectorIndex opensearch) {
                opensearch.drop();
            } else {
                running.index.close();
                deleteDirectory(luceneDirectory(settings.dataDir(), space, version));
            }
        }
        database.deleteIndexVersion(space, version, group(space, version));
        database.deadLetterQueue(group(space, version), axon.eventSerializer()).clear();
        Reembedding job = jobs.remove(key(space, version));
        if (job != null) {
            job.cancelled = true;
        }
        models.refresh(database);
        LOG.info(() -> "space '" + space + "': version " + version + " dropped");
    }

    private IndexVersionRecord record(String space, int version) {
        requireSpace(space);
        return database.indexVersions().stream()
                .filter(v -> v.space().equals(space) && v.version() == version)
                .findFirst()
                .orElseGet(() -> {
                    if (version == liveVersionOf(space)) { // live since the space was configured (or replayed)
                        return new IndexVersionRecord(space, version, LIVE, "{\"autoSwap\":false}", clock.instant());
                    }
                    throw new io.helidon.http.NotFoundException("space '" + space + "' has no index version " + version);
                });
    }

    /** Above every version that exists of the space's index (OpenSearch: its physical indexes too). */
    private int nextFree(String space) {
        return live.forSpace(space) instanceof OpenSearchVectorIndex opensearch ? opensearch.nextFreeVersion() : 1;
    }

    private void requireSpace(String space) {
        if (!live.has(space)) {
            throw new io.helidon.http.NotFoundException("no embedding space '" + space + "'");
        }
    }

    /** Samples progress, and swaps a caught-up build that asked for it. */
    private void tick() {
        try {
            long now = System.nanoTime();
            for (Fed running : fed.values()) {
                running.samples.addLast(new long[]{now, ProcessorProgress.lowestPosition(running.processor)});
                while (running.samples.size() > 20) {
                    running.samples.removeFirst();
                }
            }
            for (IndexVersionRecord record : database.indexVersions()) {
                if (record.role().equals(BUILDING) && JsonInput.parse(record.settings(), "settings")
                        .optionalBoolean("autoSwap") == Boolean.TRUE) {
                    Fed running = fed.get(key(record.space(), record.version()));
                    // one with dead letters waits for the operator to retry or evict them
                    if (running != null && caughtUp(record.space(), record.version(), running.processor,
                            log.headPosition()) && running.letters.queue().size() == 0) {
                        swap(record.space(), record.version());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "index versions: " + e.getMessage(), e);
        }
    }

    private static double rate(Deque<long[]> samples) {
        if (samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        double seconds = (last[0] - first[0]) / 1e9;
        return seconds <= 0 ? 0 : (last[1] - first[1]) / seconds;
    }


    /** The processor has passed the head, and a re-embedding for the version, if any, is done. */
    private boolean caughtUp(String space, int version, PooledStreamingEventProcessor processor, long head) {
        Reembedding job = jobs.get(key(space, version));
        return (job == null || job.finished) && ProcessorProgress.reached(processor, head);
    }

    /**
     * Whether the version has caught up with {@code head}, given {@link #CATCH_UP_WAIT} to get there: a version
     * following the log is usually a few events behind the live one (they run side by side), and a swap asked for
     * then should not fail for it. A version still re-embedding or replaying is not waited for.
     */
    private boolean awaitCaughtUp(String space, int version, PooledStreamingEventProcessor processor, long head) {
        long deadline = System.nanoTime() + CATCH_UP_WAIT.toNanos();
        while (!caughtUp(space, version, processor, head)) {
            Reembedding job = jobs.get(key(space, version));
            if ((job != null && !job.finished) || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }


    private static void awaitCovering(PooledStreamingEventProcessor processor, Map<Integer, TrackingToken> live) {
        long deadline = System.nanoTime() + SWAP_WAIT.toNanos();
        while (!covers(processor.processingStatus(), live)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(processor.getName() + " did not see every event vector-index had seen "
                        + "within " + SWAP_WAIT + "; the swap was called off and nothing changed");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + processor.getName(), e);
            }
        }
    }

    /** Whether each segment's token has seen every event the same segment of {@code live} had seen. */
    private static boolean covers(Map<Integer, EventTrackerStatus> status, Map<Integer, TrackingToken> live) {
        if (status.isEmpty()) {
            return false;
        }
        for (Map.Entry<Integer, TrackingToken> theirs : live.entrySet()) {
            if (theirs.getValue() == null) {
                continue;
            }
            EventTrackerStatus ours = status.get(theirs.getKey());
            TrackingToken token = ours == null ? null : ours.getTrackingToken();
            if (token == null || !org.axonframework.eventhandling.WrappedToken.unwrapUpperBound(token)
                    .covers(org.axonframework.eventhandling.WrappedToken.unwrapUpperBound(theirs.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static void shutdown(Fed running) {
        running.coordinator.shutdownNow();
        running.workers.shutdownNow();
    }

    private static void deleteDirectory(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    static String group(String space, int version) {
        return "index-" + space + "-v" + version;
    }

    private static String key(String space, int version) {
        return space + "/" + version;
    }

    @Override
    public void close() {
        closing = true;
        jobs.values().forEach(job -> job.cancelled = true);
        monitor.shutdownNow();
        for (Fed running : List.copyOf(fed.values())) {
            try {
                running.processor.shutDown();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping " + running.processor.getName(), e);
            }
            shutdown(running);
            running.index.close();
        }
        fed.clear();
    }
}
