package io.vectorsync.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches saturate the server (text queries, embedded by the server, on a search bulkhead of one thread with two
 * places to wait): a write batch still completes quickly, the searches beyond the bulkhead are answered 429 with
 * {@code Retry-After} and a problem, and nothing is answered 5xx.
 */
class OverloadTest {

    @TempDir
    Path dataDir;

    @Test
    void searchesThatSaturateTheServerDoNotHoldUpWritesAndOverloadIsA429() throws Exception {
        Settings settings = TestApp.keys(dataDir)
                .put("vectorsync.limits.search.threads", 1)
                .put("vectorsync.limits.search.queue", 2)
                .put("vectorsync.limits.search.deadline-ms", 300)
                .settings();
        try (TestApp app = TestApp.start(settings)) {
            HttpClient http = HttpClient.newHttpClient();
            URI search = URI.create(app.baseUrl() + "/v1/tenants/acme/search");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger served = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger serverErrors = new AtomicInteger();
            List<String> badRefusals = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> searchers = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                int client = c;
                searchers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 2_000 && !stop.get(); i++) {
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(search)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"password reset number "
                                            + client + "-" + i + "\", \"k\": 5}")).build(), HttpResponse.BodyHandlers.ofString());
                            switch (response.statusCode()) {
                                case 200 -> served.incrementAndGet();
                                case 429 -> {
                                    refused.incrementAndGet();
                                    if (response.headers().firstValue("Retry-After").isEmpty()
                                            || !response.headers().firstValue("Content-Type").orElse("").equals("application/problem+json")
                                            || !response.body().contains("problems/overloaded")) {
                                        badRefusals.add(response.headers().map() + " " + response.body());
                                    }
                                }
                                default -> {
                                    if (response.statusCode() >= 500) {
                                        serverErrors.incrementAndGet();
                                    }
                                }
                            }
                        } catch (Exception e) {
                            serverErrors.incrementAndGet();
                        }
                    }
                }));
            }
            try {
                TestApp.await("the searches saturate the bulkhead", Duration.ofSeconds(30), () -> refused.get() > 20);
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    batch.append("{\"documentId\":\"w").append(i).append("\",\"body\":\"b\",\"vectors\":{\"space\":\"tiny\","
                            + "\"vector\":[1,0.5,0.25,").append(i).append("]}}\n");
                }
                long started = System.nanoTime();
                TestApp.Response written = app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", batch.toString());
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(written.status()).isEqualTo(200);
                assertThat(written.body().lines().filter(line -> line.contains("\"status\":201")).count()).isEqualTo(100);
                assertThat(took).as("the batch under search load").isLessThan(Duration.ofSeconds(5));
            } finally {
                stop.set(true);
                for (Thread searcher : searchers) {
                    searcher.join(30_000);
                }
            }
            assertThat(served.get()).as("searches served").isPositive();
            assertThat(badRefusals).as("429s without Retry-After or problem").isEmpty();
            assertThat(serverErrors.get()).as("5xx or failed requests").isZero();
        }
    }
}
