package io.vectorsync.bench;

import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;
import io.vectorsync.command.encoder.EmbeddingSpace;
import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.domain.ChunkerSettings;
import io.vectorsync.json.Json;
import io.vectorsync.projections.hotcache.HotVectorCache;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.opensearch.IndexLayout;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.json;
import static io.vectorsync.bench.BenchSupport.millis;
import static io.vectorsync.bench.BenchSupport.percentile;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * Write-acknowledged-to-visible latency through the query API, on OpenSearch with its default one-second
 * refresh, side by side in one run: (a) client vectors with the hot-vector cache; (b) client vectors
 * without it (the index only); (c) texts of up to 1 KB embedded in process, with the cache.
 * <p>
 * Each measured write is a new document with a metadata value of its own ({@code probe}); from the
 * moment its acknowledgement arrives, searches filtered to that value ask through the API whether it
 * is visible: the first one at once, then one every {@code --poll-ms}. In (b) the writes go in waves
 * (one filter value per wave), so that waiting about a second per write does not take an hour; each
 * write's latency still runs from its own acknowledgement. Every app gets a fresh data directory and
 * index prefix and a preloaded corpus, so searches have an index to merge with.
 * <p>
 * (d) is (a) on the embedded Lucene index, next to the same filtered query straight to that index.
 * <p>
 * Usage (bench/freshness starts the node): FreshnessBenchmark URL [--writes 1000] [--preload 2000]
 * [--wave 25] [--poll-ms 5] [--scenarios a,b,c,d]
 */
public final class FreshnessBenchmark {

    private static final int DIMENSION = 384;
    private static final String TENANT = "bench";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final float[] ANY_QUERY = unit(0);
    /** The server's own time of every search ({@code tookMs}), to tell it from the HTTP round trip. */
    private static final List<Double> TOOK = new ArrayList<>();

    /** PostgreSQL server to run on (a fresh database per scenario), or null for the embedded H2 store. */
    private static String storeUrl;
    /** Scenario (d): the embedded Lucene index instead of OpenSearch. */
    private static boolean embedded;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int writes = intArg(args, "--writes", 1000);
        int preload = intArg(args, "--preload", 2000);
        int wave = intArg(args, "--wave", 25);
        int pollMs = intArg(args, "--poll-ms", 5);
        System.out.printf(Locale.ROOT, "%d writes per scenario, %d preloaded documents, node %s, a search every %d ms%n",
                writes, preload, url, pollMs);

        String scenarios = stringArg(args, "--scenarios", "a,b,c");
        storeUrl = stringArg(args, "--store-url", null);
        System.out.println("store: " + (storeUrl == null ? "embedded H2" : "PostgreSQL (a fresh database per scenario)"));
        List<Result> results = new ArrayList<>();
        if (scenarios.contains("a")) {
            results.add(measure("(a) client vectors, with the cache", url, vectorSpace(), true, preload, writes, 1, pollMs, false));
        }
        if (scenarios.contains("b")) {
            results.add(measure("(b) client vectors, index only", url, vectorSpace(), false, preload, writes, wave, pollMs, false));
        }
        if (scenarios.contains("c")) {
            results.add(measure("(c) text embedded in process, with the cache", url, textSpace(), true,
                    Math.min(preload, 300), writes, 1, pollMs, true));
        }
        if (scenarios.contains("d")) {
            embedded = true;
            results.add(measure("(d) client vectors, with the cache, embedded Lucene index", url, vectorSpace(), true,
                    preload, writes, 1, pollMs, false));
        }

