package io.vectorsync.ui.admin;

import io.helidon.webserver.WebServer;
import io.vectorsync.ui.access.Admission;
import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's live stream on a real server: a snapshot goes out when the stream opens and again only when it
 * changed, and however many consoles listen, one look builds the snapshots, which stop when nobody listens.
 */
class AdminStreamTest {

    private final AtomicReference<JsonObject> current = new AtomicReference<>(snapshot(1));
    private final AtomicInteger looks = new AtomicInteger();
    /** What the front door let each stream in with: its session or key, still valid or not. */
    private final AtomicBoolean admitted = new AtomicBoolean(true);
    private static final String ENDED = "(the stream ended)";
    private final List<InputStream> opened = new ArrayList<>();
    private AdminStream stream;
    private WebServer server;

    @BeforeEach
    void startServer() {
        stream = new AdminStream(Map.of("counter", () -> {
            looks.incrementAndGet();
            return current.get();
        }));
        server = WebServer.builder().port(0).routing(routing -> routing
                .addFilter((chain, req, res) -> {
                    req.context().register((Admission) admitted::get);
                    chain.proceed();
                })
                .register("/v1/admin", stream)).build().start();
    }

    @AfterEach
    void stopServer() throws Exception {
        stream.close();
        for (InputStream in : opened) {
            in.close();
        }
        server.stop();
    }

    @Test
    void aSnapshotIsSentWhenTheStreamOpensAndAgainOnlyWhenItChanges() throws Exception {
        LinkedBlockingQueue<String> events = listen();

        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("counter " + snapshot(1));
        assertThat(events.poll(2 * AdminStream.INTERVAL.toMillis() + 500, TimeUnit.MILLISECONDS))
                .as("nothing changed, nothing sent (several looks later)").isNull();

        current.set(snapshot(2));

        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("counter " + snapshot(2));
    }

    @Test
    void oneLookServesEveryConsoleAndLookingStopsWhenNobodyListens() throws Exception {
        List<LinkedBlockingQueue<String>> consoles = List.of(listen(), listen(), listen());
        for (LinkedBlockingQueue<String> events : consoles) {
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("counter " + snapshot(1));
        }
        int before = looks.get();
        Thread.sleep(10 * AdminStream.INTERVAL.toMillis());
        int during = looks.get() - before;

        assertThat(during).as("looks in ten intervals with three consoles open").isBetween(5, 12);

        for (InputStream in : opened) {
            in.close();
        }
        opened.clear();
        // changes make each stream write, and find its console gone (the first write may still be buffered)
        for (int n = 3; n < 6; n++) {
            current.set(snapshot(n));
            Thread.sleep(3 * AdminStream.INTERVAL.toMillis());
        }
        int after = looks.get();
        Thread.sleep(6 * AdminStream.INTERVAL.toMillis());

        assertThat(looks.get()).as("no looks once every console left").isEqualTo(after);
    }

    @Test
    void aStreamEndsOnceWhatLetItInNoLongerHolds() throws Exception {
        LinkedBlockingQueue<String> events = listen();
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("counter " + snapshot(1));

        admitted.set(false); // its console session logged out, or its key revoked

        assertThat(events.poll(2 * AdminStream.ADMISSION_CHECK.toMillis() + 3000, TimeUnit.MILLISECONDS))
                .as("the stream, soon after").isEqualTo(ENDED);
    }

    private static JsonObject snapshot(int n) {
        return Json.createObjectBuilder().add("n", n).build();
    }

    /** Opens a stream; its events arrive in the queue as "name data". */
    private LinkedBlockingQueue<String> listen() throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/v1/admin/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        opened.add(response.body());
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        name = line.substring("event:".length()).trim();
                    } else if (line.startsWith("data:") && name != null) {
                        events.add(name + " " + line.substring("data:".length()).trim());
                        name = null;
                    }
                }
                events.add(ENDED);
            } catch (Exception e) {
                // closed by the test
            }
        });
        return events;
    }
}
