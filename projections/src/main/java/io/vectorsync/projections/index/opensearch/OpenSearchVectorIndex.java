package io.vectorsync.projections.index.opensearch;

import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.HybridQuery;
import io.vectorsync.projections.index.HybridRankings;
import io.vectorsync.projections.index.HybridSearch;
import io.vectorsync.projections.index.IndexFields;
import io.vectorsync.projections.index.IndexUnavailableException;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.IndexWrite.ReplaceChunks;
import io.vectorsync.projections.index.IndexWriteException;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.opensearch.WritePlanner.WritePlan;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.MgetResponse;
import org.opensearch.client.opensearch.core.mget.MultiGetResponseItem;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The production {@link VectorIndex}: one OpenSearch k-NN index per embedding space, reached through
 * a read and a write alias ({@link IndexLayout}); the entry model is described in {@link Entries}.
 * <p>
 * Contract difference: {@link #apply} is durable when it returns (OpenSearch acknowledged every
 * entry), but searchable only after the next refresh (every second by default). It does not refresh
 * per batch, which would make small segments and cost indexing throughput; {@link #refresh} is there
 * for tests and benchmarks. Versions ({@link #version}) are read in real time.
 * <p>
 * Thread safety: {@link #apply} calls are serialized (each decides from the state documents the
 * previous one wrote); searches and counts run concurrently with them and with each other.
 * Read paths throw {@link IndexUnavailableException} when the cluster does not answer in time; writes
 * retry transient failures with backoff and then throw a transient {@link IndexWriteException}.
 */
public final class OpenSearchVectorIndex implements VectorIndex, HybridSearch {

    private final SpaceSpec space;
    private final OpenSearchSettings settings;
    private final OpenSearchClient client;
    private final Runnable releaseClient;
    private final IndexLayout layout;
    private volatile String physicalIndex;
    private final String readTarget;
    private final String writeTarget;
    private final WritePlanner planner;
    private final BulkWriter writer;
    private final ChunkSearcher searcher;
    private final HybridStrategy hybrid;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    OpenSearchVectorIndex(SpaceSpec space, OpenSearchSettings settings, Connection connection,
                                  Runnable releaseClient, IndexLayout layout, String physicalIndex, boolean live) {
        this.space = space;
        this.settings = settings;
        this.client = connection.client();
        this.releaseClient = releaseClient;
        this.layout = layout;
        this.physicalIndex = physicalIndex;
        // the live index goes through the aliases, so a swap moves it; an index version names itself
        this.readTarget = live ? layout.readAlias() : physicalIndex;
        this.writeTarget = live ? layout.writeAlias() : physicalIndex;
        this.planner = new WritePlanner(client, writeTarget, settings.retry());
        this.writer = new BulkWriter(client, writeTarget, settings.bulkMaxBytes(), settings.retry());
        this.searcher = new ChunkSearcher(connection.search(), client._transport().jsonpMapper(),
                readTarget, space, settings.knn());
        this.hybrid = new ClientSideFusion(searcher);
    }

    /** Opens the index of {@code space} with connections of its own, which {@link #close} closes. */
    public static OpenSearchVectorIndex open(SpaceSpec space, OpenSearchSettings settings) {
        Connection connection = Connection.open(settings);
        return open(space, settings, connection, connection::close);
    }

    /**
     * Opens each space's index for {@code VectorIndexes.open}, all sharing one connection; closing the last
     * of them closes it.
     */
    public static Function<SpaceSpec, VectorIndex> factory(OpenSearchSettings settings) {
        SharedClient shared = new SharedClient(settings);
        return space -> open(space, settings, shared.acquire(), shared::release);
    }

    /**
     * Finds the space's index through its write alias, or creates version 1 with both aliases when
     * there is none; refuses one built for another dimension or metric. Releases the client on failure.
     */
    static OpenSearchVectorIndex open(SpaceSpec space, OpenSearchSettings settings, Connection connection,
                                      Runnable releaseClient) {
        try {
            IndexLayout layout = IndexLayout.of(settings.indexPrefix(), space);
            String physical = layout.openOrCreate(connection.client(), space, settings);
            return new OpenSearchVectorIndex(space, settings, connection, releaseClient, layout, physical, true);
        } catch (IOException e) {
            releaseClient.run();
            throw new IndexUnavailableException("cannot reach OpenSearch at " + settings.endpoints()
                    + " to open the index of space '" + space.name() + "': " + Failures.describe(e), e);
        } catch (RuntimeException e) {
            releaseClient.run();
            throw e;
        }
    }

    /**
     * N of the physical index {@code <prefix>-<space>-vN} this instance reads; for the live index, the one the
     * aliases point at now (a swap or a replay moves them).
     */
    public int indexVersion() {
        if (readTarget.equals(layout.readAlias())) {
            requireOpen();
            try {
                physicalIndex = layout.currentWriteIndex(client);
            } catch (IOException e) {
                throw Failures.onRead("reading the alias " + layout.writeAlias(), e);
            }
        }
        return layout.versionOf(physicalIndex);
    }

    @Override
    public SpaceSpec space() {
        return space;
    }

    /** The physical index behind the aliases: the one opened, or the one {@link #clear} put there. */
    public String physicalIndex() {
        return physicalIndex;
    }

    public IndexLayout layout() {
        return layout;
    }

    /** Adds OpenSearch's limit on the id length to the shared rules. */
    @Override
    public void validate(IndexWrite write) {
        VectorIndex.super.validate(write);
        Entries.requireIndexable(write);
    }

    /**
     * Applies the writes in order; durable on return, searchable after the next refresh. Chunk entries
     * are written first and the state documents only once all of them are in: a state document never
     * claims a version whose chunks are not all written, so a batch retried after any failure redoes
     * exactly what is missing. When OpenSearch rejects an entry for good, no state document is written
     * and a non-transient {@link IndexWriteException} names the document; the entries it did take stay
     * until the batch is retried (from the dead-letter queue). A batch skipped for good instead can
     * leave chunks of its revision that a later, shorter revision does not know to delete.
     */
    @Override
    public void apply(List<IndexWrite> writes) {
        validateAll(writes); // before writing anything: a deterministic failure leaves nothing half-written
        if (writes.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            if (closed.get()) {
                throw new IndexWriteException("the index of space '" + space.name() + "' is closed", false, null);
            }
            WritePlan plan = planner.plan(writes);
            writer.write(plan.entries());
            writer.write(plan.states());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<DocumentHit> search(VectorQuery query) {
        requireValid(query);
        return searcher.search(query, null).hits();
    }

    /** One multi-search for the k-NN query and the versions. */
    @Override
    public SearchWithVersions searchWithVersions(VectorQuery query, Collection<String> documentIds) {
        requireValid(query);
        return searcher.search(query, documentIds);
    }

    private void requireValid(VectorQuery query) {
        requireQuery(query);
        requireOpen();
    }

    /**
     * BM25 over the passages fused with k-NN by Reciprocal Rank Fusion (see {@link ClientSideFusion});
     * hit scores are fused ranks, not similarities.
     */
    @Override
    public List<DocumentHit> hybridSearch(HybridQuery query) {
        requireValid(query);
        return hybrid.search(query);
    }

    @Override
    public HybridRankings hybridRankings(HybridQuery query) {
        requireValid(query);
        return hybrid.rankings(query);
    }

    private void requireValid(HybridQuery query) {
        requireQuery(query);
        requireOpen();
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("tenant is required");
        }
    }

    /** Read in real time from the state document, so it is current right after {@link #apply}. */
    @Override
    public OptionalLong version(String tenant, String documentId) {
        requireOpen();
        String id = Entries.stateId(tenant, documentId);
        MgetResponse<JsonData> response;
        try {
            response = client.mget(m -> m.index(readTarget).ids(id).sourceIncludes(IndexFields.VERSION),
                    JsonData.class);
        } catch (IOException | RuntimeException e) {
            throw Failures.onRead("the version of " + tenant + "/" + documentId, e);
        }
        MultiGetResponseItem<JsonData> item = response.docs().getFirst();
        if (item.isFailure()) {
            throw new IndexUnavailableException("OpenSearch failed to read the version of " + tenant + "/"
                    + documentId + ": " + item.failure().error().reason(), null);
        }
        if (!item.result().found()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(item.result().source().toJson().asJsonObject().getJsonNumber(IndexFields.VERSION)
                .longValue());
    }

    @Override
    public Optional<ReplaceChunks> content(String tenant, String documentId) {
        requireTenant(tenant);
        requireOpen();
        try {
            return Optional.ofNullable(planner.content(tenant, documentId));
        } catch (IndexWriteException e) {
            throw new IndexUnavailableException("cannot read " + tenant + "/" + documentId + ": " + e.getMessage(), e);
        }
    }

    /** What the last refresh made visible, unlike {@link #version}, which reads in real time. */
    @Override
    public Map<String, Long> searchableVersions(String tenant, Collection<String> documentIds) {
        requireTenant(tenant);
        requireOpen();
        return searcher.searchableVersions(tenant, documentIds, "the searchable versions of " + documentIds.size()
                + " documents of " + tenant);
    }

    /** Searchable state: counts what the last refresh made visible. */
    @Override
    public long countDocuments(String tenant) {
        return count(Filters.statesOf(tenant, true), "counting the documents of " + tenant);
    }

    @Override
    public long countAllDocuments() {
        return count(Filters.statesOf(null, true), "counting the documents");
    }

    /** What the last refresh made visible, a thousand state entries per page. */
    @Override
    public Map<String, Long> documentVersions(String tenant) {
        requireTenant(tenant);
        requireOpen();
        return searcher.allVersions(tenant, "the documents of " + tenant);
    }

    /** Searchable state: counts what the last refresh made visible. */
    @Override
    public long countChunks(String tenant) {
        return count(Filters.chunksOf(tenant, MetadataFilter.NONE), "counting the chunks of " + tenant);
    }

    private long count(Query query, String what) {
        requireOpen();
        try {
            return client.count(c -> c.index(readTarget).query(query)).count();
        } catch (IOException | RuntimeException e) {
            throw Failures.onRead(what, e);
        }
    }

    /**
     * An empty next version of the physical index takes the aliases and the old one is deleted (see
     * {@link IndexLayout}): searches see an empty index from then on.
     */
    @Override
    public void clear() {
        requireOpen();
        writeLock.lock();
        try {
            if (!readTarget.equals(layout.readAlias())) {
                throw new IllegalStateException("clear() empties the live index; drop version " + physicalIndex
                        + " and build a new one instead");
            }
            physicalIndex = layout.replaceWithEmpty(client, layout.currentWriteIndex(client), space, settings);
        } catch (IOException e) {
            throw Failures.onRead("replacing " + physicalIndex + " by an empty index", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Refresh, flush (the translog's copies go with its old generations), then a force-merge with
     * {@code only_expunge_deletes} under {@code index.merge.policy.expunge_deletes_allowed: 0}, so every segment with a
     * deleted entry is rewritten. OpenSearch keeps soft-deleted entries while a retention lease needs them (its peer
     * recovery leases move on within {@code index.soft_deletes.retention_lease.sync_interval}, 30 s): the merge is
     * repeated, every 5 s for at most {@link #EXPUNGE_PATIENCE}, until the index counts no deleted entry.
     */
    @Override
    public void expungeDeletes() {
        requireOpen();
        String index = physicalIndex;
        String what = "expunging the deleted entries of " + index;
        try {
            layout.putSettings(client, index, jakarta.json.Json.createObjectBuilder()
                    .add("merge.policy.expunge_deletes_allowed", 0).build());
            long deadline = System.nanoTime() + EXPUNGE_PATIENCE.toNanos();
            while (true) {
                client.indices().refresh(r -> r.index(index));
                client.indices().flush(r -> r.index(index).force(true));
                client.indices().forcemerge(r -> r.index(index).onlyExpungeDeletes(true).flush(true));
                long deleted = deletedEntries(index);
                if (deleted == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IndexWriteException(index + " still holds " + deleted + " deleted entries after "
                            + EXPUNGE_PATIENCE.toSeconds() + " s of merging (a retention lease keeps them)", true, null);
                }
                Thread.sleep(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexWriteException(what + " was interrupted", true, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IndexWriteException written) {
                throw written;
            }
            throw Failures.onRead(what, e);
        }
    }

    /** How long {@link #expungeDeletes} goes on merging while deleted entries remain. */
    static final java.time.Duration EXPUNGE_PATIENCE = java.time.Duration.ofSeconds(90);

    private long deletedEntries(String index) throws IOException {
        var stats = client.indices().stats(r -> r.index(index).metric(org.opensearch.client.opensearch.indices.stats.IndicesStatsMetric.Docs));
        var docs = stats.all().total().docs(); // every copy: a replica's deleted entries count too
        return docs == null ? 0 : docs.deleted();
    }

    /** A refresh: for consistent reads without the hot-vector cache, tests and benchmarks; never per batch. */
    @Override
    public void makeSearchable() {
        refresh();
    }

    /** Makes everything applied so far searchable now. */
    public void refresh() {
        requireOpen();
        try {
            client.indices().refresh(r -> r.index(writeTarget, readTarget));
        } catch (IOException | RuntimeException e) {
            throw Failures.onRead("refreshing " + writeTarget, e);
        }
    }

    /** For readiness: the cluster answers within a second and the read alias's index is not red. */
    @Override
    public boolean healthy() {
        return ClusterHealth.check(client, readTarget, physicalIndex, closed.get(), space, settings).healthy();
    }

    /** What {@link #healthy} found, in a sentence for a readiness endpoint. */
    @Override
    public String healthDetail() {
        return ClusterHealth.check(client, readTarget, physicalIndex, closed.get(), space, settings).detail();
    }

    /** The client, open: for the lifecycle of versions ({@link OpenSearchVersions}). */
    OpenSearchClient openClient() {
        requireOpen();
        return client;
    }

    OpenSearchSettings settings() {
        return settings;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the index of space '" + space.name() + "' is closed");
        }
    }

    /** Waits for a running {@link #apply}, then closes (or releases the shared) client. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writeLock.lock();
        try {
            releaseClient.run();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "OpenSearchVectorIndex[" + space.name() + " -> " + physicalIndex + "]";
    }

}
