package io.vectorsync.projections.versions;

import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorIndexes;
import io.vectorsync.projections.vectorindex.VectorIndexProjectionModule;
import io.vectorsync.store.DeadLetters;
import io.vectorsync.store.LogPositions;
import io.vectorsync.store.ProcessorControl;
import io.vectorsync.store.ProcessorHolds;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackingToken;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Blue/green versions of each space's index. The live version is the one searches read and the
 * {@code vector-index} processor writes ({@link VectorIndexes}); every other version has a processor of its own
 * ({@link VersionFeeds}) that feeds it from the event log: a version being built replays the whole log (and keeps
 * receiving new changes), a previous version kept for rollback follows the log from the moment it stopped being
 * live. So any version can become live at any time without losing a write.
 * <p>
 * A swap pauses {@code vector-index}, waits until the new version's processor has seen everything it had
 * ({@link Swap}), makes the new version live ({@link IndexBackend#promote}), feeds the old one from exactly the
 * tokens {@code vector-index} stopped at, and resumes {@code vector-index}, which goes on writing into the new
 * version. The hot-vector cache keeps searches fresh during that pause. The registry ({@link VersionRegistry}) is
 * in the event store's database, so builds resume after a restart. This class takes and answers records; the
 * admin API parses requests and renders them.
 */
public final class IndexVersions implements AutoCloseable {

    private static final String LIVE_GROUP = VectorIndexProjectionModule.PROCESSING_GROUP;
    private static final Duration SWAP_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(IndexVersions.class.getName());

    private final VersionRegistry registry;
    private final IndexBackend backend;
    private final VectorIndexes live;
    private final VersionFeeds feeds;
    private final Configuration axon;
    private final LogPositions log;
    private final SpaceModels models;
    private final Reembedding reembedding;
    private final VersionWork work;
    private final FedVersions fed = new FedVersions();
    private final ScheduledExecutorService monitor;
    private final Clock clock = Clock.systemUTC();
    private final ProcessorControl control;

    /**
     * @param control stops processors on every node: a swap or a drop acts on all the projector nodes, and each node
     *                follows the registry's changes before it applies the holds ({@link #reconcile})
     */
    public IndexVersions(VersionRegistry registry, IndexBackend backend, VectorIndexes live, VersionFeeds feeds,
                         Configuration axon, LogPositions log, SpaceModels models, Reembedding.Embedder embedder,
                         ProcessorControl control) {
        this.control = control;
        this.registry = registry;
        this.backend = backend;
        this.live = live;
        this.feeds = feeds;
        this.axon = axon;
        this.log = log;
        this.models = models;
        this.reembedding = new Reembedding(axon.eventStore(), embedder);
        this.work = new VersionWork(reembedding, models, feeds);
        this.monitor = Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("index-versions"));
        for (IndexVersion version : registry.all()) {
            if (!live.has(version.space())) {
                LOG.warning(() -> "index version " + version.version() + " of space '" + version.space()
                        + "' is registered, but the space is no longer configured; left alone");
            } else if (version.role() != Role.LIVE) {
                feed(version, backend.open(live.forSpace(version.space()).space(), version), null); // from its tokens
            }
        }
        monitor.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
        control.beforeApplying(this::reconcile);
    }

    /**
     * Brings this node in line with the registry, which other projector nodes change too: feeds a version that is
     * being built or kept for rollback (unless a swap holds its processor while it hands it over), and stops feeding
     * one that became live or was dropped. Each node runs its share of every version's segments.
     */
    synchronized void reconcile() {
        List<IndexVersion> registered; // read under the lock: a swap here changes it
        try {
            registered = registry.all();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "index versions: cannot read the registry: " + e.getMessage(), e);
            return;
        }
        fed.follow(registered, version -> live.has(version.space()) && !control.isHeld(version.group())
                        && version.version() != liveVersionOf(version.space()),
                version -> feed(version, backend.open(live.forSpace(version.space()).space(), version), null));
    }

    /** The factory of the processors feeding versions. */
    public VersionFeeds feeds() {
        return feeds;
    }

    /** The live version of a space: on OpenSearch behind the aliases (a replay moves them), on Lucene the registry's. */
    public int liveVersionOf(String space) {
        requireSpace(space);
        return backend.liveVersion(live.forSpace(space));
    }

    /** Every space: its live version and the others with their role, settings and progress. */
    public List<SpaceVersions> describe() {
        List<SpaceVersions> spaces = new ArrayList<>();
        List<IndexVersion> registered = registry.all();
        for (VectorIndex index : live.all()) {
            String space = index.space().name();
            int liveVersion = backend.liveVersion(index);
            List<VersionState> versions = new ArrayList<>();
            Optional<IndexVersion> liveRow = registered.stream()
                    .filter(v -> v.space().equals(space) && v.version() == liveVersion).findFirst();
            versions.add(new VersionState(liveRow.orElse(new IndexVersion(space, liveVersion, Role.LIVE,
                    VersionSettings.CONFIGURED, clock.instant())).withRole(Role.LIVE), liveRow.isPresent(), LIVE_GROUP,
                    models.live(space), backend.location(index.space(), liveVersion), Optional.empty(), Optional.empty()));
            registered.stream().filter(v -> v.space().equals(space) && v.role() != Role.LIVE)
                    .forEach(v -> versions.add(state(v)));
            spaces.add(new SpaceVersions(space, liveVersion, backend.aliases(index), versions));
        }
        return spaces;
    }

    private VersionState state(IndexVersion version) {
        Optional<FeedProgress> progress = fed.find(version.space(), version.version()).map(this::progress);
        return new VersionState(version, true, version.group(), models.modelOf(version),
                backend.location(live.forSpace(version.space()).space(), version.version()),
                reembedding.progress(version.space(), version.version()), progress);
    }

    private FeedProgress progress(FedVersions.Fed running) {
        long head = log.headPosition();
        return FeedProgress.of(running.feed().processor(), head, running.samples(), work.caughtUp(running, head));
    }

    /**
     * Creates the next version of a space's index with {@code settings} (the configured ones where they say
     * nothing) and starts replaying the whole log into it; the live version keeps serving meanwhile.
     */
    public synchronized VersionState rebuild(String space, VersionSettings settings) {
        requireSpace(space);
        backend.validate(settings);
        VectorIndex liveIndex = live.forSpace(space);
        int version = Stream.concat(Stream.of(backend.liveVersion(liveIndex), backend.nextFreeVersion(liveIndex) - 1),
                        registry.of(space).stream().map(IndexVersion::version))
                .max(Integer::compare).orElse(1) + 1;
        IndexVersion created = new IndexVersion(space, version, settings.initialRole(), settings, clock.instant());
        registry.save(created);
        models.refresh(); // the encoder embeds new content with this version's model too, from now on
        feed(created, backend.open(liveIndex.space(), created), null);
        work.startReembedding(created);
        LOG.info(() -> "rebuilding space '" + space + "' into version " + version + " with " + settings.toJson()
                + " (" + liveIndex.space().dimension() + " dimensions)");
        return state(created);
    }

    /** Starts the version's processor: from the start of the log, from its own tokens, or from {@code tokens}. */
    private void feed(IndexVersion version, VectorIndex index, Map<Integer, TrackingToken> tokens) {
        fed.add(version, index, feeds.start(version, index, models.modelOf(version), tokens));
    }

    /**
     * Makes {@code version} the live index of {@code space}; the version that was live becomes the previous
     * one, kept up to date for a rollback (which is a swap back).
     */
    public synchronized List<SpaceVersions> swap(String space, int version) {
        IndexVersion target = version(space, version);
        if (target.role() == Role.POINT_IN_TIME) {
            throw new VersionStateException("version " + version + " of space '" + space + "' is a point-in-time "
                    + "build: read-only, searched with \"indexVersion\": " + version + "; it never becomes live");
        }
        if (target.role() == Role.LIVE || version == liveVersionOf(space)) {
            throw new VersionStateException("version " + version + " of space '" + space + "' is live already");
        }
        FedVersions.Fed running = fed.find(space, version).orElse(null);
        if (running == null) {
            throw new VersionStateException("version " + version + " of space '" + space + "' is "
                    + target.role().wireName() + "; only a version being built or kept for rollback can become live");
        }
        long letters = running.feed().letters().queue().size();
        if (letters > 0) {
            throw new VersionStateException("version " + version + " of space '" + space + "' has " + letters
                    + " dead letter" + (letters == 1 ? "" : "s") + ": retry or evict them first (GET "
                    + "/v1/admin/dead-letters/" + target.group() + ") so that it goes live with every document");
        }
        int oldVersion = liveVersionOf(space);
        IndexVersion wasLive = version(space, oldVersion); // before the aliases move
        if (work.reembeds(target) && !reembedding.has(space, version)
                && reembedding.remaining(space, models.modelOf(target)) > 0) {
            throw new VersionStateException("version " + version + " of space '" + space + "' is still being "
                    + "re-embedded (on the projector that claims segment 0 of " + target.group() + "); swap once every "
                    + "document has its embedding, or rebuild with autoSwap");
        }
        if (!work.awaitCaughtUp(running, log.headPosition())) {
            throw new VersionStateException("version " + version + " of space '" + space + "' has not caught up "
                    + "with the log yet; see its progress, or rebuild with autoSwap to swap once it has");
        }
        Swap swap = new Swap(axon.eventProcessingConfiguration().tokenStore(LIVE_GROUP),
                axon.getComponent(TransactionManager.class), SWAP_WAIT, control, feeds::storedTokens);
        String reason = "swap of space '" + space + "' to version " + version;
        swap.run(LIVE_GROUP, running.feed().processor(), reason, stoppedAt -> handOver(running, target, wasLive,
                    stoppedAt, reason));
        return describe();
    }

    /**
     * Makes the version live and feeds the one that was live from exactly where {@code vector-index} stopped. Its
     * processor is held meanwhile, so no other node starts it from anywhere else.
     */
    private Void handOver(FedVersions.Fed running, IndexVersion target, IndexVersion wasLive,
                          Map<Integer, TrackingToken> stoppedAt, String reason) {
        String space = target.space();
        int version = target.version();
        int oldVersion = wasLive.version();
        ProcessorHolds.Hold oldFeed = control.hold(wasLive.group(), reason, false);
        try {
            running.feed().stop();
            fed.remove(space, version);
            VectorIndex previous;
            try {
                previous = backend.promote(live, target, running.index(), wasLive);
            } catch (RuntimeException e) {
                // nothing moved: live is untouched, and the version goes on following the log from where it
                // stopped, ready for the next attempt
                feed(target, running.index(), null);
                throw e;
            }
            // the new live version's build tokens go: should it become a previous version again, it follows the
            // log from where it stops being live, not from where its build ended
            registry.forgetTokens(space, version);
            for (IndexVersion stale : registry.of(space)) { // a live row a replay left behind
                if (stale.role() == Role.LIVE && stale.version() != oldVersion) {
                    registry.forget(space, stale.version(), axon.eventSerializer());
                }
            }
            IndexVersion old = wasLive.withRole(Role.PREVIOUS);
            registry.save(target.withRole(Role.LIVE), old);
            models.refresh(); // queries are embedded with the new live version's model from now on
            reembedding.forget(space, version);
            feed(old, previous, stoppedAt); // exactly where vector-index stopped: misses nothing, repeats nothing
            LOG.info(() -> "space '" + space + "': version " + version + " is live, version " + oldVersion
                    + " follows the log for a rollback");
            return null;
        } finally {
            control.release(oldFeed);
        }
    }

    /** The model whose embeddings a version takes (null: any): what its drift check compares. */
    public String modelFilter(String space, int version) {
        requireSpace(space);
        return version == liveVersionOf(space) ? models.liveFilter(space) : models.modelOf(version(space, version));
    }

    /** The model whose vectors a version holds, to embed a query for it with; null for the live one's. */
    public String queryModel(String space, int version) {
        requireSpace(space);
        return version == liveVersionOf(space) ? null : models.modelOf(version(space, version));
    }

    /** The index of a version for a search: the live one, or one being fed; 404 for any other. */
    public VectorIndex index(String space, int version) {
        requireSpace(space);
        if (version == liveVersionOf(space)) {
            return live.forSpace(space);
        }
        return fed.require(space, version).index();
    }

    /**
     * One document as every version of a space's index holds it now: what the console's document inspector shows
     * beside the document's events. A version that is registered but not being fed is {@link VersionedDocument.Held#UNAVAILABLE}.
     */
    public List<VersionedDocument> document(String space, String tenant, String documentId) {
        requireSpace(space);
        int liveVersion = liveVersionOf(space);
        List<VersionedDocument> rows = new ArrayList<>();
        rows.add(VersionedDocument.of(liveVersion, Role.LIVE, live.forSpace(space), tenant, documentId));
        for (IndexVersion version : registry.of(space)) {
            if (version.version() != liveVersion && version.role() != Role.LIVE) {
                rows.add(VersionedDocument.of(version.version(), version.role(), fed.find(space, version.version())
                        .map(FedVersions.Fed::index).orElse(null), tenant, documentId));
            }
        }
        return rows;
    }

    /**
     * Every index this node holds: each space's live one and every version being fed (building, ready, point-in-time
     * or kept for a rollback). An erasure removes its documents from all of them.
     */
    public List<VectorIndex> allIndexes() {
        List<VectorIndex> all = new ArrayList<>(live.all());
        fed.all().forEach(version -> all.add(version.index()));
        return all;
    }

    /** The dead letters of the processors feeding the versions that are not live, by processor name. */
    public Map<String, DeadLetters> deadLetters() {
        return fed.deadLetters();
    }

    /** The processors feeding the versions that are not live, by name. */
    public Map<String, EventProcessor> processors() {
        return fed.processors();
    }

    /**
     * How far the processor feeding a version has got, {@code vector-index} for the live one: the lowest position
     * of its segments, those this node runs as they stand here, those other projector nodes run as last stored.
     */
    public long processedPosition(String space, int version) {
        requireSpace(space);
        return feeds.lowestPositionEverywhere(version == liveVersionOf(space)
                ? axon.eventProcessingConfiguration().eventProcessor(LIVE_GROUP)
                        .map(p -> (org.axonframework.eventhandling.StreamingEventProcessor) p).orElseThrow()
                : fed.require(space, version).feed().processor());
    }

    /** Deletes a version that is not live: its processor stops, its tokens, dead letters and index go. */
    public synchronized void drop(String space, int version) {
        IndexVersion dropped = version(space, version);
        if (dropped.role() == Role.LIVE || version == liveVersionOf(space)) {
            throw new VersionStateException("version " + version + " of space '" + space + "' is live; swap to "
                    + "another version first");
        }
        // every node stops feeding it first: a write after the index is deleted would create it again
        try (ProcessorControl.Held held = control.holdEverywhere(dropped.group(), "drop of version " + version
                + " of space '" + space + "'", SWAP_WAIT)) {
            fed.remove(space, version).ifPresent(running -> {
                running.feed().stop();
                backend.drop(dropped, running.index());
            });
            registry.forget(space, version, axon.eventSerializer());
        }
        reembedding.cancel(space, version);
        models.refresh();
        LOG.info(() -> "space '" + space + "': version " + version + " dropped");
    }

    /** A version of the space: the registry's, or the live one a space has had since it was configured. */
    public IndexVersion version(String space, int version) {
        requireSpace(space);
        return registry.find(space, version).orElseGet(() -> {
            if (version == liveVersionOf(space)) { // live since the space was configured (or replayed)
                return new IndexVersion(space, version, Role.LIVE, VersionSettings.CONFIGURED, clock.instant());
            }
            throw new NoSuchVersionException("space '" + space + "' has no index version " + version);
        });
    }

    private void requireSpace(String space) {
        if (!live.has(space)) {
            throw new NoSuchVersionException("no embedding space '" + space + "'");
        }
    }

    /** Samples progress, and swaps a caught-up build that asked for it. */
    private void tick() {
        try {
            fed.sample();
            synchronized (this) {
                work.placeReembeddings(fed.all());
            }
            for (IndexVersion version : registry.all()) {
                FedVersions.Fed running = fed.find(version.space(), version.version()).orElse(null);
                // one with dead letters waits for the operator to retry or evict them; the node that leads the
                // version swaps it (it knows whether its re-embedding is done)
                if (version.role() == Role.BUILDING && version.settings().autoSwap() && running != null
                        && work.leadsAndKnows(running)
                        && work.caughtUp(running, log.headPosition()) && running.feed().letters().queue().size() == 0) {
                    swap(version.space(), version.version());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "index versions: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        reembedding.close();
        monitor.shutdownNow();
        fed.close();
    }
}