        System.out.println();
        System.out.println("| scenario | writes | ack p50 | visible p50 | visible p90 | visible p99 | max | found by the first search |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Result result : results) {
            if (!result.direct.isEmpty()) {
                System.out.printf(Locale.ROOT, "| baseline of %s: the same filtered k-NN query straight to %s | %d | | | | %.1f ms p50 | %.1f ms p99 | |%n",
                        result.name.substring(0, 3), result.name.contains("embedded") ? "the index" : "OpenSearch", result.direct.size(), percentile(result.direct, 50), percentile(result.direct, 99));
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f %% |%n",
                    result.name, result.visible.size(), percentile(result.acks, 50), percentile(result.visible, 50),
                    percentile(result.visible, 90), percentile(result.visible, 99),
                    result.visible.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    100.0 * result.firstSearch / result.visible.size());
        }
    }

    /** {@code direct}: the same filtered k-NN query straight to OpenSearch, right after each first search. */
    private record Result(String name, List<Double> acks, List<Double> visible, int firstSearch, List<Double> direct) {
    }

    private static Result measure(String name, String url, EmbeddingSpace space, boolean cache, int preload, int writes,
                                  int wave, int pollMs, boolean text) throws Exception {
        Path dataDir = Files.createTempDirectory("vectorsync-bench-fresh");
        String prefix = "fresh-" + Long.toString(System.nanoTime(), 36);
        Map<String, String> keys = BenchSupport.baseKeys(dataDir, "bench");
        BenchSupport.space(keys, space.name(), space.model(), space.dimension());
        keys.put("vectorsync.spaces.0.metric", space.metric());
        keys.put("vectorsync.default-space", space.name());
        if (space.embedsInProcess()) {
            keys.put("vectorsync.spaces.0.chunk-max-tokens", Integer.toString(space.chunker().maxTokens()));
            keys.put("vectorsync.spaces.0.chunk-overlap-tokens", Integer.toString(space.chunker().overlapTokens()));
        }
        if (embedded) {
            keys.put("vectorsync.index.kind", "lucene");
        } else {
            keys.put("vectorsync.index.kind", "opensearch");
            keys.put("vectorsync.index.opensearch.endpoints", url);
            keys.put("vectorsync.index.opensearch.index-prefix", prefix);
            keys.put("vectorsync.index.opensearch.shards", "1");
            keys.put("vectorsync.index.opensearch.replicas", "0");
        }
        keys.put("vectorsync.index.hnsw-m", "16");
        keys.put("vectorsync.index.hnsw-ef-construction", "100");
        keys.put("vectorsync.processors.segments", "2");
        keys.put("vectorsync.processors.batch-size", "200");
        keys.put("vectorsync.cache.enabled", Boolean.toString(cache));
        if (storeUrl != null) {
            keys.put("vectorsync.store.url", BenchSupport.freshDatabase(storeUrl, "fresh"));
            keys.put("vectorsync.store.pool-size", "16");
        }
        Settings settings = Settings.of(keys);
        Main.Running running = Main.start(settings);
        try {
            preload(running, space, preload, text);
            TOOK.clear();
            List<Double> acks = new ArrayList<>();
            List<Double> visible = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            String readAlias = IndexLayout.of(prefix, new SpaceSpec(space.name(), DIMENSION, SpaceSpec.Metric.COSINE)).readAlias();
            // the first waves warm up the JIT, the connection and the model; they are not counted
            int warmUp = Math.max(wave, 20);
            List<IngestBenchmark.Doc> texts = text ? Corpus.documents(warmUp + writes, 77) : List.of();
            BenchSupport.Freshness fresh = BenchSupport.measureWaves(name, writes, wave, warmUp, pollMs,
                    new BenchSupport.Waves() {
                        @Override
                        public void write(String id, int n, String probe) throws Exception {
                            put(running, id, body(space, probe, n, texts));
                        }

                        @Override
                        public Set<String> search(String probe, boolean counted) throws Exception {
                            return FreshnessBenchmark.search(running, space, probe, wave);
                        }

                        @Override
                        public void afterFirstSearch(int i, String probe) throws Exception {
                            if (wave == 1 && !text) { // baseline: the same question straight to the index
                                long directStart = System.nanoTime();
                                if (embedded) {
                                    running.app().indexes().forSpace(space.name()).search(new VectorQuery(TENANT,
                                            ANY_QUERY, 1, new MetadataFilter(List.of(new MetadataFilter.Equals("probe",
                                            probe))), null));
                                } else {
                                    direct(url, readAlias, probe);
                                }
                                direct.add(millis(directStart, System.nanoTime()));
                            }
                        }
                    });
            acks.addAll(fresh.acks());
            visible.addAll(fresh.visible());
            int firstSearch = fresh.firstSearch();
            Result result = new Result(name, acks, visible, firstSearch, direct);
            System.out.printf(Locale.ROOT, "%s: visible p50 %.1f ms, p99 %.1f ms over %d writes; server time of "
                            + "%d searches p50 %.0f ms, p99 %.0f ms%s%n", name,
                    percentile(visible, 50), percentile(visible, 99), visible.size(), TOOK.size(),
                    percentile(TOOK, 50), percentile(TOOK, 99),
                    running.app().cache().map(c -> "; cache " + c.stats(space.name())).orElse(""));
            return result;
        } finally {
            running.stop();
            dropIndexes(url, prefix);
        }
    }

    /** A corpus for searches to merge with, indexed and refreshed, and the cache emptied by it. */
    private static void preload(Main.Running running, EmbeddingSpace space, int count, boolean text) throws Exception {
        StringBuilder ndjson = new StringBuilder();
        List<IngestBenchmark.Doc> texts = text ? Corpus.documents(count, 5) : List.of();
        float[][] vectors = text ? new float[0][] : OpenSearchBenchmark.clustered(count, 21);
        for (int i = 0; i < count; i++) {
            ndjson.append("{\"documentId\":\"pre").append(i).append("\",")
                    .append(text ? textFields(texts.get(i)) : vectorFields(space, "pre", vectors[i])).append("}\n");
        }
        send(running, "POST", "/v1/tenants/" + TENANT + "/documents:batch", "application/x-ndjson", ndjson.toString());
        VectorIndex index = running.app().indexes().forSpace(space.name());
        long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000;
        while (true) {
            if (index instanceof OpenSearchVectorIndex opensearch) {
                opensearch.refresh();
            }
            boolean cacheEmpty = running.app().cache().map(c -> c.stats(space.name()).entries() == 0).orElse(true);
            if (index.countDocuments(TENANT) >= count && cacheEmpty) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the preload did not become searchable");
            }
            Thread.sleep(200);
        }
    }

    private static String body(EmbeddingSpace space, String probe, int i, List<IngestBenchmark.Doc> texts) {
        if (texts.isEmpty()) {
            return "{" + vectorFields(space, probe, unit(i + 1)) + "}";
        }
        return "{" + textFields(texts.get(i)) + ",\"metadata\":{\"probe\":\"" + probe + "\"}}";
    }

    private static String vectorFields(EmbeddingSpace space, String probe, float[] vector) {
        return "\"title\":\"Vector\",\"body\":\"a document with a vector\",\"metadata\":{\"probe\":\"" + probe
                + "\"},\"vectors\":{\"space\":\"" + space.name() + "\",\"vector\":" + json(vector) + "}";
    }

    /** The title and a body of at most 1 KB, cut at a sentence. */
    private static String textFields(IngestBenchmark.Doc doc) {
        String body = doc.body();
        if (body.length() > 1000) {
            body = body.substring(0, body.lastIndexOf(". ", 999) + 1);
        }
        return "\"title\":\"" + doc.title() + "\",\"body\":\"" + body + "\"";
    }

    private static Set<String> search(Main.Running running, EmbeddingSpace space, String probe, int k) throws Exception {
        String answer = send(running, "POST", "/v1/tenants/" + TENANT + "/search", "application/json",
                "{\"space\":\"" + space.name() + "\",\"k\":" + Math.max(k, 1) + ",\"vector\":" + json(ANY_QUERY)
                        + ",\"filter\":{\"probe\":\"" + probe + "\"}}");
        JsonObject body = Json.createReader(new StringReader(answer)).readObject();
        TOOK.add(body.getJsonNumber("tookMs").doubleValue());
        Set<String> ids = new HashSet<>();
        body.getJsonArray("hits").forEach(hit -> ids.add(hit.asJsonObject().getString("documentId")));
        return ids;
    }

    private static void put(Main.Running running, String id, String body) throws Exception {
        send(running, "PUT", "/v1/tenants/" + TENANT + "/documents/" + id, "application/json", body);
    }

    private static String send(Main.Running running, String method, String path, String contentType, String body)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + running.port() + path))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The k-NN query the API sends for a probe, straight to the node: the best chunk of the probe's documents. */
    private static void direct(String url, String readAlias, String probe) throws Exception {
        String body = "{\"size\":1,\"_source\":[\"document_id\"],\"query\":{\"knn\":{\"vector\":{\"vector\":"
                + json(ANY_QUERY) + ",\"k\":4,\"filter\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"" + TENANT
                + "\"}},{\"term\":{\"kind\":\"chunk\"}},{\"term\":{\"metadata.keyword.probe\":\"" + probe + "\"}}]}}}}}}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/" + readAlias + "/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("direct query failed: " + response.body());
        }
    }

    private static void dropIndexes(String url, String prefix) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url + "/" + prefix + "-*")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static EmbeddingSpace vectorSpace() {
        return new EmbeddingSpace("client", EmbeddingSpace.CLIENT_MODEL, DIMENSION, "cosine", ChunkerSettings.CLIENT);
    }

    private static EmbeddingSpace textSpace() {
        return new EmbeddingSpace("default", MiniLmEmbeddingModel.ID, DIMENSION, "cosine",
                new ChunkerSettings("recursive", 200, 20));
    }

    /** A random unit vector of its own for every seed. */
    private static float[] unit(int seed) {
        return BenchSupport.unitVector(new java.util.Random(1_000_003L * seed + 17), DIMENSION);
    }
}
