package io.vectorsync.bench;

import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;
import io.vectorsync.store.EventStoreDatabase;
import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.opensearch.IndexLayout;
import io.vectorsync.projections.index.opensearch.Mappings;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import io.vectorsync.json.Json;
import jakarta.json.JsonArray;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.json;
import static io.vectorsync.bench.BenchSupport.median;
import static io.vectorsync.bench.BenchSupport.percentile;
import static io.vectorsync.bench.BenchSupport.seconds;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * OpenSearch side by side with the system, in one run, on one node: (a) the vector-index projection
 * replaying the log into a fresh index vs. a bare bulk load of the same vectors with the same mapping;
 * (b) query latency through the query API vs. the same k-NN query sent straight to OpenSearch;
 * (c) recall@10 of the API against exact nearest neighbours, for several ef_search values.
 * Usage (bench/opensearch starts the node): OpenSearchBenchmark URL [--docs N] [--queries N] [--rounds N]
 */
public final class OpenSearchBenchmark {

    private static final int DIMENSION = 384;
    private static final String TENANT = "bench";
    private static final String SPACE = "client";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int docs = intArg(args, "--docs", 50_000);
        int queryCount = intArg(args, "--queries", 200);
        int rounds = intArg(args, "--rounds", 2);
        int batch = intArg(args, "--batch", 500);
        int[] efSearches = Arrays.stream(stringArg(args, "--ef-search", "100,200,400").split(","))
                .mapToInt(Integer::parseInt).toArray();
        float[][] vectors = clustered(docs, 11);
        float[][] queries = clustered(queryCount, 12);
        System.out.printf(Locale.ROOT, "%d clustered unit vectors of %d dimensions, %d queries, node %s%n",
                docs, DIMENSION, queryCount, url);

        Path dataDir = Files.createTempDirectory("vectorsync-bench-os");
        String prefix = "bench-" + Long.toString(System.nanoTime(), 36);
        Settings settings = settings(dataDir, url, prefix, batch);
        OpenSearchSettings opensearch = settings.opensearch();

        // the log: every document through the command API once
        Main.Running running = Main.start(settings);
        long started = System.nanoTime();
        for (int from = 0; from < docs; from += 5000) {
            post(running, "/v1/tenants/" + TENANT + "/documents:batch", "application/x-ndjson",
                    ndjson(vectors, from, Math.min(docs, from + 5000)));
        }
        awaitIndexed(running, docs);
        System.out.printf(Locale.ROOT, "ingest through the API (write, project, searchable): %.0f docs/s%n",
                docs / seconds(started));
        running.stop();

