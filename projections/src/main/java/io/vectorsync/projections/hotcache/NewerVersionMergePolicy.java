package io.vectorsync.projections.hotcache;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * After a split brain heals, keeps whichever side's {@link HotDocument} has the newer document version — the
 * same rule as {@link VersionGuards.PutIfNewer}, so a merge never undoes a write the version guard allowed. A
 * tombstone is a document with its version like any other: a deletion newer than the other side's document wins,
 * and a document newer than the other side's deletion wins. At equal versions the entry already in the cluster
 * stays (both sides hold the same version of the same document). An entry only one side holds is kept.
 * <p>
 * Hazelcast creates this policy by its class name on every member (the map configuration names it) and ships it
 * with its merge operations as {@code DataSerializable}: it has no state, and every member runs the same jar. It needs
 * only the values (no per-entry statistics, which the maps do not keep).
 */
public final class NewerVersionMergePolicy
        implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

    public NewerVersionMergePolicy() {
    }

    @Override
    public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
        if (merging == null) {
            return existing == null ? null : existing.getRawValue();
        }
        if (existing == null || existing.getRawValue() == null) {
            return merging.getRawValue();
        }
        if (merging.getRawValue() == null) {
            return existing.getRawValue();
        }
        return newer(merging.getDeserializedValue(), existing.getDeserializedValue())
                ? merging.getRawValue() : existing.getRawValue();
    }

    /** Whether the merging value replaces the existing one: only a strictly newer document version does. */
    static boolean newer(Object merging, Object existing) {
        if (merging instanceof HotDocument incoming && existing instanceof HotDocument present) {
            return incoming.version() > present.version();
        }
        // not a document (no other values live in the cache's maps): keep what the cluster has
        return false;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // stateless
    }

    @Override
    public void readData(ObjectDataInput in) {
        // stateless
    }
}
