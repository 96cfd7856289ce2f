package io.vectorsync.bench;

import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;
import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.VectorIndex;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.percentile;
import static io.vectorsync.bench.BenchSupport.seconds;

/**
 * How the embedded default holds up as it grows (issue 19): client-vector documents (384 dimensions) ingested
 * through the HTTP API in bounded NDJSON batches by a few concurrent writers, then text documents embedded in
 * process, on the embedded store and index, in a JVM with a bounded heap ({@code bench/scale} runs it with 2 GB).
 * <p>
 * Per step of {@code --step} documents it reports the acknowledged rate, the heap in use after a collection, the
 * store file and the index on disk; at the end the time until everything is searchable, query latency through the
 * API, a count and a drift check (nothing lost), the time to rebuild the index from the log (a blue/green version,
 * until it caught up) and the time to restart (until ready). The throughput of the last step against the first
 * shows how the cost grows with size; the goal is at least 0.7 at a million documents.
 * <p>
 * Usage: bench/scale [--documents 1000000] [--texts 10000] [--step 100000] [--batch 1000] [--writers 2]
 * [--queries 200]
 */
public final class ScaleBenchmark {

    private static final int DIMENSION = 384;
    private static final String TENANT = "scale";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int documents = intArg(args, "--documents", 1_000_000);
        int texts = intArg(args, "--texts", 10_000);
        int step = intArg(args, "--step", 100_000);
        int batch = intArg(args, "--batch", 1_000);
        int writers = intArg(args, "--writers", 2);
        int queries = intArg(args, "--queries", 200);
        Path dataDir = Files.createTempDirectory("vectorsync-scale");
        System.out.printf(Locale.ROOT, "%,d client-vector documents in batches of %,d by %d writers, then %,d texts; "
                + "heap limit %d MB; data in %s%n", documents, batch, writers, texts,
                Runtime.getRuntime().maxMemory() >> 20, dataDir);
        Map<String, String> keys = BenchSupport.baseKeys(dataDir, "bench");
        BenchSupport.space(keys, "client", "client", DIMENSION);
        BenchSupport.space(keys, "text", MiniLmEmbeddingModel.ID, DIMENSION);
        keys.put("vectorsync.default-space", "client");
        Settings settings = Settings.of(keys);
        Main.Running running = Main.start(settings);
        try {
            System.out.println();
            System.out.println("| documents | acknowledged docs/s in this step | heap in use after GC | store file | index on disk | bytes per document (store + index) |");
            System.out.println("|---|---|---|---|---|---|");
            List<Double> rates = new ArrayList<>();
            long start = System.nanoTime();
            for (int from = 0; from < documents; from += step) {
                int to = Math.min(documents, from + step);
                long stepStart = System.nanoTime();
                ingest(running.port(), from, to, batch, writers);
                double rate = (to - from) / seconds(stepStart);
                rates.add(rate);
                long store = Files.size(dataDir.resolve("events").resolve("vectorsync.mv.db"));
                long index = sizeOf(dataDir.resolve("index"));
                System.out.printf(Locale.ROOT, "| %,d | %,.0f | %d MB | %,d MB | %,d MB | %,.0f |%n", to, rate,
                        heapAfterGc() >> 20, store >> 20, index >> 20, (double) (store + index) / to);
            }
            double ingestSeconds = seconds(start);
            VectorIndex client = running.app().indexes().forSpace("client");
            long searchableAt = awaitCount(() -> client.countDocuments(TENANT), documents);
            System.out.printf(Locale.ROOT, "%n%,d documents acknowledged in %.0f s; all searchable %.1f s later%n",
                    documents, ingestSeconds, (searchableAt - start) / 1e9 - ingestSeconds);
            if (rates.size() > 1) {
                System.out.printf(Locale.ROOT, "throughput of the last step ÷ the first: %.2f%n",
                        rates.getLast() / rates.getFirst());
            }

            long textStart = System.nanoTime();
            ingestTexts(running.port(), texts, batch);
            VectorIndex text = running.app().indexes().forSpace("text");
            awaitCount(() -> text.countDocuments(TENANT), texts);
            System.out.printf(Locale.ROOT, "%,d texts embedded and searchable in %.0f s (%.1f docs/s)%n", texts,
                    seconds(textStart), texts / seconds(textStart));

            List<Double> latencies = new ArrayList<>();
            Random random = new Random(99);
            for (int q = 0; q < queries; q++) {
                String body = "{\"space\":\"client\",\"k\":10,\"vector\":" + BenchSupport.json(BenchSupport.unitVector(random, DIMENSION)) + "}";
                long sent = System.nanoTime();
                send(running.port(), "POST", "/v1/tenants/" + TENANT + "/search", "application/json", body);
                latencies.add((System.nanoTime() - sent) / 1e6);
            }
            System.out.printf(Locale.ROOT, "k-NN search through the API, k = 10, %d queries: p50 %.1f ms, p99 %.1f ms%n",
                    queries, percentile(latencies, 50), percentile(latencies, 99));
            JsonObject drift = parse(send(running.port(), "GET", "/v1/admin/indexes/client/drift", null, null));
            System.out.printf(Locale.ROOT, "count %,d of %,d; drift %d (in sync %d)%n", client.countDocuments(TENANT),
                    documents, drift.getInt("drift"), drift.getInt("inSync"));

            long rebuildStart = System.nanoTime();
            JsonObject started = parse(send(running.port(), "POST", "/v1/admin/indexes/client/versions", "application/json", "{}"));
            int version = started.getInt("version");
            while (true) {
                JsonObject spaces = parse(send(running.port(), "GET", "/v1/admin/indexes", null, null));
                JsonObject progress = progressOf(spaces, version);
                if (progress != null && progress.getBoolean("caughtUp")) {
                    break;
                }
                Thread.sleep(500);
            }
            System.out.printf(Locale.ROOT, "rebuild of the client index from the log (version %d): %.0f s%n", version,
                    seconds(rebuildStart));
        } finally {
            running.stop();
        }
        long restartStart = System.nanoTime();
        Main.Running again = Main.start(settings);
        try {
            while (HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + again.port() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "restart until ready (in the same JVM: classes and model already loaded): %.1f s%n",
                    seconds(restartStart));
        } finally {
            again.stop();
            IngestBenchmark.deleteRecursively(dataDir);
        }
    }

    /** Documents [from, to) in batches, by {@code writers} threads at once; fails on any line not created. */
    private static void ingest(int port, int from, int to, int batch, int writers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicLong next = new AtomicLong(from);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            done.add(pool.submit(() -> {
                long first;
                while ((first = next.getAndAdd(batch)) < to) {
                    StringBuilder ndjson = new StringBuilder(batch * DIMENSION * 12);
                    for (long i = first; i < Math.min(to, first + batch); i++) {
                        Random random = new Random(i);
                        ndjson.append("{\"documentId\":\"v").append(i).append("\",\"title\":\"Vector ").append(i)
                                .append("\",\"body\":\"document number ").append(i)
                                .append("\",\"vectors\":{\"space\":\"client\",\"vector\":")
                                .append(BenchSupport.json(BenchSupport.unitVector(random, DIMENSION))).append("}}\n");
                    }
                    String answer = send(port, "POST", "/v1/tenants/" + TENANT + "/documents:batch",
                            "application/x-ndjson", ndjson.toString());
                    long failed = answer.lines().filter(line -> !line.contains("\"status\":201")).count();
                    if (failed > 0) {
                        throw new IllegalStateException(failed + " lines of a batch failed: "
                                + answer.lines().filter(line -> !line.contains("\"status\":201")).findFirst().orElse(""));
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void ingestTexts(int port, int count, int batch) throws Exception {
        List<IngestBenchmark.Doc> docs = Corpus.documents(count, 11);
        for (int from = 0; from < count; from += batch) {
            StringBuilder ndjson = new StringBuilder();
            for (IngestBenchmark.Doc doc : docs.subList(from, Math.min(count, from + batch))) {
                ndjson.append("{\"documentId\":\"t").append(doc.id()).append("\",\"title\":\"").append(doc.title())
                        .append("\",\"body\":\"").append(doc.body()).append("\"}\n");
            }
            send(port, "POST", "/v1/tenants/" + TENANT + "/documents:batch", "application/x-ndjson", ndjson.toString());
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The files under {@code dir}; files that merges delete while it counts count as nothing. */
    private static long sizeOf(Path dir) {
        java.io.File[] files = dir.toFile().listFiles();
        long sum = 0;
        for (java.io.File file : files == null ? new java.io.File[0] : files) {
            sum += file.isDirectory() ? sizeOf(file.toPath()) : file.length();
        }
        return sum;
    }

    private static long awaitCount(java.util.function.LongSupplier count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 60L * 60 * 1_000_000_000;
        while (count.getAsLong() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsLong() + " of " + expected + " became searchable");
            }
            Thread.sleep(100);
        }
        return System.nanoTime();
    }

    private static JsonObject progressOf(JsonObject described, int version) {
        for (JsonObject space : described.getJsonArray("spaces").getValuesAs(JsonObject.class)) {
            if (!space.getString("space").equals("client")) {
                continue;
            }
            for (JsonObject v : space.getJsonArray("versions").getValuesAs(JsonObject.class)) {
                if (v.getInt("version") == version) {
                    return v.containsKey("progress") && !v.isNull("progress") ? v.getJsonObject("progress") : null;
                }
            }
        }
        return null;
    }

    private static JsonObject parse(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static String send(int port, String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
