package io.vectorsync.projections.hotcache;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

import java.util.Map;

/**
 * The cache's two conditional writes, run atomically on the entry's partition by Hazelcast: store a
 * document unless the entry is as new or newer; remove an entry only while it still holds a given
 * version. Both travel to the owning member in Compact form, so members need this class (they are
 * Vectorsync processes, or a cluster started with its jar).
 */
final class VersionGuards {

    private VersionGuards() {
    }

    /** Stores the document when the entry is absent or older; answers whether it did. */
    record PutIfNewer(HotDocument document) implements EntryProcessor<String, HotDocument, Boolean> {

        @Override
        public Boolean process(Map.Entry<String, HotDocument> entry) {
            HotDocument current = entry.getValue();
            if (current != null && current.version() >= document.version()) {
                return false;
            }
            entry.setValue(document);
            return true;
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
            return new PutIfNewer(reader.readCompact("document"));
        }

        @Override
        public void write(CompactWriter writer, PutIfNewer processor) {
            writer.writeCompact("document", processor.document());
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
