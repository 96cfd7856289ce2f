package io.vectorsync.projections.hotcache;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.query.Predicates;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hot-vector cache: per embedding space, a Hazelcast map from {@code tenant/documentId} to the
 * newest {@link HotDocument} the projection has seen — chunks with vectors, or a tombstone.
 * <p>
 * Writes are version-guarded like the index's: {@link #offer} never replaces a document with an older
 * or equal version, decided atomically where the entry lives, so concurrent writers cannot undo each other.
 * The cache is bounded: Hazelcast evicts the least recently used documents beyond
 * {@link HotCacheSettings#maxEntries()} per member, and a space whose entries take more than
 * {@link HotCacheSettings#maxMemoryMb()} caches no new documents until some leave. Entries are meant to
 * leave sooner, once the index has made their version searchable ({@link #removeIfUnchanged}).
 */
public final class HotVectorCache implements AutoCloseable {

    private static final String MAP_PREFIX = "vectorsync-hot-";

    private final HazelcastInstance hazelcast;
    private final HotCacheSettings settings;
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();

    private HotVectorCache(HazelcastInstance hazelcast, HotCacheSettings settings) {
        this.hazelcast = hazelcast;
        this.settings = settings;
    }

    /** Starts an embedded or a lite member, or connects a client, as the settings say. */
    public static HotVectorCache start(HotCacheSettings settings) {
        return start(settings, Map.of());
    }

    /** As {@link #start(HotCacheSettings)}, with further Hazelcast properties for a member (tests shorten waits). */
    static HotVectorCache start(HotCacheSettings settings, Map<String, String> memberProperties) {
        HazelcastInstance instance = switch (settings.mode()) {
            case EMBEDDED, LITE -> {
                Config config = memberConfig(settings);
                memberProperties.forEach(config::setProperty);
                yield Hazelcast.newHazelcastInstance(config);
            }
            case CLIENT -> HazelcastClient.newHazelcastClient(clientConfig(settings));
        };
        return new HotVectorCache(instance, settings);
    }

    static Config memberConfig(HotCacheSettings settings) {
        Config config = new Config().setClusterName(settings.clusterName());
        common(config.getProperties()::setProperty);
        // a lite member joins the cluster but owns no partitions: reads and writes go to the members that do
        config.setLiteMember(settings.mode() == HotCacheSettings.Mode.LITE);
        NetworkConfig network = config.getNetworkConfig()
                .setPort(settings.port())
                .setPortAutoIncrement(true);
        if (HotCacheSettings.ANY_ADDRESS.equals(settings.bindAddress())) {
            // every interface, announcing the first non-loopback address (a container's own)
            config.setProperty("hazelcast.socket.bind.any", "true");
        } else {
            network.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
            config.setProperty("hazelcast.socket.bind.any", "false");
        }
        // two clusters that formed apart (members started before they could reach each other, or a network split)
        // look for each other every 30 s rather than Hazelcast's 5 minutes, then merge by NewerVersionMergePolicy
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "30");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "30");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        // TCP/IP join even when alone, so members started later can list this one and join it
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        if (settings.members().isEmpty()) {
            config.setProperty("hazelcast.wait.seconds.before.join", "0");
        }
        config.addMapConfig(mapConfig(settings));
        serializers(config.getSerializationConfig().getCompactSerializationConfig());
        return config;
    }

    /**
     * The Compact serializers of the document and of both entry processors, registered alike on embedded members,
     * lite members and clients: whichever sends an entry processor, the owning member reads it.
     */
    static void serializers(com.hazelcast.config.CompactSerializationConfig compact) {
        compact.addSerializer(new HotDocumentSerializer())
                .addSerializer(new VersionGuards.PutIfNewerSerializer())
                .addSerializer(new VersionGuards.RemoveIfVersionSerializer());
    }

    static ClientConfig clientConfig(HotCacheSettings settings) {
        ClientConfig config = new ClientConfig().setClusterName(settings.clusterName());
        common(config.getProperties()::setProperty);
        config.getNetworkConfig().setAddresses(settings.members());
        // cut off from the cluster, a call fails at once (HazelcastClientOfflineException) instead of blocking until
        // the client reconnects: a search then goes on with the index alone while the client reconnects behind it
        config.getConnectionStrategyConfig()
                .setReconnectMode(com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode.ASYNC);
        serializers(config.getSerializationConfig().getCompactSerializationConfig());
        return config;
    }

    private static void common(java.util.function.BiConsumer<String, String> property) {
        property.accept("hazelcast.phone.home.enabled", "false");
        property.accept("hazelcast.logging.type", "jdk");
        // the app stops the cache in its own order
        property.accept("hazelcast.shutdownhook.enabled", "false");
    }

    /**
     * Every space's map: LRU beyond maxEntries per member, an index on tenant for the query merge. In a cluster,
     * each entry has one synchronous backup: the cache holds acknowledged writes the index may not show yet (a
     * new version, or a deletion), so losing an entry with its member would let searches answer the older
     * version, or a deleted document, until the index refreshes. A synchronous backup is on another member before
     * the write returns, so one member leaving loses nothing; an asynchronous one could lag behind an
     * acknowledged write. The price is one round trip to the backup per write. After a split brain, the newer
     * document version wins ({@link NewerVersionMergePolicy}).
     */
    static MapConfig mapConfig(HotCacheSettings settings) {
        MapConfig map = new MapConfig(MAP_PREFIX + "*")
                .setBackupCount(settings.clustered() ? 1 : 0)
                .setAsyncBackupCount(0)
                .setStatisticsEnabled(true)
                .addIndexConfig(new IndexConfig(IndexType.HASH, "tenant"));
        map.getMergePolicyConfig()
                .setPolicy(NewerVersionMergePolicy.class.getName())
                .setBatchSize(MergePolicyConfig.DEFAULT_BATCH_SIZE);
        map.getEvictionConfig()
                .setEvictionPolicy(EvictionPolicy.LRU)
                .setMaxSizePolicy(MaxSizePolicy.PER_NODE)
                .setSize(settings.maxEntries());
        return map;
    }

    private IMap<String, HotDocument> map(String space) {
        IMap<String, HotDocument> map = hazelcast.getMap(MAP_PREFIX + space);
        counters.computeIfAbsent(space, ignored -> {
            Counters fresh = new Counters();
            map.addEntryListener((EntryEvictedListener<String, HotDocument>) event -> fresh.evicted.increment(), false);
            return fresh;
        });
        return map;
    }

    /**
     * Stores {@code document} unless the cache holds the same document at its version or a newer one
     * (decided atomically on the entry's partition). Returns whether it was stored; a document the cache
     * does not hold yet is also refused, and counted, while the space is over its memory budget on the member
     * that owns the entry.
     */
    public boolean offer(String space, HotDocument document) {
        IMap<String, HotDocument> map = map(space);
        Counters count = counters.get(space);
        int answer = map.executeOnKey(document.key(),
                new VersionGuards.PutIfNewer(document, map.getName(), budgetBytes()));
        switch (answer) {
            case VersionGuards.STORED -> count.written.increment();
            case VersionGuards.REFUSED_FOR_MEMORY -> count.refusedForMemory.increment();
            default -> count.stale.increment();
        }
        return answer == VersionGuards.STORED;
    }

    private long budgetBytes() {
        return (long) settings.maxMemoryMb() * 1024 * 1024;
    }

    /** The memory this process's entries of the map take: none on a lite member or a client. */
    private long ownedMemory(IMap<String, HotDocument> map) {
        return settings.ownsEntries() ? map.getLocalMapStats().getOwnedEntryMemoryCost() : 0;
    }

    /** Drops a document's entry, whatever its version: after a write of it failed. */
    public void forget(String space, String tenant, String documentId) {
        map(space).delete(HotDocument.key(tenant, documentId));
    }

    /** The cached document, counting a hit or a miss. */
    public Optional<HotDocument> get(String space, String tenant, String documentId) {
        HotDocument document = map(space).get(HotDocument.key(tenant, documentId));
        Counters count = counters.get(space);
        (document == null ? count.misses : count.hits).increment();
        return Optional.ofNullable(document);
    }

    /** Every cached document of a tenant in a space, tombstones included. */
    public Collection<HotDocument> ofTenant(String space, String tenant) {
        return map(space).values(Predicates.equal("tenant", tenant));
    }

    /**
     * The documents of a space whose entries this member owns, for the sweep that drops what the index
     * has made searchable: each member sweeps its own partitions; a lite member or a client owns none.
     */
    public Collection<HotDocument> owned(String space) {
        if (!settings.ownsEntries()) {
            return List.of();
        }
        IMap<String, HotDocument> map = map(space);
        return map.getAll(map.localKeySet()).values();
    }

    /**
     * Removes the document if the cache still holds this version of it (a newer one written meanwhile
     * stays). Returns whether it was removed.
     */
    public boolean removeIfUnchanged(String space, HotDocument document) {
        boolean removed = map(space).executeOnKey(document.key(), new VersionGuards.RemoveIfVersion(document.version()));
        if (removed) {
            counters.get(space).madeSearchable.increment();
        }
        return removed;
    }

    /** A write the projection could not make (Hazelcast unreachable, say); reported in stats. */
    public void countFailure() {
        failures.increment();
    }

    /** Size, memory, hit ratio and what left or was refused, for one space. */
    public Stats stats(String space) {
        IMap<String, HotDocument> map = map(space);
        Counters count = counters.get(space);
        long hits = count.hits.sum();
        long misses = count.misses.sum();
        return new Stats(map.size(), ownedMemory(map), settings.maxEntries(), budgetBytes(), hits, misses,
                hits + misses == 0 ? 0 : (double) hits / (hits + misses), count.written.sum(), count.stale.sum(),
                count.evicted.sum(), count.refusedForMemory.sum(), count.madeSearchable.sum(), failures.sum());
    }

    /**
     * One space's cache: entries (in the whole cluster) and their memory on this member (none on a lite member or
     * a client) against the limits; lookups that found a document ({@code hits}) or not; documents written,
     * refused as not newer ({@code stale}), evicted as least recently used, refused for memory, and removed once
     * searchable in the index; writes that failed (for every space).
     */
    public record Stats(int entries, long memoryBytes, int maxEntries, long maxMemoryBytes, long hits, long misses,
                        double hitRatio, long written, long stale, long evicted, long refusedForMemory,
                        long madeSearchable, long failedWrites) {
    }

    /** What it was started with. */
    public HotCacheSettings settings() {
        return settings;
    }

    /** The cluster's members as {@code host:port}, the form {@link HotCacheSettings#members()} takes. */
    public List<String> members() {
        return hazelcast.getCluster().getMembers().stream()
                .map(member -> member.getAddress().getHost() + ":" + member.getAddress().getPort())
                .toList();
    }

    @Override
    public void close() {
        hazelcast.shutdown();
    }

    /** Stops at once, as a crash would: no partition hand-over, the others' backups take over (for tests). */
    void terminate() {
        hazelcast.getLifecycleService().terminate();
    }

    /** The Hazelcast instance behind the cache (for tests). */
    HazelcastInstance hazelcast() {
        return hazelcast;
    }

    private static final class Counters {
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder written = new LongAdder();
        final LongAdder stale = new LongAdder();
        final LongAdder evicted = new LongAdder();
        final LongAdder refusedForMemory = new LongAdder();
        final LongAdder madeSearchable = new LongAdder();
    }
}
