package io.vectorsync.bench;

import io.vectorsync.app.Main;
import io.vectorsync.bench.LoadRuns.Result;
import io.vectorsync.app.Settings;
import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.ui.access.AccessPolicy;
import io.vectorsync.ui.access.LoadLimits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.json;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * Writes under search load (issue 20), each loaded run next to the writer alone in the same app: one writer sends
 * NDJSON batches of 100 client vectors as fast as they are acknowledged, a freshness probe writes one document every
 * 200 ms and searches for it until it is found, and N closed-loop clients search (k = 10; every fourth a text query
 * embedded by the server). A 429 is counted and its {@code Retry-After} honoured. Reports writes/s, the share of the
 * solo rate kept, searches/s, search p50/p99/max, freshness p99, 429s and 5xx.
 */
public final class LoadBenchmark {

    private static final int DIMENSION = 384;
    private static final String TENANT = "load";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String[] TEXT_QUERIES = {"refund request for the monthly statement",
            "two-factor authentication for login attempts", "expense receipts before the end of the month",
            "server racks in the data centre", "the onboarding checklist for a new employee"};

    public static void main(String[] args) throws Exception {
        int preload = intArg(args, "--documents", 5_000);
        int seconds = intArg(args, "--seconds", 30);
        int warmup = intArg(args, "--warmup", 30);
        List<Integer> clients = java.util.Arrays.stream(stringArg(args, "--clients", "1,4,16").split(","))
                .map(Integer::parseInt).toList();
        Path dataDir = Files.createTempDirectory("vectorsync-load");
        LoadLimits.Limit search = LoadLimits.DEFAULTS.of(AccessPolicy.Workload.SEARCH);
        int searchThreads = intArg(args, "--search-threads", search.threads());
        long searchDeadline = intArg(args, "--search-deadline-ms", (int) search.deadline().toMillis());
        long maxIndexLag = intArg(args, "--max-index-lag", (int) LoadLimits.DEFAULTS.maxIndexLag());
        Map<String, String> keys = BenchSupport.baseKeys(dataDir, "load");
        BenchSupport.space(keys, "client", "client", DIMENSION);
        BenchSupport.space(keys, "default", MiniLmEmbeddingModel.ID, DIMENSION);
        keys.put("vectorsync.default-space", "client");
        keys.put("vectorsync.cache.enabled", "true");
        keys.put("vectorsync.limits.search.threads", Integer.toString(searchThreads));
        keys.put("vectorsync.limits.search.deadline-ms", Long.toString(searchDeadline));
        keys.put("vectorsync.limits.write.max-index-lag", Long.toString(maxIndexLag));
        Settings settings = Settings.of(keys);
        System.out.printf(Locale.ROOT, "search pool: %d threads, deadline %d ms; writes wait while the index is more than %d "
                + "events behind%n", searchThreads, searchDeadline, maxIndexLag);
        Main.Running running = Main.start(settings);
        try {
            String base = "http://localhost:" + running.port() + "/v1/tenants/" + TENANT;
            Random random = new Random(5);
            for (int from = 0; from < preload; from += 500) {
                send(batch(base, random, "pre", from, Math.min(500, preload - from)));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (running.app().indexes().forSpace("client").countDocuments(TENANT) < preload) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the preload was not indexed within 5 minutes");
                }
                Thread.sleep(100);
            }
            LoadRuns.Target target = new HttpTarget(base);
            long expected = preload + LoadRuns.table(target, preload + " client-vector documents", clients, seconds, warmup,
                    java.util.Arrays.asList(args).contains("--cpu"),
                    () -> running.app().hotCache().map(hot -> hot.stats("client").entries()).orElse(0));
            deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            long indexed;
            while ((indexed = running.app().indexes().forSpace("client").countDocuments(TENANT)) != expected
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "%nacknowledged documents %d, indexed %d%s%n", expected, indexed,
                    indexed == expected ? " (none lost, none twice)" : " — MISMATCH");
        } finally {
            running.stop();
            IngestBenchmark.deleteRecursively(dataDir);
        }
    }

    /** The app's HTTP API, as the content system and the search clients use it. */
    private record HttpTarget(String base) implements LoadRuns.Target {
        @Override
        public void writer(int run, AtomicBoolean stop, Result result) {
            LoadBenchmark.writer(base, run, stop, result);
        }

        @Override
        public void freshnessProbe(int run, AtomicBoolean stop, Result result) {
            LoadBenchmark.freshnessProbe(base, run, stop, result);
        }

        @Override
        public void searcher(int client, AtomicBoolean stop, Result result) {
            LoadBenchmark.searcher(base, client, stop, result);
        }
    }

    private static void writer(String base, int run, AtomicBoolean stop, Result result) {
        Random random = new Random(100 + run);
        for (int from = 0; !stop.get(); from += 100) {
            HttpRequest request = batch(base, random, "w" + run + "-", from, 100);
            try {
                HttpResponse<String> response = sendRetryingAfter429(request, result.writeRefusals::incrementAndGet);
                count(result, response.statusCode());
                if (response.statusCode() == 200) {
                    result.written.addAndGet(response.body().lines().filter(l -> l.contains("\"status\":201")).count());
                }
            } catch (Exception e) {
                result.failures.incrementAndGet();
            }
        }
    }

    /** Every 200 ms one document, then its own vector searched (k = 1) until it comes first. */
    private static void freshnessProbe(String base, int run, AtomicBoolean stop, Result result) {
        Random random = new Random(200 + run);
        for (int i = 0; !stop.get(); i++) {
            try {
                float[] vector = BenchSupport.unitVector(random, DIMENSION);
                String id = "probe-" + run + "-" + i;
                HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/documents/" + id))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"body\":\"probe\",\"vectors\":{\"space\":\"client\","
                                + "\"vector\":" + json(vector) + "}}")).build(), HttpResponse.BodyHandlers.ofString());
                long acknowledged = System.nanoTime();
                if (put.statusCode() / 100 != 2) {
                    count(result, put.statusCode());
                    Thread.sleep(put.statusCode() == 429 ? retryAfterMillis(put) : 200);
                    continue;
                }
                result.probes.incrementAndGet();
                String query = "{\"space\":\"client\",\"k\":1,\"vector\":" + json(vector) + "}";
                while (!stop.get()) {
                    HttpResponse<String> found = search(base, query);
                    if (found.statusCode() == 200 && found.body().contains("\"documentId\":\"" + id + "\"")) {
                        result.freshness.add((System.nanoTime() - acknowledged) / 1e6);
                        break;
                    }
                    Thread.sleep(found.statusCode() == 429 ? retryAfterMillis(found) : 1);
                }
                Thread.sleep(200);
            } catch (Exception e) {
                result.failures.incrementAndGet();
            }
        }
    }

    private static void searcher(String base, int client, AtomicBoolean stop, Result result) {
        Random random = new Random(300 + client);
        for (int i = 0; !stop.get(); i++) {
            String query = i % 4 == 3
                    ? "{\"text\":\"" + TEXT_QUERIES[random.nextInt(TEXT_QUERIES.length)] + "\",\"space\":\"default\",\"k\":10}"
                    : "{\"space\":\"client\",\"k\":10,\"vector\":" + json(BenchSupport.unitVector(random, DIMENSION)) + "}";
            try {
                long started = System.nanoTime();
                HttpResponse<String> response = search(base, query);
                double millis = (System.nanoTime() - started) / 1e6;
                if (response.statusCode() == 429) {
                    result.searchRefusals.incrementAndGet();
                    Thread.sleep(retryAfterMillis(response));
                    continue;
                }
                count(result, response.statusCode());
                if (response.statusCode() == 200) {
                    result.searchTimes.add(millis);
                } else if (response.statusCode() < 500 && result.unexpected.compareAndSet(null, response.body())) {
                    System.err.println("a search answered " + response.statusCode() + ": " + response.body());
                }
            } catch (Exception e) {
                result.failures.incrementAndGet();
            }
        }
    }

    private static HttpResponse<String> search(String base, String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/search")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest batch(String base, Random random, String prefix, int from, int lines) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = from; i < from + lines; i++) {
            ndjson.append("{\"documentId\":\"").append(prefix).append(i).append("\",\"body\":\"document ").append(i)
                    .append("\",\"vectors\":{\"space\":\"client\",\"vector\":").append(json(BenchSupport.unitVector(random, DIMENSION)))
                    .append("}}\n");
        }
        return HttpRequest.newBuilder(URI.create(base + "/documents:batch")).header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())).build();
    }

    /** A preload batch. */
    private static void send(HttpRequest request) throws Exception {
        HttpResponse<String> response = sendRetryingAfter429(request, () -> { });
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the preload answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Sends until the answer is not 429 (the index pressure, a full queue), waiting as each one's Retry-After says. */
    private static HttpResponse<String> sendRetryingAfter429(HttpRequest request, Runnable onRefused) throws Exception {
        while (true) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429) {
                return response;
            }
            onRefused.run();
            Thread.sleep(retryAfterMillis(response));
        }
    }

    private static long retryAfterMillis(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(s -> Long.parseLong(s) * 1000).orElse(1000L);
    }

    private static void count(Result result, int status) {
        if (status >= 500) {
            result.serverErrors.incrementAndGet();
        }
    }
}
