package io.vectorsync.bench;

import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.command.encoder.TextChunker;
import io.vectorsync.json.Json;
import io.vectorsync.projections.index.DocumentHit;
import io.vectorsync.projections.index.IndexChunk;
import io.vectorsync.projections.index.IndexWrite;
import io.vectorsync.projections.index.MetadataFilter;
import io.vectorsync.projections.index.Provenance;
import io.vectorsync.projections.index.SpaceSpec;
import io.vectorsync.projections.index.TestVectors;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.index.VectorQuery;
import io.vectorsync.projections.index.lucene.HnswSettings;
import io.vectorsync.projections.index.lucene.LuceneVectorIndex;
import io.vectorsync.projections.index.opensearch.OpenSearchSettings;
import io.vectorsync.projections.index.opensearch.OpenSearchVectorIndex;
import jakarta.json.JsonObject;
import org.apache.lucene.codecs.CompoundDirectory;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.percentile;
import static io.vectorsync.bench.BenchSupport.seconds;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * Recall and latency of both indexes against exact search, on the same data and the same held-out queries:
 * clustered 384-dimensional vectors, and real MiniLM embeddings of chunks of the benchmark corpus. For each
 * index setting (the embedded index unquantized, 7-bit, 4-bit and binary; OpenSearch unquantized and scalar
 * quantized) it builds the index as ingest does (applies of 1,000 documents), then answers each query at
 * k = 1 and k = 10 for several values of ef_search, through the project's index adapters, one query at a time.
 */
public final class RecallBenchmark {

