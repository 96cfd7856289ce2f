package io.vectorsync.projections.hotcache;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

import java.util.Map;

/**
 * The cache's two conditional writes, run atomically on the entry's partition by Hazelcast: store a
 * document unless the entry is as new or newer; remove an entry only while it still holds a given
 * version. Both travel to the owning member in Compact form, so members need this class (they are
 * Vectorsync processes, or a cluster started with its jar): {@code HotVectorCache} registers their serializers on
 * embedded members, lite members and clients alike, and a member runs them from the same jar.
 */
final class VersionGuards {

    private VersionGuards() {
    }

    /** {@link PutIfNewer}'s answers. */
    static final int STORED = 1;
    static final int STALE = 0;
    static final int REFUSED_FOR_MEMORY = -1;
    /** A budget that is never exceeded: the backup's copy of a write its owner made. */
    static final long NO_BUDGET = Long.MAX_VALUE;

    /**
     * Stores the document when the entry is absent or older ({@link #STORED}); else {@link #STALE}. A document the
     * entry's owner does not hold yet is refused ({@link #REFUSED_FOR_MEMORY}) while the entries its member owns in
     * {@code mapName} take more than {@code budgetBytes}: the budget is judged where the entries live, so a lite
     * member or a client writing into the cluster is held to it too. Only a write the owner made is copied to the
     * backups, as an unconditional store of the same version (a backup's own memory decides nothing).
     */
    static final class PutIfNewer implements EntryProcessor<String, HotDocument, Integer>, HazelcastInstanceAware {

        private final HotDocument document;
        private final String mapName;
        private final long budgetBytes;
        private transient HazelcastInstance member;
        private transient boolean stored;

        PutIfNewer(HotDocument document, String mapName, long budgetBytes) {
            this.document = document;
            this.mapName = mapName;
            this.budgetBytes = budgetBytes;
        }

        HotDocument document() {
            return document;
        }

        String mapName() {
            return mapName;
        }

        long budgetBytes() {
            return budgetBytes;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
            this.member = hazelcastInstance;
        }

        @Override
        public Integer process(Map.Entry<String, HotDocument> entry) {
            HotDocument current = entry.getValue();
            if (current != null && current.version() >= document.version()) {
                return STALE;
            }
            if (current == null && !document.deleted() && overBudget()) {
                return REFUSED_FOR_MEMORY;
            }
            entry.setValue(document);
            stored = true;
            return STORED;
        }

        private boolean overBudget() {
            return budgetBytes != NO_BUDGET && member != null
                    && member.getMap(mapName).getLocalMapStats().getOwnedEntryMemoryCost() > budgetBytes;
        }

        @Override
        public EntryProcessor<String, HotDocument, Integer> getBackupProcessor() {
            // asked after process(): a backup repeats only what the owner stored
            return stored ? new PutIfNewer(document, mapName, NO_BUDGET) : null;
        }
    }

    /** Removes the entry if it holds exactly {@code version}; answers whether it did. */
    record RemoveIfVersion(long version) implements EntryProcessor<String, HotDocument, Boolean> {

        @Override
        public Boolean process(Map.Entry<String, HotDocument> entry) {
            HotDocument current = entry.getValue();
            if (current == null || current.version() != version) {
                return false;
            }
            entry.setValue(null);
            return true;
        }
    }

    static final class PutIfNewerSerializer implements CompactSerializer<PutIfNewer> {

        @Override
        public PutIfNewer read(CompactReader reader) {
            return new PutIfNewer(reader.readCompact("document"), reader.readString("mapName"),
                    reader.readInt64("budgetBytes"));
        }

        @Override
        public void write(CompactWriter writer, PutIfNewer processor) {
            writer.writeCompact("document", processor.document());
            writer.writeString("mapName", processor.mapName());
            writer.writeInt64("budgetBytes", processor.budgetBytes());
        }

        @Override
        public String getTypeName() {
            return "vectorsync.PutIfNewer";
        }

        @Override
        public Class<PutIfNewer> getCompactClass() {
            return PutIfNewer.class;
        }
    }

    static final class RemoveIfVersionSerializer implements CompactSerializer<RemoveIfVersion> {

        @Override
        public RemoveIfVersion read(CompactReader reader) {
            return new RemoveIfVersion(reader.readInt64("version"));
        }

        @Override
        public void write(CompactWriter writer, RemoveIfVersion processor) {
            writer.writeInt64("version", processor.version());
        }

        @Override
        public String getTypeName() {
            return "vectorsync.RemoveIfVersion";
        }

        @Override
        public Class<RemoveIfVersion> getCompactClass() {
            return RemoveIfVersion.class;
        }
    }
}
