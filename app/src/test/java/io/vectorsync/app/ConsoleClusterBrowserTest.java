package io.vectorsync.app;

import io.vectorsync.store.ClusterNodes;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console's Cluster view ({@code #/cluster}, from {@code GET /v1/admin/cluster}) in a real headless
 * Chromium against the real app: the running node with its roles, address and the segments it claims; a node
 * recorded in the store that has stopped beating, shown as not live in words; the view refreshing by itself (that
 * node beats again and shows as live; a paused processor's segments show as unclaimed); and a failed refresh shown
 * as a problem while the last answer stays. Screenshots go to {@code target/screenshots/ConsoleClusterBrowserTest/}.
 */
class ConsoleClusterBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String VIEW = "section#view-cluster";
    private static final String SELF = VIEW + " table[data-test=cluster] tr[data-node=\"test-node\"]";
    private static final String GONE = VIEW + " table[data-test=cluster] tr[data-node=\"gone-node\"]";

    @RegisterExtension
    final Browser.Recorder browsers = new Browser.Recorder();

    @TempDir
    Path dataDir;

    private TestApp app;

    @AfterEach
    void stopTheApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Test
    void theClusterViewShowsEachNodeItsHeartbeatAndItsSegmentsAndRefreshesByItself() {
        app = TestApp.start(TestApp.settings(dataDir)); // node test-node, roles all, two segments per processor
        TestApp.await("test-node claims both segments of vector-index", PATIENCE,
                () -> claimed(app, "test-node", "vector-index").equals(List.of(0, 1)));
        TestApp.await("test-node claims the encoder's segments", PATIENCE,
                () -> !claimed(app, "test-node", "encoder").isEmpty());
        List<String> encoderSegments = claimed(app, "test-node", "encoder").stream().map(String::valueOf).toList();
        // a node that stopped beating five minutes ago, as a crashed node stays in the table (not a projector: a live
        // one would make test-node give it half of the segments)
        Instant now = Instant.now();
        ClusterNodes nodes = app.app().database().clusterNodes();
        nodes.beat(new ClusterNodes.Node("gone-node", "command,query", "10.0.0.9:8080", now.minus(Duration.ofHours(3)),
                now.minus(Duration.ofMinutes(5))));
        Browser browser = browsers.start();

        browser.open(app.baseUrl() + "/admin");
        browser.awaitAttribute("#live", "data-state", "connected");
        browser.click("a[data-nav=cluster]");
        browser.find(VIEW);
        assertThat(browser.url()).endsWith("#/cluster");
        assertThat(browser.title()).startsWith("Vectorsync").endsWith("Cluster");

        // the running node
        browser.awaitText(SELF + " [data-field=state]", "is live", "live"::equals);
        assertThat(browser.text(SELF + " [data-field=id]")).isEqualTo("test-node");
        assertThat(browser.text(SELF + " [data-field=roles]")).isEqualTo("all");
        int port = URI.create(app.baseUrl()).getPort();
        assertThat(browser.text(SELF + " [data-field=address]")).isEqualTo("http://localhost:" + port);
        assertThat(browser.attributes(SELF, "data-live")).containsExactly("true");
        assertThat(browser.text(SELF + " [data-field=heartbeat]")).as("beats every 2 s")
                .matches("([0-9]|1[0-9]) s ago");
        assertThat(browser.text(SELF + " [data-field=started]")).contains("up ");
        assertThat(browser.attributes(SELF + " [data-field=segments] [data-processor=\"vector-index\"] [data-segment]",
                "data-segment")).containsExactly("0", "1");
        assertThat(browser.text(SELF + " [data-field=segments] [data-processor=\"vector-index\"]")).contains("(2 of 2)");
        assertThat(browser.attributes(SELF + " [data-field=segments] [data-processor]", "data-processor"))
                .contains("encoder", "vector-index");
        assertThat(browser.attributes(SELF + " [data-field=segments] [data-processor=\"encoder\"] [data-segment]",
                "data-segment")).containsExactlyElementsOf(encoderSegments);

        // the node that stopped beating: not live, said in words, with the age of its last heartbeat
        assertThat(browser.text(GONE + " [data-field=state]")).isEqualTo("not live");
        assertThat(browser.text(GONE)).contains("no heartbeat within 10 s");
        assertThat(browser.attributes(GONE, "data-live")).containsExactly("false");
        assertThat(browser.attributes(GONE, "class")).containsExactly("not-live");
        assertThat(browser.texts(GONE + " [data-field=roles] .pill")).containsExactly("command", "query");
        assertThat(browser.text(GONE + " [data-field=address]")).isEqualTo("10.0.0.9:8080");
        assertThat(browser.text(GONE + " [data-field=heartbeat]")).isEqualTo("5 min ago");
        assertThat(browser.text(GONE + " [data-field=segments]")).isEqualTo("none");
        assertThat(browser.text(SELF + " [data-field=self]")).as("the node serving the console").isEqualTo("this node");
        assertThat(browser.all(GONE + " [data-field=self]")).isEmpty();
        assertThat(browser.text(VIEW + " [data-field=summary]")).startsWith("2 nodes · 1 live");
        assertThat(browser.all(VIEW + " table[data-test=unclaimed]")).as("every segment is claimed").isEmpty();
        browser.screenshot("cluster");

        // it refreshes by itself: the node beats again and is live
        nodes.beat(new ClusterNodes.Node("gone-node", "command,query", "10.0.0.9:8080", now.minus(Duration.ofHours(3)),
                Instant.now()));
        browser.awaitText(GONE + " [data-field=state]", "is live", "live"::equals);
        assertThat(browser.text(VIEW + " [data-field=summary]")).startsWith("2 nodes · 2 live");

        // a paused processor gives up its claims: its segments show as unclaimed, no longer on the node
        TestApp.Response paused = app.post("/v1/admin/processors/encoder/pause", "application/json", "");
        assertThat(paused.status()).as(paused.body()).isBetween(200, 204);
        String encoder = VIEW + " table[data-test=unclaimed] tr[data-processor=\"encoder\"]";
        browser.awaitCount(encoder + " [data-segment]", "the encoder's segments unclaimed",
                n -> n == encoderSegments.size());
        assertThat(browser.attributes(encoder + " [data-segment]", "data-segment"))
                .containsExactlyElementsOf(encoderSegments);
        assertThat(browser.all(SELF + " [data-field=segments] [data-processor=\"encoder\"]")).isEmpty();
        assertThat(browser.attributes(SELF + " [data-field=segments] [data-processor=\"vector-index\"] [data-segment]",
                "data-segment")).containsExactly("0", "1");
        browser.screenshot("encoder-paused");
        assertThat(browser.scriptErrors()).isEmpty();

        // a refresh that fails is shown as the problem it is; the last answer stays, said to be old
        app.close();
        app = null;
        browser.awaitText(VIEW + " [data-field=cluster-problem] [data-test=error]", "did not answer");
        assertThat(browser.text(VIEW + " [data-field=cluster-problem]")).contains("as of the last answer");
        assertThat(browser.text(SELF + " [data-field=id]")).isEqualTo("test-node");
        browser.screenshot("server-gone");
    }

    /** The segments of a processor that a node claims, as the API says. */
    private static List<Integer> claimed(TestApp app, String node, String processor) {
        return app.get("/v1/admin/cluster").json().getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("id").equals(node)).findFirst()
                .map(n -> n.getJsonObject("segments").getJsonArray(processor))
                .map(segments -> segments == null ? List.<Integer>of()
                        : segments.getValuesAs(jakarta.json.JsonNumber.class).stream().map(jakarta.json.JsonNumber::intValue)
                        .sorted().toList())
                .orElse(List.of());
    }
}
