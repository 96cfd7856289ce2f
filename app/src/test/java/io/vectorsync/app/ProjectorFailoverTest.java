package io.vectorsync.app;

import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a projector under ingest (issue 16): projector-1 runs in a JVM of its own, projector-2 and a command and
 * query node in this one, all on one PostgreSQL store and one OpenSearch, with a 3 s claim timeout. Once the two
 * projectors share the segments, writers ingest through the command node and projector-1 is killed without warning:
 * projector-2 takes its segments within the claim timeout plus a claim interval, and every acknowledged document is
 * in the log once and in the index (drift 0).
 */
class ProjectorFailoverTest {

    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void theOtherProjectorTakesTheKilledOnesSegmentsAndNothingIsLostOrDoubled(@TempDir Path dir) throws Exception {
        try (Cluster cluster = Cluster.start(dir, "failover")) {
            Process projector1 = cluster.projector1();
            TestApp front = cluster.front();
            TestApp projector2 = cluster.projector2();
            int frontPort = cluster.frontPort();
            Set<String> acknowledged;
            long failoverMillis;
            try (AppProcess.Writers writers = new AppProcess.Writers(frontPort, "failover", 3)) {
                writers.awaitAcknowledged(60);
                projector1.destroyForcibly(); // SIGKILL: no shutdown hook, its claims stay until they time out
                long killed = System.nanoTime();
                assertThat(projector1.waitFor(30, TimeUnit.SECONDS)).isTrue();
                TestApp.await("projector-2 claims every segment", Duration.ofSeconds(60),
                        () -> Set.copyOf(ownersOrNone(front)).equals(Set.of("projector-2")));
                failoverMillis = (System.nanoTime() - killed) / 1_000_000;
                writers.awaitAcknowledged(writers.acknowledged.size() + 60);
                writers.close();
                acknowledged = Set.copyOf(writers.acknowledged);
            }
            System.out.printf("failover: projector-2 held every segment %d ms after the kill (claim timeout %d "
                    + "ms); %d documents acknowledged%n", failoverMillis, CLAIM_TIMEOUT.toMillis(), acknowledged.size());
            assertThat(failoverMillis).as("within the claim timeout plus a claim interval (5 s), with slack")
                    .isLessThan(CLAIM_TIMEOUT.toMillis() + 5_000 + 7_000);

            for (String id : acknowledged) {
                List<String> types = new ArrayList<>();
                front.get("/v1/tenants/failover/documents/" + id + "/history").json().getJsonArray("events")
                        .getValuesAs(JsonObject.class).forEach(event -> types.add(event.getString("type")));
                assertThat(types).as(id + ": written once").containsExactly("DocumentCreated", "DocumentEmbedded");
            }
            TestApp.await("the index agrees with the log", Duration.ofSeconds(120), () -> {
                JsonObject drift = projector2.get("/v1/admin/indexes/default/drift").json();
                return drift.getInt("drift") == 0 && drift.getInt("inSync") == acknowledged.size();
            });
            assertThat(front.app().indexes().forSpace("default").documentVersions("failover").keySet())
                    .as("every acknowledged document indexed, and nothing else").isEqualTo(acknowledged);
        }
    }

    /**
     * A projector frozen with SIGSTOP past its claim timeout, while writers keep updating the same documents, loses its
     * segments to the other; resumed with SIGCONT, whatever it had in flight reaches the index late. Every index write
     * is idempotent and version-guarded, so that late write cannot bring back an older version: the index ends equal
     * to the log (drift 0, every document at its last revision), and the resumed node takes its share again.
     */
    @Test
    void aProjectorFrozenAndResumedCorruptsNothing(@TempDir Path dir) throws Exception {
        try (Cluster cluster = Cluster.start(dir, "frozen")) {
            Process projector1 = cluster.projector1();
            TestApp front = cluster.front();
            TestApp projector2 = cluster.projector2();
            int frontPort = cluster.frontPort();
            Set<String> acknowledged;
            try (AppProcess.Writers writers = new AppProcess.Writers(frontPort, "frozen", 3, 40)) {
                writers.awaitWrites(300);
                signal(projector1, "STOP");
                try {
                    TestApp.await("projector-2 claims every segment of the frozen node", Duration.ofSeconds(60),
                            () -> Set.copyOf(ownersOrNone(front)).equals(Set.of("projector-2")));
                    writers.awaitWrites(writers.writes.get() + 300);
                } finally {
                    signal(projector1, "CONT");
                }
                TestApp.await("the resumed node takes its share again", Duration.ofSeconds(60),
                        () -> Set.copyOf(ownersOrNone(front)).equals(Set.of("projector-1", "projector-2")));
                writers.awaitWrites(writers.writes.get() + 300);
                writers.close();
                acknowledged = Set.copyOf(writers.acknowledged);
            }
            assertThat(acknowledged).hasSize(120);
            TestApp.await("the index agrees with the log: every document at its last revision",
                    Duration.ofSeconds(120), () -> {
                        JsonObject drift = projector2.get("/v1/admin/indexes/default/drift").json();
                        return drift.getInt("drift") == 0 && drift.getInt("inSync") == acknowledged.size();
                    });
            assertThat(front.app().indexes().forSpace("default").documentVersions("frozen").keySet())
                    .isEqualTo(acknowledged);
            assertThat(projector1.isAlive()).as("the resumed node runs on").isTrue();
        }
    }

