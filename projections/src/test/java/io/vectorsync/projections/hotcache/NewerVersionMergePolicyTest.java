package io.vectorsync.projections.hotcache;

import com.hazelcast.config.MapConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.impl.SimpleEntryView;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.spi.impl.merge.MergingValueFactory;
import com.hazelcast.spi.merge.SplitBrainMergeTypes.MapMergeTypes;
import io.vectorsync.projections.index.IndexChunk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The split-brain merge decision on Hazelcast's own merging entries (made by its {@link MergingValueFactory} from
 * serialized keys and values, as a merge operation makes them), serialized by a member configured as the cache's.
 */
class NewerVersionMergePolicyTest {

    private static HazelcastInstance member;
    private static SerializationService serialization;
    private final NewerVersionMergePolicy policy = new NewerVersionMergePolicy();

    @BeforeAll
    static void startMember() {
        HotCacheSettings settings = new HotCacheSettings(HotCacheSettings.Mode.EMBEDDED, "merge-" + UUID.randomUUID(),
                List.of(), "127.0.0.1", 5701, 100, 16);
        member = Hazelcast.newHazelcastInstance(HotVectorCache.memberConfig(settings));
        serialization = ((SerializationServiceSupport) member).getSerializationService();
    }

    @AfterAll
    static void stopMember() {
        member.shutdown();
    }

    @Test
    void theNewerVersionWinsFromEitherSide() {
        assertThat(merged(live(5, "five"), live(3, "three")).title()).isEqualTo("five");
        assertThat(merged(live(3, "three"), live(5, "five")).title()).isEqualTo("five");
    }

    @Test
    void atEqualVersionsTheEntryInTheClusterStays() {
        assertThat(merged(live(4, "merging"), live(4, "existing")).title()).isEqualTo("existing");
    }

    @Test
    void aTombstoneIsADocumentWithItsVersion() {
        HotDocument deleted = merged(HotDocument.tombstone("acme", "doc", 6, 0), live(5, "five"));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.version()).isEqualTo(6);

        HotDocument restored = merged(live(7, "restored"), HotDocument.tombstone("acme", "doc", 6, 0));
        assertThat(restored.deleted()).isFalse();
        assertThat(restored.title()).isEqualTo("restored");

        assertThat(merged(live(5, "late five"), HotDocument.tombstone("acme", "doc", 6, 0)).deleted()).isTrue();
    }

    @Test
    void anEntryOnlyOneSideHoldsIsKept() {
        assertThat(serialization.<HotDocument>toObject(policy.merge(entry(live(2, "only merging")), null)).title())
                .isEqualTo("only merging");
        assertThat(serialization.<HotDocument>toObject(policy.merge(null, entry(live(2, "only existing")))).title())
                .isEqualTo("only existing");
    }

    @Test
    void theCacheMapsAreConfiguredWithThePolicyAndASynchronousBackupWhenClustered() {
        HotCacheSettings clustered = new HotCacheSettings(HotCacheSettings.Mode.EMBEDDED, "c",
                List.of("127.0.0.1:5701", "127.0.0.1:5702"), "127.0.0.1", 5701, 100, 16);
        MapConfig map = HotVectorCache.mapConfig(clustered);
        assertThat(map.getMergePolicyConfig().getPolicy()).isEqualTo(NewerVersionMergePolicy.class.getName());
        assertThat(map.getBackupCount()).isEqualTo(1);
        assertThat(map.getAsyncBackupCount()).isZero();

        MapConfig alone = HotVectorCache.mapConfig(HotCacheSettings.embedded());
        assertThat(alone.getBackupCount()).isZero();
        assertThat(alone.getAsyncBackupCount()).isZero();
        assertThat(alone.getMergePolicyConfig().getPolicy()).isEqualTo(NewerVersionMergePolicy.class.getName());
    }

    private HotDocument merged(HotDocument merging, HotDocument existing) {
        Object result = policy.merge(entry(merging), entry(existing));
        assertThat(result).as("the raw (serialized) value, as Hazelcast's own policies answer").isInstanceOf(Data.class);
        return serialization.toObject(result);
    }

    private static MapMergeTypes<Object, Object> entry(HotDocument document) {
        Data key = serialization.toData(document.key());
        Data value = serialization.toData(document);
        return MergingValueFactory.createMergingEntry(serialization, new SimpleEntryView<>(key, value));
    }

    private static HotDocument live(long version, String title) {
        return new HotDocument("acme", "doc", version, false, version, title, Map.of("lang", "en"),
                List.of(new IndexChunk(0, title, 0, title.length(), new float[]{1, 0})), 0);
    }
}
