package io.vectorsync.projections.versions;

import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.store.IndexVersionRecord;

import java.util.List;
import java.util.Optional;

/**
 * The registry of index versions, in the event store's database (so builds resume after a restart and every node
 * sees the same): typed rows over the store's {@link IndexVersionRecord}s.
 */
public final class VersionRegistry {

    private final EventStoreDatabase database;

    public VersionRegistry(EventStoreDatabase database) {
        this.database = database;
    }

    /** Every registered version, by space and version. */
    public List<IndexVersion> all() {
        return database.indexVersions().stream().map(VersionRegistry::typed).toList();
    }

    public List<IndexVersion> of(String space) {
        return all().stream().filter(v -> v.space().equals(space)).toList();
    }

    public Optional<IndexVersion> find(String space, int version) {
        return all().stream().filter(v -> v.space().equals(space) && v.version() == version).findFirst();
    }

    /** The live version of a space as the registry has it; 1 before any rebuild. */
    public int liveVersion(String space) {
        return of(space).stream().filter(v -> v.role() == Role.LIVE).mapToInt(IndexVersion::version).findFirst()
                .orElse(1);
    }

    /** Stores the versions in one transaction: a swap changes two roles at once. */
    public void save(IndexVersion... versions) {
        database.saveIndexVersions(java.util.Arrays.stream(versions)
                .map(v -> new IndexVersionRecord(v.space(), v.version(), v.role().wireName(),
                        v.settings().toJson().toString(), v.createdAt()))
                .toList());
    }

    /** Forgets a version, the tokens of the processor that fed it, and its dead letters. */
    public void forget(String space, int version, org.axonframework.serialization.Serializer serializer) {
        String group = IndexVersion.group(space, version);
        database.deleteIndexVersion(space, version, group);
        database.deadLetterQueue(group, serializer).clear();
    }

    /** Forgets where a version's processor stood: fed again, it starts afresh. */
    public void forgetTokens(String space, int version) {
        database.deleteTokens(IndexVersion.group(space, version));
    }

    EventStoreDatabase database() {
        return database;
    }

    private static IndexVersion typed(IndexVersionRecord row) {
        return new IndexVersion(row.space(), row.version(), Role.of(row.role()), VersionSettings.fromJson(row.settings()),
                row.createdAt());
    }
}