    private static final int DIMENSION = 384;
    private static final String TENANT = "recall";
    private static final Provenance PROVENANCE = new Provenance("bench", "none", 0, 0);

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int count = intArg(args, "--vectors", 100_000);
        int queryCount = intArg(args, "--queries", 200);
        int[] efSearches = Arrays.stream(stringArg(args, "--ef-search", "10,25,50,100,200").split(","))
                .mapToInt(Integer::parseInt).toArray();
        List<String> datasets = List.of(stringArg(args, "--datasets", "clustered,minilm").split(","));
        List<String> indexes = List.of(stringArg(args, "--indexes", "lucene,opensearch").split(","));
        warmUp();
        for (String dataset : datasets) {
            float[][] all = switch (dataset) {
                case "clustered" -> TestVectors.clustered(new Random(41), count + queryCount, DIMENSION);
                case "minilm" -> minilm(count + queryCount);
                default -> throw new IllegalArgumentException("unknown dataset " + dataset);
            };
            float[][] stored = Arrays.copyOf(all, count);
            float[][] queries = Arrays.copyOfRange(all, count, count + queryCount);
            long started = System.nanoTime();
            Exact exact = Exact.of(stored, queries);
            System.out.printf(Locale.ROOT, "%n## %s: %,d vectors, %d held-out queries (exact top 10 by brute force in %.1f s)%n%n",
                    dataset, count, queryCount, seconds(started));
            System.out.println("| index | setting | build docs/s | bytes per vector: graph + search vectors | on disk | ef_search "
                    + "| recall@1 | recall@10 | p50 ms | p99 ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (HnswSettings.Quantization quantization : HnswSettings.Quantization.values()) {
                if (indexes.contains("lucene")) {
                    lucene(stored, queries, exact, quantization, efSearches);
                }
            }
            for (OpenSearchSettings.Quantization quantization : OpenSearchSettings.Quantization.values()) {
                if (indexes.contains("opensearch")) {
                    opensearch(url, stored, queries, exact, quantization, efSearches);
                }
            }
        }
    }

    private static void lucene(float[][] stored, float[][] queries, Exact exact, HnswSettings.Quantization quantization,
                               int[] efSearches) throws IOException {
        SpaceSpec space = new SpaceSpec("recall", DIMENSION, SpaceSpec.Metric.COSINE);
        Path dir = Files.createTempDirectory("vectorsync-recall");
        try {
            double rate;
            try (VectorIndex index = LuceneVectorIndex.open(space, dir, settings(quantization, 100))) {
                rate = build(index, stored);
            }
            Map<String, Long> sizes = luceneFileSizes(dir);
            for (int ef : efSearches) {
                try (VectorIndex index = LuceneVectorIndex.open(space, dir, settings(quantization, ef))) {
                    report("embedded Lucene", quantization.wireName(), rate, sizes, stored.length, ef,
                            measure(index, queries, exact));
                }
            }
        } finally {
            IngestBenchmark.deleteRecursively(dir);
        }
    }

    /** A small build and search on each index kind first, so the JIT's warm-up is not in the first row. */
    private static void warmUp() throws IOException {
        float[][] vectors = TestVectors.clustered(new Random(3), 5_000, DIMENSION);
        SpaceSpec space = new SpaceSpec("warm-up", DIMENSION, SpaceSpec.Metric.COSINE);
        Path dir = Files.createTempDirectory("vectorsync-recall-warm-up");
        try (VectorIndex index = LuceneVectorIndex.open(space, dir, HnswSettings.DEFAULT)) {
            build(index, vectors);
            for (float[] query : vectors) {
                index.search(new VectorQuery(TENANT, query, 10, MetadataFilter.NONE, null));
            }
        } finally {
            IngestBenchmark.deleteRecursively(dir);
        }
    }

    private static HnswSettings settings(HnswSettings.Quantization quantization, int efSearch) {
        return new HnswSettings(HnswSettings.DEFAULT.m(), HnswSettings.DEFAULT.beamWidth(), efSearch, quantization);
    }

    private static void opensearch(String url, float[][] stored, float[][] queries, Exact exact,
                                   OpenSearchSettings.Quantization quantization, int[] efSearches) throws Exception {
        SpaceSpec space = new SpaceSpec("recall", DIMENSION, SpaceSpec.Metric.COSINE);
        OpenSearchSettings base = OpenSearchSettings.defaults(List.of(URI.create(url)))
                .withIndexPrefix("recall-" + Long.toString(System.nanoTime(), 36)).withShards(1, 0);
        String physical;
        double rate;
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(space, base.withKnn(knn(quantization, 100)))) {
            rate = build(index, stored);
            physical = index.physicalIndex();
        }
        try {
            Map<String, Long> sizes = openSearchFileSizes(url, physical);
            for (int ef : efSearches) {
                try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(space, base.withKnn(knn(quantization, ef)))) {
                    report("OpenSearch (lucene engine)", quantization.wireName(), rate, sizes, stored.length, ef,
                            measure(index, queries, exact));
                }
            }
        } finally {
            http(HttpRequest.newBuilder(URI.create(url + "/" + physical)).DELETE());
        }
    }

    private static OpenSearchSettings.KnnMethod knn(OpenSearchSettings.Quantization quantization, int efSearch) {
        OpenSearchSettings.KnnMethod defaults = OpenSearchSettings.KnnMethod.DEFAULT;
        return new OpenSearchSettings.KnnMethod(defaults.engine(), defaults.m(), defaults.efConstruction(), efSearch,
                quantization);
    }

    /** Documents r0, r1, … in applies of 1,000, as a projection writes them; answers documents per second. */
    private static double build(VectorIndex index, float[][] stored) {
        long started = System.nanoTime();
        for (int from = 0; from < stored.length; from += 1_000) {
            List<IndexWrite> writes = new ArrayList<>();
            for (int i = from; i < Math.min(stored.length, from + 1_000); i++) {
                writes.add(new IndexWrite.ReplaceChunks(TENANT, "r" + i, 1, 0, "", Map.of(), PROVENANCE,
                        List.of(new IndexChunk(0, "", 0, 0, stored[i]))));
            }
            index.apply(writes);
        }
        index.makeSearchable();
        return stored.length / seconds(started);
    }

    /** Each query once to warm up, then each at k = 1 and k = 10, timed. */
    private static Measured measure(VectorIndex index, float[][] queries, Exact exact) {
        for (float[] query : queries) {
            index.search(new VectorQuery(TENANT, query, 10, MetadataFilter.NONE, null));
        }
        double first = 0;
        double ofTen = 0;
        List<Double> times = new ArrayList<>();
        for (int q = 0; q < queries.length; q++) {
            long t0 = System.nanoTime();
            List<DocumentHit> one = index.search(new VectorQuery(TENANT, queries[q], 1, MetadataFilter.NONE, null));
            long t1 = System.nanoTime();
            List<DocumentHit> ten = index.search(new VectorQuery(TENANT, queries[q], 10, MetadataFilter.NONE, null));
            long t2 = System.nanoTime();
            times.add((t1 - t0) / 1e6);
            times.add((t2 - t1) / 1e6);
            first += exact.found(q, one, 1);
            ofTen += exact.found(q, ten, 10);
        }
        return new Measured(first / queries.length, ofTen / queries.length, percentile(times, 50), percentile(times, 99));
    }

    private static void report(String index, String setting, double rate, Map<String, Long> sizes, int count, int ef,
                               Measured measured) {
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %s | %,d | %d | %.3f | %.3f | %.2f | %.2f |%n", index, setting,
                rate, hotBytes(sizes, count), total / count, ef, measured.recallAt1(), measured.recallAt10(),
                measured.p50(), measured.p99());
    }

    /**
     * What the graph search reads per vector, which should sit in memory: the graph ({@code vex}) and the vectors it
     * compares — quantized ({@code veq}, {@code veb}) when there are any, else the float32 ones ({@code vec}).
     */
    private static String hotBytes(Map<String, Long> sizes, int count) {
        long graph = sizes.getOrDefault("vex", 0L);
        long quantized = sizes.getOrDefault("veq", 0L) + sizes.getOrDefault("veb", 0L);
        long searched = quantized > 0 ? quantized : sizes.getOrDefault("vec", 0L);
        return String.format(Locale.ROOT, "%d + %d", graph / count, searched / count);
    }

    /**
     * Bytes per file extension over every segment of a Lucene index's last commit, looking inside compound files
     * (merges write small merged segments as one {@code cfs} file).
     */
    private static Map<String, Long> luceneFileSizes(Path dir) throws IOException {
        Map<String, Long> sizes = new TreeMap<>();
        try (FSDirectory directory = FSDirectory.open(dir)) {
            for (SegmentCommitInfo segment : SegmentInfos.readLatestCommit(directory)) {
                if (segment.info.getUseCompoundFile()) {
                    try (CompoundDirectory compound = segment.info.getCodec().compoundFormat()
                            .getCompoundReader(directory, segment.info)) {
                        for (String file : compound.listAll()) {
                            sizes.merge(extension(file), compound.fileLength(file), Long::sum);
                        }
                    }
                } else {
                    for (String file : segment.files()) {
                        sizes.merge(extension(file), directory.fileLength(file), Long::sum);
                    }
                }
            }
        }
        return sizes;
    }

    private static String extension(String file) {
        return file.substring(file.lastIndexOf('.') + 1);
    }

    /** Bytes per file extension of an OpenSearch index's primary segments. */
    private static Map<String, Long> openSearchFileSizes(String url, String index) throws Exception {
        String body = http(HttpRequest.newBuilder(URI.create(url + "/" + index
                + "/_stats/segments?include_segment_file_sizes=true")).GET());
        JsonObject files = Json.createReader(new StringReader(body)).readObject().getJsonObject("indices")
                .getJsonObject(index).getJsonObject("primaries").getJsonObject("segments").getJsonObject("file_sizes");
        Map<String, Long> sizes = new TreeMap<>();
        files.forEach((extension, value) -> sizes.put(extension, value.asJsonObject().getJsonNumber("size_in_bytes").longValue()));
        return sizes;
    }

    private static String http(HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(response.statusCode() + ": " + response.body());
            }
            return response.body();
        }
    }

    /**
     * MiniLM embeddings of {@code count} distinct chunks (up to 48 tokens) of the benchmark corpus, in corpus order;
     * computed once and kept in {@code bench/target} (embedding 100,000 chunks takes minutes on two cores).
     */
    static float[][] minilm(int count) throws IOException {
        Path cache = Path.of("bench", "target", "recall-minilm-" + count + ".f32");
        if (Files.exists(cache)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
                float[][] vectors = new float[count][DIMENSION];
                for (float[] vector : vectors) {
                    for (int d = 0; d < DIMENSION; d++) {
                        vector[d] = in.readFloat();
                    }
                }
                return vectors;
            }
        }
        MiniLmEmbeddingModel model = new MiniLmEmbeddingModel();
        TextChunker chunker = new TextChunker(48, 0, model.tokenizer());
        Set<String> texts = new LinkedHashSet<>();
        for (int seed = 1; texts.size() < count; seed++) {
            for (IngestBenchmark.Doc doc : Corpus.documents(2_000, seed)) {
                chunker.split(doc.body()).forEach(passage -> texts.add(passage.text()));
            }
        }
        List<String> chunks = texts.stream().limit(count).toList();
        float[][] vectors = new float[count][];
        long started = System.nanoTime();
        for (int from = 0; from < count; from += 256) {
            List<float[]> embedded = model.embedAll(chunks.subList(from, Math.min(count, from + 256)));
            for (int i = 0; i < embedded.size(); i++) {
                vectors[from + i] = embedded.get(i);
            }
            if ((from / 256) % 40 == 0) {
                System.out.printf(Locale.ROOT, "embedded %,d of %,d chunks (%.0f/s)%n", from, count, from / seconds(started));
            }
        }
        Files.createDirectories(cache.getParent());
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
            for (float[] vector : vectors) {
                for (float value : vector) {
                    out.writeFloat(value);
                }
            }
        }
        Files.move(partial, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return vectors;
    }

    /**
     * The exact neighbours of each query by cosine. A hit counts as found when its exact similarity reaches the
     * k-th best one, so ties (equal vectors) count whichever of them an index returns.
     */
    private record Exact(float[][] stored, float[][] queries, double[][] best) {

        static Exact of(float[][] stored, float[][] queries) {
            double[][] best = IntStream.range(0, queries.length).parallel().mapToObj(q -> {
                double[] top = new double[10];
                Arrays.fill(top, Double.NEGATIVE_INFINITY);
                for (float[] vector : stored) {
                    double similarity = dot(vector, queries[q]);
                    if (similarity > top[9]) {
                        int at = 9;
                        while (at > 0 && top[at - 1] < similarity) {
                            top[at] = top[at - 1];
                            at--;
                        }
                        top[at] = similarity;
                    }
                }
                return top;
            }).toArray(double[][]::new);
            return new Exact(stored, queries, best);
        }

        /** The share of the exact top {@code k} that {@code hits} holds. */
        double found(int query, List<DocumentHit> hits, int k) {
            double kth = best[query][k - 1] - 1e-6;
            long found = hits.stream().limit(k)
                    .filter(hit -> dot(stored[Integer.parseInt(hit.documentId().substring(1))], queries[query]) >= kth)
                    .count();
            return (double) found / k;
        }

        private static double dot(float[] a, float[] b) {
            double sum = 0;
            for (int d = 0; d < a.length; d++) {
                sum += a[d] * b[d];
            }
            return sum;
        }
    }

    private record Measured(double recallAt1, double recallAt10, double p50, double p99) {
    }
}
