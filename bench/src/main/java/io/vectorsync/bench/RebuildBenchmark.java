package io.vectorsync.bench;


import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.opensearch.IndexLayout;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.projections.versions.VersionFeeds;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.TrackedEventMessage;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.median;
import static io.vectorsync.bench.BenchSupport.seconds;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * Blue/green rebuild throughput (issue 6), side by side in one run on one OpenSearch node: (a) a rebuild
 * through the admin API ({@code POST /v1/admin/indexes/<space>/versions}, timed until its progress says
 * {@code caughtUp}, then dropped, never swapped, so every round builds from the same log); (b) a bare bulk
 * load of the same vectors into a fresh index with the same mapping; (c) the same log read by a pooled
 * streaming processor configured as a rebuild's (same source, segments, batch size) but with a handler that does nothing beyond deserializing
 * each payload, and (d) by one thread looping over the event store's stream: the floor of any replay.
 * {@code --probe-refresh-interval 1s} adds (e), a probe rather than what the API does: a rebuild whose new version
 * gets that refresh interval right after it is created (the API builds it with refreshes off).
 * Usage (bench/rebuild starts the node):
 * RebuildBenchmark URL [--docs N] [--rounds N] [--warmup N] [--batch N] [--settings JSON] [--probe-refresh-interval T]
 */
public final class RebuildBenchmark {

    private static final String TENANT = "bench";
    private static final String SPACE = "client";
    private static final int DIMENSION = 384;
    private static final long ROUND_TIMEOUT_NANOS = 10L * 60 * 1_000_000_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int docs = intArg(args, "--docs", 20_000);
        int rounds = intArg(args, "--rounds", 3);
        int warmup = intArg(args, "--warmup", 1);
        String probeRefresh = stringArg(args, "--probe-refresh-interval", "");
        int batch = intArg(args, "--batch", 200); // processors.batch-size; a rebuild uses max(batch, 500)
        String rebuildBody = stringArg(args, "--settings", "{}");
        int rebuildBatch = Math.max(batch, 500);
        float[][] vectors = OpenSearchBenchmark.clustered(docs, 11);

        Path dataDir = Files.createTempDirectory("vectorsync-bench-rebuild");
        String prefix = "bench-" + Long.toString(System.nanoTime(), 36);
        Settings settings = OpenSearchBenchmark.settings(dataDir, url, prefix, batch);
        OpenSearchSettings opensearch = settings.opensearch();
        System.out.printf(Locale.ROOT, "%d clustered unit vectors of %d dimensions, node %s, %d segments, "
                        + "batch %d (rebuild batch %d), rebuild body %s%n",
                docs, DIMENSION, url, settings.segments(), batch, rebuildBatch, rebuildBody);

