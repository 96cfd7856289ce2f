package io.vectorsync.app;

import io.vectorsync.store.StoreSettings;
import io.vectorsync.store.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two processes' worth of Vectorsync in one JVM, on one PostgreSQL store and one OpenSearch, with their roles split
 * (issue 16): node A takes writes and serves the admin API and runs no processor; node B runs the processors and
 * serves searches. A write acknowledged by A is found by a search on B that names its position (read-your-writes
 * through the token store), and each node answers only its own APIs.
 */
class NodeRolesTest {

    @Test
    void aCommandNodeAndAProjectorQueryNodeShareTheStoreAndTheIndex(@TempDir Path dirA, @TempDir Path dirB) {
        StoreSettings store = TestPostgres.freshDatabase();
        String prefix = "roles-" + UUID.randomUUID().toString().substring(0, 8);
        String opensearch = System.getenv("VECTORSYNC_TEST_OPENSEARCH_URL");
        assertThat(opensearch).as("VECTORSYNC_TEST_OPENSEARCH_URL: run the tests with bin/test").isNotBlank();
        Settings commandNode = TestApp.keys(dirA).store(store).opensearch(opensearch, prefix, 1, 0)
                .put("vectorsync.node.id", "node-a").put("vectorsync.node.roles", "command,admin").settings();
        Settings projectorNode = TestApp.keys(dirB).store(store).opensearch(opensearch, prefix, 1, 0)
                .put("vectorsync.node.id", "node-b").put("vectorsync.node.roles", "projector, query").settings();

        try (TestApp a = TestApp.start(commandNode); TestApp b = TestApp.start(projectorNode)) {
            assertThat(a.app().processors()).as("node A runs no processor").isEmpty();
            assertThat(b.app().processors()).containsKeys("encoder", "vector-index");

            long position = -1;
            for (int i = 0; i < 20; i++) {
                TestApp.Response written = a.put("/v1/tenants/acme/documents/d" + i, "{\"title\":\"d" + i
                        + "\",\"body\":\"b\"," + PostgresStoreTest.TINY.formatted(vector(i)) + "}");
                assertThat(written.status()).isEqualTo(201);
                position = Math.max(position, written.json().getJsonNumber("position").longValue());
            }
            for (int i = 0; i < 20; i += 7) {
                JsonObject search = b.post("/v1/tenants/acme/search", "application/json", "{\"vector\":["
                        + vector(i) + "],\"space\":\"tiny\",\"k\":1,\"consistentWith\":" + position + "}").json();
                assertThat(search.getJsonArray("hits").getJsonObject(0).getString("documentId"))
                        .as("written on A, searched on B").isEqualTo("d" + i);
            }

            assertThat(a.app().position("vector-index")).as("A, which runs no processor, reads B's progress from the "
                    + "token store").isGreaterThanOrEqualTo(position);

            assertThat(b.put("/v1/tenants/acme/documents/x", "{\"body\":\"b\"}").status())
                    .as("B has no command API").isEqualTo(404);
            assertThat(b.get("/v1/admin/processors").status()).as("B has no admin API").isEqualTo(404);
            assertThat(a.post("/v1/tenants/acme/search", "application/json", "{\"vector\":[1,0,0,0],"
                    + "\"space\":\"tiny\"}").status()).as("A has no query API").isEqualTo(404);
            assertThat(a.app().database().segmentOwners("vector-index").values()).as("B claims every segment")
                    .containsOnly("node-b");
            assertThat(a.get("/health/ready").status()).isEqualTo(200);
            assertThat(b.get("/health/ready").status()).isEqualTo(200);
        }
    }

    @Test
    void rolesAreCheckedWhenTheSettingsAreRead(@TempDir Path dir) {
        assertThat(TestApp.keys(dir).settings().node().roles().all()).isTrue();
        assertThat(Settings.of(Map.of("vectorsync.spaces.0.name", "s", "vectorsync.spaces.0.dimension", "4"))
                .nodeId()).as("unique per process by default").matches(ProcessHandle.current().pid() + "@.+");
        assertThatThrownBy(() -> TestApp.keys(dir).put("vectorsync.node.roles", "query,reader").settings())
                .hasMessageContaining("'reader' is not a role");
        assertThatThrownBy(() -> TestApp.keys(dir).put("vectorsync.node.roles", "query").settings())
                .hasMessageContaining("needs a store the other nodes share");
        assertThatThrownBy(() -> TestApp.keys(dir).store(new StoreSettings("jdbc:postgresql://localhost/x", null, null,
                4)).put("vectorsync.node.roles", "query").settings())
                .hasMessageContaining("needs an index the other nodes share");
        assertThatThrownBy(() -> TestApp.keys(dir).put("vectorsync.node-id", "old").settings())
                .hasMessageContaining("vectorsync.node-id is now vectorsync.node.id");
        assertThatThrownBy(() -> TestApp.keys(dir).put("vectorsync.processors.claim-timeout-ms", "10").settings())
                .hasMessageContaining("at least 1000");
    }

    private static String vector(int i) {
        double angle = i * 0.3;
        return Math.cos(angle) + "," + Math.sin(angle) + "," + (i % 3) * 0.1 + ",0.05";
    }
}
