package io.vectorsync.app;

import io.vectorsync.store.WakingEventSource;

import io.vectorsync.command.commit.CommandSubmitter;
import io.vectorsync.command.commit.GroupCommitter;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.EmbeddingSpaces;
import io.vectorsync.command.encoder.Encoder;
import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.command.encoder.MiniLmQuantizedEmbeddingModel;
import io.vectorsync.command.encoder.TextEmbeddingModel;
import io.vectorsync.store.ClusterMembership;
import io.vectorsync.store.ProcessorControl;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.ProcessorProgress;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.hotcache.HotCacheSweeper;
import io.vectorsync.query.ReadYourWrites;
import io.vectorsync.projections.hotcache.HotVectorCache;
import io.vectorsync.projections.vectorindex.VectorIndexProjectionModule;
import io.vectorsync.projections.versions.IndexVersions;
import io.vectorsync.projections.versions.NoSuchVersionException;
import io.vectorsync.projections.versions.SpaceModels;
import io.vectorsync.projections.versions.VersionFeeds;
import io.vectorsync.upcasters.JsonbSerializer;
import io.vectorsync.command.api.IndexPressure;
import io.vectorsync.command.api.WriteGate;
import io.vectorsync.app.erasure.DocumentKeys;
import io.vectorsync.app.erasure.ErasureProcessing;
import io.vectorsync.app.erasure.TenantEraser;
import io.vectorsync.app.metrics.Activity;
import io.vectorsync.app.metrics.CountingSubmitter;
import io.vectorsync.app.metrics.MeteredEmbeddingModel;
import io.vectorsync.app.metrics.ProcessingMonitor;
import io.vectorsync.app.metrics.Telemetry;
import io.vectorsync.ui.access.Access;
import io.vectorsync.ui.access.AccessPolicy;
import io.vectorsync.ui.access.Bulkheads;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * The composition root: builds every component from {@link Settings}, starts them in order and stops
 * them in reverse, so a graceful shutdown finishes in-flight batches before the stores close.
 */
