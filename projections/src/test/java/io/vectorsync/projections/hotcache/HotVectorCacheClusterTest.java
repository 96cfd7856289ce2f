package io.vectorsync.projections.hotcache;

import io.vectorsync.projections.index.IndexChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cache as a cluster of real members on 127.0.0.1 (each test its own cluster name and ports): two embedded
 * members listing each other, a lite member and a client. A member leaving — handing its partitions over, or
 * stopping at once as in a crash — loses no document and no newer version, and the version guard still holds on
 * every kind of node. Two members that formed apart merge, and the newer version of each document wins.
 */
class HotVectorCacheClusterTest {

    private static final String SPACE = "cluster";
    /** Every wait for the cluster is bounded by this. */
    private static final long WAIT_MS = 40_000;

    private final String clusterName = "cluster-" + UUID.randomUUID();
    private final List<HotVectorCache> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (HotVectorCache cache : started.reversed()) {
            try {
                if (cache.hazelcast().getLifecycleService().isRunning()) {
                    cache.close();
                }
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    @Test
    @Timeout(90)
    void aMemberHandingOverItsPartitionsLosesNothing() {
        memberLeaves(false);
    }

    @Test
    @Timeout(90)
    void aMemberStoppingAtOnceLosesNothingThanksToTheSynchronousBackup() {
        memberLeaves(true);
    }

    private void memberLeaves(boolean crash) {
        int portA = freePort();
        int portB = freePort();
        List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
        HotVectorCache a = start(HotCacheSettings.Mode.EMBEDDED, members, portA);
        HotVectorCache b = start(HotCacheSettings.Mode.EMBEDDED, members, portB);
        HotVectorCache lite = start(HotCacheSettings.Mode.LITE, members, freePort());
        HotVectorCache client = start(HotCacheSettings.Mode.CLIENT, members, 5701);
        await(() -> a.members().size() == 3 && b.members().size() == 3, "two members and the lite member meet");
        assertThat(b.owned(SPACE)).isEmpty(); // no entries yet, but b owns partitions: asked without failing

        // writes through every kind of node; each document's newest version is the one expected
        Map<String, HotDocument> newest = new HashMap<>();
        List<HotVectorCache> writers = List.of(a, b, lite, client);
        for (int i = 0; i < 120; i++) {
            String id = "doc-" + i;
            int versions = 1 + i % 3;
            for (int version = 1; version <= versions; version++) {
                HotDocument document = live(id, version, id + " v" + version);
                assertThat(writers.get((i + version) % writers.size()).offer(SPACE, document)).isTrue();
                newest.put(id, document);
            }
            if (i % 10 == 0) {
                HotDocument tombstone = HotDocument.tombstone("acme", id, versions + 1, 0);
                assertThat(writers.get(i % writers.size()).offer(SPACE, tombstone)).isTrue();
                newest.put(id, tombstone);
            }
        }
        assertThat(lite.owned(SPACE)).as("a lite member owns no entries").isEmpty();
        assertThat(client.owned(SPACE)).as("a client owns no entries").isEmpty();
        assertThat(a.owned(SPACE).size() + b.owned(SPACE).size()).as("the members own every entry once")
                .isEqualTo(newest.size());
        assertThat(b.owned(SPACE)).as("the entries are spread over both members").isNotEmpty();
        assertThat(a.owned(SPACE)).isNotEmpty();

        if (crash) {
            b.terminate();
        } else {
            b.close();
        }
        await(() -> a.members().size() == 2 && lite.members().size() == 2 && client.members().size() == 2,
                "the others see the member leave");

        for (HotVectorCache reader : List.of(a, lite, client)) {
            for (HotDocument expected : newest.values()) {
                HotDocument read = reader.get(SPACE, "acme", expected.documentId()).orElseThrow(
                        () -> new AssertionError(expected.documentId() + " lost"));
                assertThat(read.version()).as(expected.documentId()).isEqualTo(expected.version());
                assertThat(read.deleted()).isEqualTo(expected.deleted());
                assertThat(read.title()).isEqualTo(expected.title());
            }
            assertThat(reader.ofTenant(SPACE, "acme")).hasSize(newest.size());
        }
        assertThat(a.owned(SPACE)).as("the survivor owns every entry now").hasSize(newest.size());

        // the version guard still holds, wherever the write comes from
        HotDocument doc7 = newest.get("doc-7");
        assertThat(lite.offer(SPACE, live("doc-7", doc7.version() - 1, "older"))).isFalse();
        assertThat(client.offer(SPACE, live("doc-7", doc7.version(), "same version"))).isFalse();
        assertThat(a.offer(SPACE, live("doc-7", doc7.version() - 1, "older"))).isFalse();
        assertThat(a.get(SPACE, "acme", "doc-7").orElseThrow().title()).isEqualTo(doc7.title());
        assertThat(lite.offer(SPACE, HotDocument.tombstone("acme", "doc-10", 1, 0))).as("older than doc-10's deletion")
                .isFalse();
        assertThat(client.offer(SPACE, live("doc-7", doc7.version() + 1, "newer"))).isTrue();
        assertThat(a.get(SPACE, "acme", "doc-7").orElseThrow().title()).isEqualTo("newer");
        assertThat(lite.stats(SPACE).stale()).isEqualTo(2);
        assertThat(lite.stats(SPACE).memoryBytes()).as("a lite member holds nothing").isZero();
        assertThat(client.stats(SPACE).memoryBytes()).isZero();
        assertThat(client.stats(SPACE).entries()).isEqualTo(newest.size());
    }

    @Test
    @Timeout(90)
    void afterASplitBrainTheNewerVersionOfEachDocumentWins() {
        int portA = freePort();
        int portB = freePort();
        // a lists b, which is not there yet: each forms a cluster of its own, as both sides of a split do
        Map<String, String> quickMerge = Map.of(
                "hazelcast.merge.first.run.delay.seconds", "3",
                "hazelcast.merge.next.run.delay.seconds", "3");
        HotVectorCache a = HotVectorCache.start(settings(HotCacheSettings.Mode.EMBEDDED,
                List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB), portA), quickMerge);
        started.add(a);
        HotVectorCache b = HotVectorCache.start(settings(HotCacheSettings.Mode.EMBEDDED, List.of(), portB), quickMerge);
        started.add(b);
        assertThat(a.members()).hasSize(1);
        assertThat(b.members()).hasSize(1);

        a.offer(SPACE, live("newer-on-a", 5, "a's five"));
        b.offer(SPACE, live("newer-on-a", 3, "b's three"));
        a.offer(SPACE, live("newer-on-b", 2, "a's two"));
        b.offer(SPACE, live("newer-on-b", 7, "b's seven"));
        a.offer(SPACE, HotDocument.tombstone("acme", "deleted-on-a", 4, 0));
        b.offer(SPACE, live("deleted-on-a", 3, "b's three"));
        a.offer(SPACE, live("restored-on-a", 9, "a's nine"));
        b.offer(SPACE, HotDocument.tombstone("acme", "restored-on-a", 8, 0));
        b.offer(SPACE, live("only-on-b", 1, "b's one"));
        a.offer(SPACE, live("only-on-a", 1, "a's one"));

        await(() -> a.members().size() == 2 && b.members().size() == 2, "the two clusters merge");
        Map<String, String> expected = Map.of("newer-on-a", "a's five", "newer-on-b", "b's seven",
                "restored-on-a", "a's nine", "only-on-b", "b's one", "only-on-a", "a's one");
        // the merging side's entries arrive just after it joins
        await(() -> expected.entrySet().stream().allMatch(e -> b.get(SPACE, "acme", e.getKey())
                        .map(d -> d.title().equals(e.getValue())).orElse(false))
                        && b.get(SPACE, "acme", "deleted-on-a").map(HotDocument::deleted).orElse(false),
                "every document at its newer version");
        for (HotVectorCache reader : List.of(a, b)) {
            expected.forEach((id, title) -> assertThat(reader.get(SPACE, "acme", id).orElseThrow().title())
                    .as(id).isEqualTo(title));
            HotDocument deleted = reader.get(SPACE, "acme", "deleted-on-a").orElseThrow();
            assertThat(deleted.deleted()).isTrue();
            assertThat(deleted.version()).isEqualTo(4);
            assertThat(reader.ofTenant(SPACE, "acme")).hasSize(6);
        }
        assertThat(b.offer(SPACE, live("newer-on-b", 7, "b's seven again"))).as("the guard holds after the merge")
                .isFalse();
    }

    @Test
    void aClientCutOffFromEveryMemberFailsAtOnceAndReconnectsWhenAMemberIsBack() {
        int port = freePort();
        List<String> members = List.of("127.0.0.1:" + port);
        HotVectorCache member = start(HotCacheSettings.Mode.EMBEDDED, members, port);
        HotVectorCache client = start(HotCacheSettings.Mode.CLIENT, members, 5701);
        assertThat(client.offer(SPACE, live("doc-1", 1, "one"))).isTrue();
        member.close();

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.ofTenant(SPACE, "acme"))
                .as("a search's lookup fails instead of waiting for the cluster")
                .isInstanceOf(com.hazelcast.client.HazelcastClientOfflineException.class);
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms to fail").isLessThan(2_000);

        HotVectorCache again = start(HotCacheSettings.Mode.EMBEDDED, members, port);
        await(() -> {
            try {
                return client.offer(SPACE, live("doc-2", 1, "two"));
            } catch (com.hazelcast.client.HazelcastClientOfflineException e) {
                return false;
            }
        }, "the client reconnects to the member that is back");
        assertThat(again.get(SPACE, "acme", "doc-2")).isPresent();
    }

    private HotVectorCache start(HotCacheSettings.Mode mode, List<String> members, int port) {
        HotVectorCache cache = HotVectorCache.start(settings(mode, members, port));
        started.add(cache);
        return cache;
    }

    private HotCacheSettings settings(HotCacheSettings.Mode mode, List<String> members, int port) {
        return new HotCacheSettings(mode, clusterName, members, "127.0.0.1", port, 10_000, 64);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_MS + " ms: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HotDocument live(String id, long version, String title) {
        return new HotDocument("acme", id, version, false, version, title, Map.of(),
                List.of(new IndexChunk(0, title, 0, title.length(), new float[]{1, 0, 0})), 0);
    }
}