    private static void signal(Process process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
    }

    /**
     * projector-1 in a JVM of its own, and a command-and-query node and projector-2 (with the admin API) in this one,
     * on a fresh PostgreSQL database and one OpenSearch, once the two projectors share vector-index's segments.
     */
    private record Cluster(Process projector1, TestApp front, TestApp projector2, int frontPort) implements AutoCloseable {

        static Cluster start(Path dir, String name) throws Exception {
            StoreSettings store = TestPostgres.freshDatabase();
            String opensearch = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
            assertThat(opensearch).as("VECTORSYNC_TEST_OPENSEARCH_URL: run the tests with bin/test").isNotBlank();
            String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            int port = AppProcess.freePort();
            Process projector1 = AppProcess.start(store.url(), dir.resolve("p1"), port, dir.resolve("projector-1.log"),
                    Map.of("VECTORSYNC_NODE_ID", "projector-1",
                            "VECTORSYNC_NODE_ROLES", "projector",
                            "VECTORSYNC_INDEX_KIND", "opensearch",
                            "VECTORSYNC_INDEX_OPENSEARCH_ENDPOINTS", opensearch,
                            "VECTORSYNC_INDEX_OPENSEARCH_INDEX_dash_PREFIX", prefix,
                            "VECTORSYNC_INDEX_OPENSEARCH_REPLICAS", "0",
                            "VECTORSYNC_PROCESSORS_CLAIM_dash_TIMEOUT_dash_MS", Long.toString(CLAIM_TIMEOUT.toMillis())));
            TestApp front = null;
            TestApp projector2 = null;
            try {
                AppProcess.awaitUp(port);
                front = TestApp.start(node(dir.resolve("a"), store, opensearch, prefix, "front-1", "command,query"));
                projector2 = TestApp.start(node(dir.resolve("p2"), store, opensearch, prefix, "projector-2",
                        "projector,admin"));
                TestApp app = front;
                TestApp.await("the projectors share vector-index's segments", Duration.ofSeconds(60),
                        () -> new HashSet<>(app.app().database().segmentOwners("vector-index").values())
                                .equals(Set.of("projector-1", "projector-2")));
                return new Cluster(projector1, front, projector2,
                        Integer.parseInt(front.baseUrl().substring(front.baseUrl().lastIndexOf(':') + 1)));
            } catch (Exception | AssertionError e) {
                if (projector2 != null) {
                    projector2.close();
                }
                if (front != null) {
                    front.close();
                }
                projector1.destroyForcibly();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                projector2.close();
                front.close();
            } finally {
                projector1.destroyForcibly();
            }
        }
    }

    /** A node of the cluster: the bundled default space (client vectors here), OpenSearch, the shared store. */
    private static Settings node(Path dir, StoreSettings store, String opensearch, String prefix, String id,
                                 String roles) {
        return TestApp.base(dir).space("default", "all-minilm-l6-v2", 384, "cosine", 200, 20).store(store)
                .opensearch(opensearch, prefix, 1, 0)
                .put("vectorsync.node.id", id).put("vectorsync.node.roles", roles)
                .put("vectorsync.processors.claim-timeout-ms", CLAIM_TIMEOUT.toMillis()).settings();
    }

    private static List<String> ownersOrNone(TestApp app) {
        List<String> owners = new ArrayList<>();
        app.app().database().segmentOwners("vector-index").values()
                .forEach(owner -> owners.add(owner == null ? "(none)" : owner));
        return owners;
    }
}