        Main.Running running = Main.start(settings);
        try {
            long started = System.nanoTime();
            for (int from = 0; from < docs; from += 5000) {
                String answer = OpenSearchBenchmark.post(running, "/v1/tenants/" + TENANT + "/documents:batch",
                        "application/x-ndjson", OpenSearchBenchmark.ndjson(vectors, from, Math.min(docs, from + 5000)));
                if (answer.contains("\"problem\"")) {
                    throw new IllegalStateException("the batch was not accepted: "
                            + answer.substring(0, Math.min(500, answer.length())));
                }
            }
            OpenSearchBenchmark.awaitIndexed(running, docs);
            long head = running.app().database().headPosition();
            long events = eventCount(running);
            System.out.printf(Locale.ROOT, "ingest through the API (write, project, searchable): %.0f docs/s; "
                    + "the log holds %d events, the last at position %d%n", docs / seconds(started), events, head);

            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (String measure : probeRefresh.isEmpty() ? List.of("a", "b", "c", "d") : List.of("a", "b", "c", "d", "e")) {
                rates.put(measure, new ArrayList<>());
            }
            List<Double> reported = new ArrayList<>();
            List<Double> refreshes = new ArrayList<>();
            List<String> order = List.copyOf(rates.keySet());
            for (int round = 1 - warmup; round <= rounds; round++) {
                boolean counted = round >= 1;
                StringBuilder line = new StringBuilder(counted ? "round " + round + ":" : "warm-up:");
                for (int i = 0; i < order.size(); i++) { // a different measure goes first each round
                    String measure = order.get(Math.floorMod(i + round - 1, order.size()));
                    double rate = switch (measure) {
                        case "a" -> {
                            Rebuild rebuild = rebuild(running, url, prefix, rebuildBody, docs, "");
                            if (counted) {
                                reported.add(rebuild.reportedEventsPerSecond);
                                refreshes.add(rebuild.refreshSeconds);
                            }
                            yield rebuild.docsPerSecond;
                        }
                        case "e" -> rebuild(running, url, prefix, rebuildBody, docs, probeRefresh).docsPerSecond;
                        case "b" -> OpenSearchBenchmark.bareBulk(url, opensearch, vectors, rebuildBatch, round + warmup);
                        case "c" -> noOpProcessor(running, "bench-noop-" + round, head, events, docs);
                        default -> noOpLoop(running, head, events, docs);
                    };
                    if (counted) {
                        rates.get(measure).add(rate);
                    }
                    line.append(String.format(Locale.ROOT, " (%s) %.0f docs/s", measure, rate));
                    Thread.sleep(1000); // let the node finish deleting the last index before the next measure
                }
                System.out.println(line);
            }

            double a = median(rates.get("a"));
            double b = median(rates.get("b"));
            double c = median(rates.get("c"));
            double d = median(rates.get("d"));
            System.out.println();
            System.out.printf(Locale.ROOT, "%d documents, %d events; medians of %d rounds after %d warm-up%n", docs, events,
                    rounds, warmup);
            System.out.println();
            System.out.println("| measure | docs/s per round | median docs/s | median events/s | (a) / this | goal |");
            System.out.println("|---|---|---|---|---|---|");
            row("(a) rebuild through the admin API, until `caughtUp`", rates.get("a"), a, (double) events / docs, a, "");
            row("(b) bare bulk load of the same vectors, bulks of " + rebuildBatch + ", refreshed", rates.get("b"), b,
                    0, a, "≥ 0.7");
            row("(c) the same processor set-up, no-op handler", rates.get("c"), c, (double) events / docs, a, "");
            row("(d) one thread looping over the event store's stream", rates.get("d"), d, (double) events / docs, a, "");
            if (!probeRefresh.isEmpty()) {
                row("(e) probe: (a) with the new version's refresh_interval set to " + probeRefresh, rates.get("e"),
                        median(rates.get("e")), (double) events / docs, a, "");
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "(a)'s own progress.eventsPerSecond at catch-up, per round: %s; "
                    + "refresh of the caught-up version (not timed in (a)): %s s%n",
                    join(reported, "%.0f"), join(refreshes, "%.2f"));
        } finally {
            running.stop();
        }
    }

    private record Rebuild(double docsPerSecond, double reportedEventsPerSecond, double refreshSeconds) {
    }

    /**
     * Starts a rebuild into a new version, polls until that version has caught up with the log, checks that it
     * holds every document, and drops it, so the next round builds from the same live state.
     */
    private static Rebuild rebuild(Main.Running running, String url, String prefix, String body, int docs,
                                   String refreshInterval) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> created = admin(running, "POST", "/v1/admin/indexes/" + SPACE + "/versions", body);
        if (created.statusCode() != 202) {
            throw new IllegalStateException("rebuild answered " + created.statusCode() + ": " + created.body());
        }
        int version = parse(created.body()).getInt("version");
        String physical = IndexLayout.of(prefix, new SpaceSpec(SPACE, DIMENSION, SpaceSpec.Metric.COSINE)).physical(version);
        if (!refreshInterval.isEmpty()) {
            String answer = OpenSearchBenchmark.send(HttpRequest.newBuilder(URI.create(url + "/" + physical + "/_settings"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"index\":{\"refresh_interval\":\"" + refreshInterval + "\"}}")));
            if (!answer.contains("\"acknowledged\":true")) {
                throw new IllegalStateException("setting the refresh interval of " + physical + ": " + answer);
            }
        }
        JsonObject progress = null;
        while (true) {
            HttpResponse<String> state = admin(running, "GET", "/v1/admin/indexes", null);
            if (state.statusCode() != 200) {
                throw new IllegalStateException("GET /v1/admin/indexes answered " + state.statusCode() + ": " + state.body());
            }
            JsonObject described = versionOf(parse(state.body()), version);
            progress = described == null ? null : described.getJsonObject("progress");
            if (progress != null && progress.getBoolean("caughtUp")) {
                break;
            }
            if (System.nanoTime() - started > ROUND_TIMEOUT_NANOS) {
                throw new IllegalStateException("version " + version + " did not catch up within 10 minutes; last "
                        + "state: " + state.body());
            }
            Thread.sleep(50);
        }
        double rate = docs / seconds(started);
        double reported = progress.getJsonNumber("eventsPerSecond").doubleValue();

        long refreshStarted = System.nanoTime();
        OpenSearchBenchmark.send(HttpRequest.newBuilder(URI.create(url + "/" + physical + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        double refresh = seconds(refreshStarted);
        String count = OpenSearchBenchmark.send(HttpRequest.newBuilder(URI.create(url + "/" + physical + "/_count"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":{\"term\":{\"kind\":\"chunk\"}}}")));
        int chunks = parse(count).getInt("count");
        if (chunks != docs) {
            throw new IllegalStateException("version " + version + " caught up holding " + chunks + " chunks, not "
                    + docs + "; progress " + progress);
        }
        HttpResponse<String> dropped = admin(running, "DELETE", "/v1/admin/indexes/" + SPACE + "/versions/" + version, null);
        if (dropped.statusCode() != 200) {
            throw new IllegalStateException("drop answered " + dropped.statusCode() + ": " + dropped.body());
        }
        return new Rebuild(rate, reported, refresh);
    }

    private static JsonObject versionOf(JsonObject indexes, int version) {
        for (JsonValue space : indexes.getJsonArray("spaces")) {
            if (space.asJsonObject().getString("space").equals(SPACE)) {
                for (JsonValue described : space.asJsonObject().getJsonArray("versions")) {
                    if (described.asJsonObject().getInt("version") == version) {
                        return described.asJsonObject();
                    }
                }
            }
        }
        return null;
    }

    /**
     * The log through the processor a rebuild uses ({@link VersionFeeds}: same segments, batch size, executors, token
     * store, transactions and dead-letter queue) whose handler only deserializes each payload, as any real handler
     * must.
     */
    private static double noOpProcessor(Main.Running running, String group, long head, long events,
                                        int docs)
            throws InterruptedException {
        LongAdder handled = new LongAdder();
        EventMessageHandler noOp = new EventMessageHandler() {
            @Override
            public Object handle(EventMessage<?> event) {
                if (event.getPayload() != null) {
                    handled.increment();
                }
                return null;
            }
        };
        long started = System.nanoTime();
        // the one factory of the processors feeding index versions, with a handler that does nothing
        VersionFeeds.Feed feed = running.app().versions().orElseThrow().feeds().start(group, noOp, null, null);
        var processor = feed.processor();
        try {
            while (!io.vectorsync.store.ProcessorProgress.reached(processor, head)) {
                if (System.nanoTime() - started > ROUND_TIMEOUT_NANOS) {
                    throw new IllegalStateException(group + " did not catch up: " + processor.processingStatus());
                }
                Thread.sleep(10);
            }
            double rate = docs / seconds(started);
            if (handled.sum() != events) {
                throw new IllegalStateException(group + " handled " + handled.sum() + " events, the log holds " + events);
            }
            return rate;
        } finally {
            feed.stop();
            running.app().database().deleteTokens(group);
        }
    }

    /** The log read by one thread from the event store's stream, each payload deserialized, nothing else. */
    private static double noOpLoop(Main.Running running, long head, long events, int docs) throws InterruptedException {
        long started = System.nanoTime();
        long read = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = running.app().eventStore().openStream(null)) {
            while (true) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (event.getPayload() != null) {
                    read++;
                }
                if (event.trackingToken().position().orElse(-1) >= head) {
                    break;
                }
            }
        }
        if (read != events) {
            throw new IllegalStateException("the stream gave " + read + " events, the log holds " + events);
        }
        return docs / seconds(started);
    }

    private static void row(String measure, List<Double> perRound, double median, double eventsPerDoc, double a,
                            String goal) {
        String eventRate = eventsPerDoc == 0 ? "" : String.format(Locale.ROOT, "%,.0f", median * eventsPerDoc);
        System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %.2f | %s |%n", measure, join(perRound, "%,.0f"),
                median, eventRate, a / median, goal);
    }

    private static String join(List<Double> values, String format) {
        return values.stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(" / "));
    }

    private static HttpResponse<String> admin(Main.Running running, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + running.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long eventCount(Main.Running running) throws SQLException {
        try (Connection connection = running.app().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM DomainEventEntry")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