        // (a) projection replay vs. bare bulk load, alternating
        List<Double> replay = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            bare.add(bareBulk(url, opensearch, vectors, batch, round));
            replay.add(replay(url, settings, prefix, docs));
            System.out.printf(Locale.ROOT, "round %d: bare bulk %.0f docs/s, projection replay %.0f docs/s%n",
                    round, bare.getLast(), replay.getLast());
        }

        // (b) latency and (c) recall on the replayed index
        running = Main.start(settings);
        try {
            awaitIndexed(running, docs);
            String readAlias = IndexLayout.of(prefix, new SpaceSpec(SPACE, DIMENSION, SpaceSpec.Metric.COSINE)).readAlias();
            for (int i = 0; i < Math.min(50, queries.length); i++) { // warm both paths
                viaApi(running, queries[i]);
                direct(url, readAlias, queries[i]);
            }
            List<Double> api = new ArrayList<>();
            List<Double> straight = new ArrayList<>();
            List<Double> hop = new ArrayList<>();
            URI live = URI.create("http://localhost:" + running.port() + "/health/live");
            for (int repeat = 0; repeat < 3; repeat++) {
                for (float[] query : queries) {
                    long t0 = System.nanoTime();
                    viaApi(running, query);
                    api.add((System.nanoTime() - t0) / 1e6);
                    long t1 = System.nanoTime();
                    direct(url, readAlias, query);
                    straight.add((System.nanoTime() - t1) / 1e6);
                    // the floor of any call through the API: one request to Helidon that does nothing
                    long t2 = System.nanoTime();
                    send(HttpRequest.newBuilder(live).GET());
                    hop.add((System.nanoTime() - t2) / 1e6);
                }
            }
            List<List<String>> exact = new ArrayList<>();
            for (float[] query : queries) {
                exact.add(exactTop10(vectors, query));
            }
            double apiRecall = 0;
            for (int q = 0; q < queries.length; q++) {
                apiRecall += recall(exact.get(q), viaApi(running, queries[q]));
            }
            apiRecall /= queries.length;

            System.out.println();
            System.out.println("| measure | system | baseline (same run) | ratio | goal |");
            System.out.println("|---|---|---|---|---|");
            if (rounds > 0) { // --rounds 0 measures queries only, e.g. to profile them
                System.out.printf(Locale.ROOT, "| (a) projection into OpenSearch, %d docs (median of %d) | %.0f docs/s | bare bulk load of the same vectors: %.0f docs/s | %.2f | ≥ 0.8 |%n",
                        docs, rounds, median(replay), median(bare), median(replay) / median(bare));
            }
            System.out.printf(Locale.ROOT, "| (b) query p50, k=10, %d queries | %.2f ms via the API | %.2f ms straight to OpenSearch | %.2f× | ≤ 1.2× |%n",
                    api.size(), percentile(api, 50), percentile(straight, 50), percentile(api, 50) / percentile(straight, 50));
            System.out.printf(Locale.ROOT, "| (b) API floor: GET /health/live, p50 | %.2f ms | | | |%n", percentile(hop, 50));
            System.out.printf(Locale.ROOT, "| (b) query p99 | %.2f ms via the API | %.2f ms straight to OpenSearch | %.2f× | ≤ 1.5× |%n",
                    percentile(api, 99), percentile(straight, 99), percentile(api, 99) / percentile(straight, 99));
            System.out.printf(Locale.ROOT, "| (c) recall@10 via the API at ef_search %d | %.3f | exact nearest neighbours | | ≥ 0.95 |%n",
                    opensearch.knn().efSearch(), apiRecall);
            System.out.println();
            System.out.println("| ef_search | recall@10 (adapter) | p50 ms (adapter) |");
            System.out.println("|---|---|---|");
            for (int ef : efSearches) {
                OpenSearchSettings tuned = opensearch.withKnn(new OpenSearchSettings.KnnMethod(
                        OpenSearchSettings.Engine.LUCENE, 16, 100, ef, OpenSearchSettings.Quantization.NONE));
                try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(
                        new SpaceSpec(SPACE, DIMENSION, SpaceSpec.Metric.COSINE), tuned)) {
                    double sum = 0;
                    List<Double> times = new ArrayList<>();
                    for (int q = 0; q < queries.length; q++) {
                        long t0 = System.nanoTime();
                        List<DocumentHit> hits = index.search(new VectorQuery(TENANT, queries[q], 10, MetadataFilter.NONE, null));
                        times.add((System.nanoTime() - t0) / 1e6);
                        sum += recall(exact.get(q), hits.stream().map(DocumentHit::documentId).toList());
                    }
                    System.out.printf(Locale.ROOT, "| %d | %.3f | %.2f |%n", ef, sum / queries.length, percentile(times, 50));
                }
            }
        } finally {
            running.stop();
        }
    }

    /** Deletes the index and the projection's token, then times the replay of the whole log into a fresh index. */
    private static double replay(String url, Settings settings, String prefix, int docs) throws Exception {
        for (String index : indices(url, prefix + "-*")) {
            send(HttpRequest.newBuilder(URI.create(url + "/" + index)).DELETE());
        }
        try (EventStoreDatabase database = EventStoreDatabase.openH2(settings.dataDir());
             Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM TokenEntry WHERE processorName = 'vector-index'");
        }
        long started = System.nanoTime();
        Main.Running running = Main.start(settings);
        try {
            awaitIndexed(running, docs);
            return docs / seconds(started);
        } finally {
            running.stop();
        }
    }

    /** The same vectors into a fresh index with the same mapping, in bulks as large as a processor batch. */
    static double bareBulk(String url, OpenSearchSettings opensearch, float[][] vectors, int batch, int round)
            throws Exception {
        String index = opensearch.indexPrefix() + "-bare-" + round;
        SpaceSpec space = new SpaceSpec(SPACE, DIMENSION, SpaceSpec.Metric.COSINE);
        send(HttpRequest.newBuilder(URI.create(url + "/" + index))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Mappings.createIndexBody(space, opensearch, null, null).toString())));
        long started = System.nanoTime();
        for (int from = 0; from < vectors.length; from += batch) {
            StringBuilder body = new StringBuilder();
            for (int i = from; i < Math.min(vectors.length, from + batch); i++) {
                body.append("{\"index\":{\"_id\":\"").append(TENANT).append("/v").append(i).append("#0\"}}\n")
                        .append("{\"kind\":\"chunk\",\"tenant\":\"").append(TENANT).append("\",\"document_id\":\"v")
                        .append(i).append("\",\"vector\":").append(json(vectors[i])).append("}\n");
            }
            String response = send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_bulk"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            if (response.contains("\"errors\":true")) {
                throw new IllegalStateException("bare bulk failed: " + response.substring(0, Math.min(500, response.length())));
            }
        }
        send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()));
        double rate = vectors.length / seconds(started);
        send(HttpRequest.newBuilder(URI.create(url + "/" + index)).DELETE());
        return rate;
    }

    private static List<String> viaApi(Main.Running running, float[] query) throws Exception {
        String response = post(running, "/v1/tenants/" + TENANT + "/search", "application/json",
                "{\"space\":\"" + SPACE + "\",\"k\":10,\"vector\":" + json(query) + "}");
        JsonArray hits = Json.createReader(new StringReader(response)).readObject().getJsonArray("hits");
        return hits.stream().map(hit -> hit.asJsonObject().getString("documentId")).toList();
    }

    /** The k-NN query the question needs, sent straight to the node: top 10 chunks of the tenant. */
    private static void direct(String url, String index, float[] query) throws Exception {
        String body = "{\"size\":10,\"_source\":[\"document_id\"],\"query\":{\"knn\":{\"vector\":{\"vector\":" + json(query)
                + ",\"k\":10,\"filter\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"" + TENANT
                + "\"}},{\"term\":{\"kind\":\"chunk\"}}]}}}}}}";
        String response = send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (!response.contains("\"hits\"")) {
            throw new IllegalStateException("direct query failed: " + response);
        }
    }

    private static List<String> exactTop10(float[][] vectors, float[] query) {
        Integer[] order = new Integer[vectors.length];
        double[] score = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            order[i] = i;
            double dot = 0;
            for (int d = 0; d < DIMENSION; d++) {
                dot += vectors[i][d] * query[d];
            }
            score[i] = dot; // unit vectors: cosine
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        List<String> top = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            top.add("v" + order[i]);
        }
        return top;
    }

    private static double recall(List<String> exact, List<String> found) {
        Set<String> truth = Set.copyOf(exact);
        return found.stream().limit(10).filter(truth::contains).count() / 10.0;
    }

    static void awaitIndexed(Main.Running running, int docs) throws InterruptedException {
        OpenSearchVectorIndex index = (OpenSearchVectorIndex) running.app().indexes().forSpace(SPACE);
        long deadline = System.nanoTime() + 60L * 60 * 1_000_000_000;
        while (true) {
            index.refresh();
            if (index.countDocuments(TENANT) >= docs) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the index did not reach " + docs + " documents");
            }
            Thread.sleep(200);
        }
    }

    /** The app on the node at {@code url}, its indexes under {@code indexPrefix}, one shard and no replica. */
    static Settings settings(Path dataDir, String url, String indexPrefix, int batch) {
        // client vectors only: no model to load, so an app start is quick and the replay is timed fairly
        Map<String, String> keys = BenchSupport.baseKeys(dataDir, "bench");
        BenchSupport.space(keys, SPACE, "client", DIMENSION);
        keys.put("vectorsync.default-space", SPACE);
        keys.put("vectorsync.index.kind", "opensearch");
        keys.put("vectorsync.index.opensearch.endpoints", url);
        keys.put("vectorsync.index.opensearch.index-prefix", indexPrefix);
        keys.put("vectorsync.index.opensearch.shards", "1");
        keys.put("vectorsync.index.opensearch.replicas", "0");
        keys.put("vectorsync.processors.batch-size", Integer.toString(batch));
        return Settings.of(keys);
    }

    static String ndjson(float[][] vectors, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            out.append("{\"documentId\":\"v").append(i).append("\",\"title\":\"Vector ").append(i)
                    .append("\",\"body\":\"document ").append(i).append("\",\"vectors\":{\"space\":\"").append(SPACE)
                    .append("\",\"vector\":").append(json(vectors[i])).append("}}\n");
        }
        return out.toString();
    }

    /**
     * Unit vectors around 100 random centres, like embeddings of texts on a limited set of topics;
     * uniformly random 384-dimension vectors have no neighbourhoods at all and say little about search.
     */
    static float[][] clustered(int count, long seed) {
        Random centres = new Random(99);
        float[][] centroids = new float[100][DIMENSION];
        for (float[] centroid : centroids) {
            for (int d = 0; d < DIMENSION; d++) {
                centroid[d] = (float) centres.nextGaussian();
            }
            normalize(centroid);
        }
        Random random = new Random(seed);
        float[][] vectors = new float[count][DIMENSION];
        for (float[] vector : vectors) {
            float[] centroid = centroids[random.nextInt(centroids.length)];
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] = centroid[d] + (float) (random.nextGaussian() * 0.1);
            }
            normalize(vector);
        }
        return vectors;
    }

    private static void normalize(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < vector.length; d++) {
            vector[d] *= scale;
        }
    }

    private static List<String> indices(String url, String pattern) throws Exception {
        String response = send(HttpRequest.newBuilder(URI.create(url + "/_cat/indices/" + pattern + "?h=index&format=json")).GET());
        return Json.createReader(new StringReader(response)).readArray().stream()
                .map(v -> v.asJsonObject().getString("index")).collect(Collectors.toList());
    }

    static String post(Main.Running running, String path, String contentType, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + running.port() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
