package io.vectorsync.bench;

import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;

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

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.median;
import static io.vectorsync.bench.BenchSupport.percentile;

/**
 * What the front door costs a query: the same k-NN searches against two apps in this process over the same
 * documents, one serving without keys (loopback, no checks) and one where every request carries a reader key
 * (looked up by id, SHA-256 compared in constant time, tenant scope and rate limit checked). Rounds alternate which
 * app goes first; each round reports both p50s, and the result is the median of the per-round ratios.
 */
public final class AccessBenchmark {

    private static final int DIMENSION = 384;
    private static final String ADMIN_KEY = "bench-bootstrap-admin-key-0123456789abcdef";

    private AccessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int docs = intArg(args, "--docs", 5000);
        int queries = intArg(args, "--queries", 2000);
        int rounds = intArg(args, "--rounds", 5);
        float[][] vectors = IngestBenchmark.randomUnitVectors(docs, 42);
        List<String> bodies = new ArrayList<>();
        for (float[] query : IngestBenchmark.randomUnitVectors(queries, 43)) {
            bodies.add("{\"vector\":" + BenchSupport.json(query) + ",\"k\":10}");
        }
        HttpClient http = HttpClient.newHttpClient();
        Path openDir = Files.createTempDirectory("vectorsync-bench-open");
        Path keyedDir = Files.createTempDirectory("vectorsync-bench-keyed");
        Main.Running open = Main.start(Settings.of(keys(openDir)));
        Map<String, String> withKey = keys(keyedDir);
        withKey.put("vectorsync.security.admin.key", ADMIN_KEY);
        Main.Running keyed = Main.start(Settings.of(withKey));
        try {
            String reader = createReaderKey(http, keyed.port());
            ingest(http, open.port(), null, vectors);
            ingest(http, keyed.port(), ADMIN_KEY, vectors);
            System.out.printf(Locale.ROOT, "%d documents of %d dimensions; %d k-NN queries (k=10) per app per round%n",
                    docs, DIMENSION, queries);
            run(http, open.port(), null, bodies); // warm-up of both, not counted
            run(http, keyed.port(), reader, bodies);
            List<Double> ratios = new ArrayList<>();
            List<Double> openP50 = new ArrayList<>();
            List<Double> keyedP50 = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double o;
                double k;
                if (round % 2 == 1) {
                    o = run(http, open.port(), null, bodies);
                    k = run(http, keyed.port(), reader, bodies);
                } else {
                    k = run(http, keyed.port(), reader, bodies);
                    o = run(http, open.port(), null, bodies);
                }
                openP50.add(o);
                keyedP50.add(k);
                ratios.add(k / o);
                System.out.printf(Locale.ROOT, "round %d: p50 without keys %.3f ms, with a reader key %.3f ms, ratio %.3f%n",
                        round, o, k, k / o);
            }
            System.out.printf(Locale.ROOT, "median p50 without keys %.3f ms, with keys %.3f ms; median ratio %.3f "
                            + "(the front door adds %+.1f %%)%n", median(openP50), median(keyedP50), median(ratios),
                    (median(ratios) - 1) * 100);
        } finally {
            open.stop();
            keyed.stop();
        }
    }

    private static Map<String, String> keys(Path dataDir) {
        Map<String, String> keys = BenchSupport.baseKeys(dataDir, "bench");
        BenchSupport.space(keys, "default", "client", DIMENSION);
        keys.put("vectorsync.default-space", "default");
        return keys;
    }

    /** One query after another; answers their p50 in milliseconds. */
    private static double run(HttpClient http, int port, String key, List<String> bodies) throws Exception {
        List<Double> latencies = new ArrayList<>(bodies.size());
        URI uri = URI.create("http://localhost:" + port + "/v1/tenants/bench/search");
        for (String body : bodies) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            latencies.add((System.nanoTime() - start) / 1e6);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("search answered " + response.statusCode() + ": " + response.body());
            }
        }
        return percentile(latencies, 50);
    }

    private static String createReaderKey(HttpClient http, int port) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/v1/admin/keys")).header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"role\":\"reader\",\"tenants\":[\"bench\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("key creation answered " + created.statusCode() + ": " + created.body());
        }
        String body = created.body();
        int at = body.indexOf("\"key\":\"") + 7;
        return body.substring(at, body.indexOf('"', at));
    }

    private static void ingest(HttpClient http, int port, String key, float[][] vectors) throws Exception {
        for (int from = 0; from < vectors.length; from += 1000) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = from; i < Math.min(vectors.length, from + 1000); i++) {
                ndjson.append("{\"documentId\":\"d").append(i).append("\",\"title\":\"D").append(i)
                        .append("\",\"body\":\"document ").append(i).append("\",\"vectors\":{\"space\":\"default\",\"vector\":")
                        .append(BenchSupport.json(vectors[i])).append("}}\n");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/v1/tenants/bench/documents:batch")).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString()));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("\"problem\"")) {
                throw new IllegalStateException("ingest failed: " + response.statusCode());
            }
        }
        Thread.sleep(3000); // the index processor commits its last batch
    }
}