public final class Vectorsync implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Vectorsync.class.getName());
    public static final String VECTOR_INDEX_GROUP = VectorIndexProjectionModule.PROCESSING_GROUP;
    /** The in-process embedding models this build ships, by id. */
    static final List<String> MODELS = List.of(MiniLmEmbeddingModel.ID, MiniLmQuantizedEmbeddingModel.ID);

    private final Settings settings;
    private final EventStoreDatabase database;
    private final VectorIndexes indexes;
    private final EmbeddingSpaces spaces;
    private final Configuration axon;
    private final LogPositions log;
    /** Null when the hot-vector cache is off. */
    private final HotVectorCache cache;
    private final HotCacheSweeper sweeper;
    private final IndexVersions versions;
    private final Versioning versioning;
    /** Set once the HTTP server listens (its address is known then). */
    private volatile ClusterMembership membership;
    private final Access access;
    private final WriteGate writeGate;
    private final CommandSubmitter committer;
    private final ReadYourWrites readYourWrites;
    private final ProcessorPositions positions;
    private final ProcessorControl control;
    private final List<Runnable> stopping = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Telemetry telemetry;
    private final Activity activity;
    private final DocumentKeys keys;
    private final ErasureProcessing erasure;
    /** Null where this node takes no writes. */
    private final TenantEraser tenantEraser;

    private Vectorsync(Settings settings, EventStoreDatabase database, VectorIndexes indexes, EmbeddingSpaces spaces,
                       Configuration axon, HotVectorCache cache, Versioning versioning, Access access,
                       Telemetry telemetry, DocumentKeys keys, ErasureProcessing erasure) {
        this.settings = settings;
        this.keys = keys;
        this.erasure = erasure;
        this.telemetry = telemetry;
        this.database = database;
        this.indexes = indexes;
        this.spaces = spaces;
        this.axon = axon;
        this.log = axon.getComponent(LogPositions.class);
        this.cache = cache;
        this.access = access;
        // with Axon Server, commands go where it routes them: no local transaction to share
        this.activity = new Activity(log::headPosition);
        this.committer = new CountingSubmitter(settings.axonServer().enabled()
                ? CommandSubmitter.direct(axon.commandGateway())
                : new GroupCommitter(axon.commandBus(), database.transactionManager(), database::reachable,
                        GroupCommitter.Settings.DEFAULTS), telemetry, activity);
        // entries leave about as soon as an OpenSearch refresh (1 s) makes them searchable
        this.sweeper = cache == null ? null : HotCacheSweeper.start(cache, indexes, Duration.ofMillis(500));
        this.versioning = versioning;
        this.tenantEraser = settings.node().roles().has(NodeRoles.Role.COMMAND)
                ? new TenantEraser(database, committer, log, settings.nodeId(), Clock.systemUTC()) : null;
        this.control = new ProcessorControl(database, settings.nodeId(),
                settings.node().roles().has(NodeRoles.Role.PROJECTOR), this::streamingProcessors, Clock.systemUTC());
        // the processors feeding index versions run where the projectors do
        this.versions = !settings.node().roles().has(NodeRoles.Role.PROJECTOR) ? null
                : new IndexVersions(versioning.registry(), versioning.backend(), indexes,
                new VersionFeeds(axon, axon.getComponent(WakingEventSource.class), database, settings.segments(),
                        settings.batchSize(), AxonSetup.claimExtension(settings)),
                axon, log, versioning.models(), (space, model, tenant, documentId, revision, title, body) ->
                        Encoder.embed(spaces, axon.commandGateway(), space,
                                spaces.modelById(model, spaces.require(space, "space")), tenant, documentId, revision,
                                title, body), control);
        this.positions = new ProcessorPositions(settings.node().roles(), axon, database, log);
        this.readYourWrites = new ReadYourWrites(this::position, log::headPosition, settings.consistencyWait(),
                Encoder.PROCESSING_GROUP, VECTOR_INDEX_GROUP, cache != null,
                () -> indexes.all().forEach(VectorIndex::makeSearchable),
                // a wait, not work: the request's bulkhead lets another request compute meanwhile
                Bulkheads::whileWaiting);
        var limits = settings.access().limits();
        this.writeGate = limits.maxIndexLag() == 0 ? WriteGate.OPEN : new IndexPressure(limits.maxIndexLag(),
                limits.of(AccessPolicy.Workload.WRITE).deadline(), log::headPosition,
                () -> streamingPosition(VECTOR_INDEX_GROUP), Bulkheads::whileWaiting);
    }

    /** What every write passes before it reaches the store: the live index's pressure ({@link IndexPressure}). */
    WriteGate writeGate() {
        return writeGate;
    }

    public static Vectorsync start(Settings settings) {
        LOG.info(() -> "Data directory: " + settings.dataDir());
        // a transaction idle for twice the claim timeout belongs to a frozen node: the store ends it (its locks go)
        EventStoreDatabase database = EventStoreDatabase.open(settings.store(), settings.dataDir(),
                settings.node().claimTimeout().multipliedBy(2).compareTo(Duration.ofSeconds(5)) < 0
                        ? Duration.ofSeconds(5) : settings.node().claimTimeout().multipliedBy(2));
        VectorIndexes indexes = null;
        HotVectorCache cache = null;
        Access access = null;
        DocumentKeys keys = null;
        ErasureProcessing erasure;
        Telemetry telemetry = new Telemetry(settings.nodeId());
        try {
            keys = DocumentKeys.open(database, settings.keys().masterKey(), settings.keys().masterKeyFile(),
                    settings.dataDir(), settings.axonServer().enabled());
            // the one serializer: content-bearing events are sealed with their document's key wherever they are stored
            Serializer serializer = settings.keys().sealContent() ? JsonbSerializer.sealing(keys.keys())
                    : JsonbSerializer.create();
            if (!settings.keys().sealContent()) {
                LOG.warning("Content is NOT sealed (a benchmark's baseline): an erasure leaves the log's copies readable");
            }
            requireOneLog(settings, database);
            access = Access.open(database.accessTables(), settings.access(), Clock.systemUTC());
            EmbeddingSpaces spaces = new EmbeddingSpaces(settings.spaces(), settings.defaultSpace(),
                    id -> new MeteredEmbeddingModel(model(id), telemetry));
            Versioning versioning = Versioning.of(settings, database);
            SpaceModels models = versioning.models();
            spaces.useModels(models::live, models::inUse);
            List<SpaceSpec> specs = settings.spaces().stream().map(Vectorsync::spec).toList();
            indexes = VectorIndexes.open(specs, versioning.liveIndexes());
            cache = settings.cache() == null ? null : HotVectorCache.start(settings.cache());
            erasure = new ErasureProcessing(database, keys);
            Configuration axon = AxonSetup.configure(settings, serializer, database, indexes, spaces, cache, models,
                            keys, erasure)
                    .configureMessageMonitor(c -> (type, name) -> ProcessingMonitor.of(telemetry, type, name))
                    .buildConfiguration();
            if (settings.axonServer().enabled()) { // our storage appends none of its events: see DocumentKeys.erasing
                axon.eventStore().registerDispatchInterceptor(keys.destroyOnErasure());
            }
            axon.start();
            LOG.info(() -> "Node " + settings.nodeId() + ", roles " + settings.node().roles() + "; event store: "
                    + describeEventStore(settings, database) + "; index: " + describeIndex(settings)
                    + "; hot-vector cache: " + (settings.cache() == null ? "off" : settings.cache().mode()));
            Vectorsync app = new Vectorsync(settings, database, indexes, spaces, axon, cache, versioning, access, telemetry,
                    keys, erasure);
            if (settings.node().roles().has(NodeRoles.Role.PROJECTOR)) { // where the erasure processor runs
                VectorIndexes live = indexes;
                erasure.indexes(() -> app.versions().map(IndexVersions::allIndexes)
                        .orElseGet(() -> List.copyOf(live.all())));
            }
            return app;
        } catch (RuntimeException e) {
            telemetry.close();
            if (keys != null) {
                keys.close();
            }
            if (access != null) {
                access.close();
            }
            if (cache != null) {
                cache.close();
            }
            if (indexes != null) {
                indexes.close();
            }
            database.close();
            throw e;
        }
    }

    /**
     * Axon Server's log and the store's are two logs, and nothing copies events from one to the other: over a store
     * that holds events, Axon Server mode would show none of its documents while its indexes and tokens still did.
     */
    static void requireOneLog(Settings settings, EventStoreDatabase database) {
        if (settings.axonServer().enabled() && database.headPosition() >= 0) {
            throw new IllegalStateException("vectorsync.axonserver.enabled, but the store " + database.description()
                    + " holds events of its own (Axon Server mode keeps only tokens, dead letters, index versions and "
                    + "keys there). Events are not copied between the two: use a new store (data directory or "
                    + "database) for Axon Server mode, or turn it off to go on with this one");
        }
    }

    private static String describeEventStore(Settings settings, EventStoreDatabase database) {
        AxonServerSettings axonServer = settings.axonServer();
        return axonServer.enabled()
                ? "Axon Server at " + axonServer.servers() + ", context " + axonServer.context() + " (also the command "
                        + "bus); tokens, dead letters and index versions in " + database.description()
                : database.description();
    }

    private static String describeIndex(Settings settings) {
        return settings.indexKind().equals("opensearch")
                ? "opensearch at " + settings.opensearch().endpoints() + ", prefix " + settings.opensearch().indexPrefix()
                : "lucene under " + settings.dataDir().resolve("index");
    }

    private static TextEmbeddingModel model(String id) {
        if (id.equals(MiniLmEmbeddingModel.ID)) {
            return new MiniLmEmbeddingModel();
        }
        if (id.equals(MiniLmQuantizedEmbeddingModel.ID)) {
            return new MiniLmQuantizedEmbeddingModel();
        }
        throw new IllegalArgumentException("unknown embedding model '" + id + "'; available: "
                + MiniLmEmbeddingModel.ID + ", " + MiniLmQuantizedEmbeddingModel.ID + ", " + EmbeddingSpace.CLIENT_MODEL);
    }

    private static SpaceSpec spec(EmbeddingSpace space) {
        SpaceSpec.Metric metric = switch (space.metric()) {
            case "cosine" -> SpaceSpec.Metric.COSINE;
            case "dot_product", "dot-product" -> SpaceSpec.Metric.DOT_PRODUCT;
            case "euclidean", "l2" -> SpaceSpec.Metric.EUCLIDEAN;
            default -> throw new IllegalArgumentException("space '" + space.name() + "': unknown metric '"
                    + space.metric() + "'; use cosine, dot_product or euclidean");
        };
        return new SpaceSpec(space.name(), space.dimension(), metric);
    }

    /** The rates the console charts: writes and searches on this node, the log's growth. */
    public Activity activity() {
        return activity;
    }

    /** This node's meters, served at {@code /observe/metrics}. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * Waits at most {@code patience} until erasures are purged through {@code position}: every copy of what was
     * erased up to there is gone (the erasure processor removed it from the indexes, the purger expunged their files).
     * A wait, not work: the request's bulkhead lets another
     * request run meanwhile.
     */
    public boolean awaitErasures(long position, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (database.erasurePurges().state().purgedThrough() < position) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Bulkheads.whileWaiting(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }

    /** Starts on a requested tenant erasure now, where this node takes writes. */
    public void kickTenantErasures() {
        if (tenantEraser != null) {
            tenantEraser.kick();
        }
    }

    /** The documents' data keys (issue 21). */
    public DocumentKeys keys() {
        return keys;
    }

    public Settings settings() {
        return settings;
    }

    public EventStoreDatabase database() {
        return database;
    }

    public VectorIndexes indexes() {
        return indexes;
    }

    /** The hot-vector cache, when the settings turn it on. */
    public java.util.Optional<HotVectorCache> hotCache() {
        return java.util.Optional.ofNullable(cache);
    }

    public EmbeddingSpaces spaces() {
        return spaces;
    }

    /** Writes from the command API, committed in groups. */
    public CommandSubmitter committer() {
        return committer;
    }

    /** API keys, console sessions, the access policy and the audit log. */
    public Access access() {
        return access;
    }

    /** The hot-vector cache, or empty when it is off. */
    public java.util.Optional<HotVectorCache> cache() {
        return java.util.Optional.ofNullable(cache);
    }

    public Configuration axon() {
        return axon;
    }

    public EventStore eventStore() {
        return axon.eventStore();
    }

    /** Where events stand in the log: the store's table, or what Axon Server tells. */
    public LogPositions log() {
        return log;
    }

    /** Processing groups and whether each is running, for readiness. */
    public Map<String, Boolean> processors() {
        Map<String, Boolean> result = new java.util.TreeMap<>();
        for (Map.Entry<String, EventProcessor> entry : axon.eventProcessingConfiguration().eventProcessors().entrySet()) {
            EventProcessor processor = entry.getValue();
            boolean running = processor.isRunning() && !processor.isError();
            result.put(entry.getKey().toLowerCase(Locale.ROOT), running);
        }
        return result;
    }

    /** Read-your-writes: what a read that names a position of the log waits for. */
    public ReadYourWrites readYourWrites() {
        return readYourWrites;
    }

    /** How far a streaming processor has got (see {@link ProcessorPositions#position}). */
    long position(String group) {
        return positions.position(group);
    }

    /** How far a processor has got while it streams normally (see {@link ProcessorPositions#streaming}). */
    OptionalLong streamingPosition(String group) {
        return positions.streaming(group);
    }

    /** Whether the processor has caught up with the head of the log (used by tests and readiness). */
    public boolean caughtUp(String processingGroup) {
        return positions.caughtUp(processingGroup);
    }

    /**
     * Records this node in the store's cluster table and beats from now on; as a projector it also keeps its share of
     * the segments ({@link ClusterMembership}).
     */
    void joinCluster(String address) {
        membership = new ClusterMembership(database, settings.nodeId(), settings.node().roles().toString(), address,
                this::streamingProcessors, Clock.systemUTC());
    }

    /** The streaming processors this node runs, by name: Axon's and those feeding index versions. */
    private Map<String, StreamingEventProcessor> streamingProcessors() {
        Map<String, StreamingEventProcessor> streaming = new java.util.TreeMap<>();
        axon.eventProcessingConfiguration().eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor s) {
                streaming.put(name, s);
            }
        });
        if (versions != null) {
            versions.processors().forEach((name, processor) -> {
                if (processor instanceof StreamingEventProcessor s) {
                    streaming.put(name, s);
                }
            });
        }
        return streaming;
    }

    /**
     * The live index of a space, for a search that names its version on a node that does not feed the other versions
     * (no projector role); another version is not found here.
     */
    VectorIndex liveIndex(String space, int version) {
        VectorIndex live = indexes.forSpace(space);
        if (versioning.backend().liveVersion(live) != version) {
            throw new NoSuchVersionException("space '" + space + "' has no index version " + version + " that this "
                    + "node searches: the versions that are not live are searched on the nodes with the projector "
                    + "role");
        }
        return live;
    }

    /** Stops and starts processors on every node at once: pause, replay and swap ({@link ProcessorControl}). */
    public ProcessorControl control() {
        return control;
    }

    /** Blue/green versions of the indexes: rebuild, swap, roll back, drop; on a node with the projector role. */
    public java.util.Optional<IndexVersions> versions() {
        return java.util.Optional.ofNullable(versions);
    }

    /**
     * Runs {@code action} when the app begins to stop, before the HTTP server waits for its requests: for
     * requests that would otherwise never end (the console's event stream).
     */
    void whenStopping(Runnable action) {
        stopping.add(action);
    }

    /** Ends what {@link #whenStopping} registered; the HTTP server stops next. Runs each action once. */
    void stopping() {
        List<Runnable> actions = List.copyOf(stopping);
        stopping.removeAll(actions);
        actions.forEach(Runnable::run);
    }

    @Override
    public void close() {
        stopping();
        if (membership != null) {
            membership.close(); // leaves the cluster table: the others count one projector fewer at once
        }
        try {
            if (tenantEraser != null) {
                tenantEraser.close();
            }
            erasure.close();
            committer.close(); // the HTTP server has stopped: what is queued commits before the processors stop
            control.close();
            if (versions != null) {
                versions.close();
            }
            axon.shutdown();
        } finally {
            try {
                if (cache != null) {
                    sweeper.close();
                    cache.close();
                }
            } finally {
                try {
                    indexes.close();
                } finally {
                    try {
                        access.close(); // records the keys' last uses
                    } finally {
                        telemetry.close();
                        keys.close();
                        database.close();
                    }
                }
            }
        }
    }
}
