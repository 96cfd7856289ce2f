package io.vectorsync.bench;

import io.vectorsync.app.Main;
import io.vectorsync.app.Settings;
import io.vectorsync.command.encoder.MiniLmEmbeddingModel;
import io.vectorsync.command.encoder.TextChunker;
import io.vectorsync.projections.index.VectorIndex;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.median;
import static io.vectorsync.bench.BenchSupport.seconds;

/**
 * Documents per second from upsert to searchable, through the real app over HTTP, next to a baseline
 * measured in the same run on the same data: (a) text embedded in process vs. bare embedding of the
 * same chunks with the same model; (b) client vectors vs. bare Lucene HNSW indexing of the same
 * vectors. Rounds alternate system and baseline so machine noise hits both; medians are reported.
 */
public final class IngestBenchmark {

    private static final int DIMENSION = 384;
    private static final int BATCH = 200;
    /** PostgreSQL server to run on (a fresh database per run), or null for the embedded H2 store. */
    private static String storeUrl;
    /** Concurrent writers, each sending its share of the documents in NDJSON batches of 500 lines. */
    private static int writers = 1;
    /** Whether the app seals event content (issue 21); off only for the baseline of {@code --sealing}. */
    private static boolean sealContent = true;

    public static void main(String[] args) throws Exception {
        int textDocs = intArg(args, "--text-docs", 300);
        int vectorDocs = intArg(args, "--vector-docs", 5000);
        int rounds = intArg(args, "--rounds", 3);
        storeUrl = BenchSupport.stringArg(args, "--store-url", null);
        writers = intArg(args, "--writers", 1);
        System.out.println("store: " + (storeUrl == null ? "embedded H2" : "PostgreSQL (a fresh database per run)")
                + "; writers: " + writers);
        if (java.util.Arrays.asList(args).contains("--sealing")) {
            sealing(intArg(args, "--vector-docs", 5000), intArg(args, "--rounds", 5));
            return;
        }
        List<Doc> texts = Corpus.documents(textDocs, 42);
        float[][] vectors = randomUnitVectors(vectorDocs, 7);
        MiniLmEmbeddingModel model = new MiniLmEmbeddingModel();
        TextChunker chunker = new TextChunker(200, 20, model.tokenizer());
        long chunkCount = texts.stream().mapToLong(d -> chunker.split(d.body()).size()).sum();
        System.out.printf(Locale.ROOT, "text corpus: %d documents, %d chunks, %.0f chars/doc; vectors: %d x %d%n",
                texts.size(), chunkCount, texts.stream().mapToInt(d -> d.body().length()).average().orElse(0),
                vectorDocs, DIMENSION);

        List<Double> bareEmbedding = new ArrayList<>();
        List<Double> textIngest = new ArrayList<>();
        List<Double> bareLucene = new ArrayList<>();
        List<Double> vectorIngest = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            bareEmbedding.add(bareEmbedding(texts, model, chunker));
            textIngest.add(ingestText(texts, round));
            bareLucene.add(bareLucene(vectors));
            vectorIngest.add(ingestVectors(vectors, round));
            System.out.printf(Locale.ROOT, "round %d: bare embedding %.1f docs/s, text ingest %.1f docs/s, "
                            + "bare Lucene %.0f docs/s, vector ingest %.0f docs/s%n", round,
                    last(bareEmbedding), last(textIngest), last(bareLucene), last(vectorIngest));
        }
        System.out.println();
        System.out.println("| measure | median docs/s | baseline (same run) | median docs/s | ratio |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| text: upsert → searchable via API (%d docs) | %.1f | bare MiniLM embedding of the same chunks | %.1f | %.2f |%n",
                texts.size(), median(textIngest), median(bareEmbedding), median(textIngest) / median(bareEmbedding));
        System.out.printf(Locale.ROOT, "| client vectors: upsert → searchable via API (%d docs) | %.0f | bare Lucene HNSW indexing of the same vectors | %.0f | %.2f |%n",
                vectorDocs, median(vectorIngest), median(bareLucene), median(vectorIngest) / median(bareLucene));
    }

    /**
     * The cost of sealing event content (issue 21) on client-vector ingest: the same documents through the app with
     * sealing on and off, alternating per round; medians and their ratio.
     */
    private static void sealing(int documents, int rounds) throws Exception {
        float[][] vectors = randomUnitVectors(documents, 7);
        List<Double> sealed = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (boolean seal : new boolean[]{true, false}) { // warm-up, not counted: the first runs pay for the JIT
            sealContent = seal;
            ingestVectors(vectors, 0);
        }
        for (int round = 1; round <= rounds; round++) {
            for (boolean seal : round % 2 == 1 ? new boolean[]{true, false} : new boolean[]{false, true}) {
                sealContent = seal;
                (seal ? sealed : plain).add(ingestVectors(vectors, round));
            }
            System.out.printf(Locale.ROOT, "round %d: sealed %.0f docs/s, unsealed %.0f docs/s%n", round, last(sealed),
                    last(plain));
        }
        sealContent = true;
        System.out.println();
        System.out.println("| measure | median docs/s, sealed | median docs/s, unsealed (same run) | ratio |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| client vectors: upsert → searchable via API (%d docs) | %.0f | %.0f | %.2f |%n",
                documents, median(sealed), median(plain), median(sealed) / median(plain));
        List<Double> paired = new ArrayList<>();
        for (int i = 0; i < sealed.size(); i++) {
            paired.add(sealed.get(i) / plain.get(i));
        }
        System.out.printf(Locale.ROOT, "median of the rounds' own ratios (each round's pair ran back to back): %.2f%n",
                median(paired));
    }

    /** The encoder's work without the system around it: chunk, prefix the title, embed per document. */
    private static double bareEmbedding(List<Doc> docs, MiniLmEmbeddingModel model, TextChunker chunker) {
        long start = System.nanoTime();
        for (Doc doc : docs) {
            List<String> inputs = chunker.split(doc.body()).stream().map(p -> doc.title() + "\n" + p.text()).toList();
            model.embedAll(inputs);
        }
        return docs.size() / seconds(start);
    }

    private static double ingestText(List<Doc> docs, int round) throws Exception {
        StringBuilder ndjson = new StringBuilder();
        for (Doc doc : docs) {
            ndjson.append("{\"documentId\":\"").append(doc.id()).append("\",\"title\":\"").append(doc.title())
                    .append("\",\"body\":\"").append(doc.body()).append("\",\"metadata\":{\"round\":").append(round)
                    .append("}}\n");
        }
        return throughThe("bench-text-" + round, docs.size(), ndjson.toString(), "default");
    }

    private static double ingestVectors(float[][] vectors, int round) throws Exception {
        StringBuilder ndjson = new StringBuilder(vectors.length * DIMENSION * 12);
        for (int i = 0; i < vectors.length; i++) {
            ndjson.append("{\"documentId\":\"v").append(i).append("\",\"title\":\"Vector ").append(i)
                    .append("\",\"body\":\"document number ").append(i)
                    .append("\",\"vectors\":{\"space\":\"client\",\"vector\":[");
            for (int d = 0; d < DIMENSION; d++) {
                if (d > 0) {
                    ndjson.append(',');
                }
                ndjson.append(vectors[i][d]);
            }
            ndjson.append("]}}\n");
        }
        return throughThe("bench-vectors-" + round, vectors.length, ndjson.toString(), "client");
    }

    /** Starts a fresh app, sends one NDJSON batch, and times until every document is searchable. */
    private static double throughThe(String tenant, int documents, String ndjson, String space) throws Exception {
        Path dataDir = Files.createTempDirectory("vectorsync-bench");
        Map<String, String> keys = BenchSupport.baseKeys(dataDir, "bench");
        BenchSupport.space(keys, "default", MiniLmEmbeddingModel.ID, DIMENSION);
        BenchSupport.space(keys, "client", "client", DIMENSION);
        keys.put("vectorsync.default-space", "default");
        keys.put("vectorsync.processors.batch-size", Integer.toString(Integer.getInteger("bench.processorBatch", BATCH)));
        if (storeUrl != null) {
            keys.put("vectorsync.store.url", BenchSupport.freshDatabase(storeUrl, tenant));
            keys.put("vectorsync.store.pool-size", "16");
        }
        Settings settings = Settings.of(keys);
        if (!sealContent) {
            settings = settings.withKeys(new io.vectorsync.app.KeySettings(null, null, false));
        }
        Main.Running running = Main.start(settings);
        boolean stopped = false;
        try {
            VectorIndex index = running.app().indexes().forSpace(space);
            HttpClient http = HttpClient.newHttpClient();
            warmUp(http, running, index);
            CpuByThread cpu = CpuByThread.start();
            Path file = dataDir.resolve("events").resolve("vectorsync.mv.db");
            java.util.concurrent.atomic.AtomicLong largest = new java.util.concurrent.atomic.AtomicLong();
            Thread sizes = Thread.ofPlatform().daemon().start(() -> { // the file's largest size during the ingest
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        largest.accumulateAndGet(Files.size(file), Math::max);
                        Thread.sleep(100);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            URI batch = URI.create("http://localhost:" + running.port() + "/v1/tenants/" + tenant + "/documents:batch");
            long failed;
            if (writers == 1) {
                failed = send(http, batch, ndjson);
            } else {
                List<String> lines = ndjson.lines().toList();
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
                List<java.util.concurrent.Future<Long>> shares = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    shares.add(pool.submit(() -> {
                        long bad = 0;
                        List<String> mine = new ArrayList<>();
                        for (int i = writer; i < lines.size(); i += writers) {
                            mine.add(lines.get(i));
                        }
                        for (int from = 0; from < mine.size(); from += 500) {
                            bad += send(http, batch, String.join("\n", mine.subList(from, Math.min(mine.size(), from + 500))) + "\n");
                        }
                        return bad;
                    }));
                }
                failed = 0;
                for (var share : shares) {
                    failed += share.get();
                }
                pool.shutdown();
            }
            if (failed > 0) {
                throw new IllegalStateException(failed + " lines of the batch failed");
            }
            double acknowledged = seconds(start);
            awaitCount(() -> index.countDocuments(tenant), documents);
            double searchable = seconds(start);
            System.out.printf(Locale.ROOT, "  %s: %d documents acknowledged after %.2f s, searchable after %.2f s%n",
                    tenant, documents, acknowledged, searchable);
            System.out.print(cpu.report(documents, "doc"));
            reportEventBytes(http, running, documents);
            sizes.interrupt();
            long afterIngest = Files.exists(file) ? Files.size(file) : -1;
            stopped = true;
            running.stop();
            reportStoreSize(file, largest.get(), afterIngest);
            return documents / searchable;
        } finally {
            if (!stopped) {
                running.stop();
            }
            deleteRecursively(dataDir);
        }
    }

    /**
     * The embedded store's file after the ingest, after a clean stop, and after H2's full compaction
     * ({@code SHUTDOWN COMPACT}: the live data), for the disk bound of issue 19.
     */
    private static void reportStoreSize(Path file, long largest, long afterIngest) throws Exception {
        if (!Files.exists(file)) {
            return; // a PostgreSQL store
        }
        long afterStop = Files.size(file);
        String base = file.toString().substring(0, file.toString().length() - ".mv.db".length());
        try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:" + base, "vectorsync", "");
             var statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        }
        long compacted = Files.size(file);
        System.out.printf(Locale.ROOT, "  store file: at most %.1f MB during the ingest, %.1f MB after it, %.1f MB after a "
                        + "clean stop; %.1f MB compacted (live data); ratios %.2f, %.2f, %.2f%n", largest / 1e6,
                afterIngest / 1e6, afterStop / 1e6, compacted / 1e6, (double) largest / compacted,
                (double) afterIngest / compacted, (double) afterStop / compacted);
    }

    /** The log's bytes per event type ({@code GET /v1/admin/store}) and per document revision. */
    private static void reportEventBytes(HttpClient http, Main.Running running, int documents) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + running.port() + "/v1/admin/store"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        jakarta.json.JsonObject report = io.vectorsync.json.Json.createReader(new java.io.StringReader(body)).readObject();
        long total = 0;
        StringBuilder types = new StringBuilder();
        for (jakarta.json.JsonValue value : report.getJsonArray("eventTypes")) {
            jakarta.json.JsonObject type = value.asJsonObject();
            long bytes = type.getJsonNumber("payloadBytes").longValue() + type.getJsonNumber("metadataBytes").longValue();
            total += bytes;
            types.append(String.format(Locale.ROOT, "%s %d × %d B; ", type.getString("type"), type.getInt("events"),
                    type.getJsonNumber("bytesPerEvent").longValue()));
        }
        System.out.printf(Locale.ROOT, "  log: %s%.0f bytes of payload and metadata per document revision%n", types,
                (double) total / (documents + 1)); // + the warm-up document
    }

    /** Sends one NDJSON batch; answers how many of its lines were not created. */
    private static long send(HttpClient http, URI batch, String ndjson) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(batch)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the batch answered " + response.statusCode());
        }
        return response.body().filter(line -> !line.contains("\"status\":201")).count();
    }

    /** One document through every stage first, so model loading and JIT warm-up are not measured. */
    private static void warmUp(HttpClient http, Main.Running running, VectorIndex index) throws Exception {
        StringBuilder vector = new StringBuilder();
        for (int d = 0; d < DIMENSION; d++) {
            vector.append(d == 0 ? "" : ",").append(d == 0 ? 1 : 0);
        }
        String body = index.space().name().equals("client")
                ? "{\"body\": \"warm up\", \"vectors\": {\"space\": \"client\", \"vector\": [" + vector + "]}}"
                : "{\"title\": \"Warm up\", \"body\": \"The model runs once before the clock starts.\"}";
        http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + running.port()
                        + "/v1/tenants/warm-up/documents/first"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        awaitCount(() -> index.countDocuments("warm-up"), 1);
    }

    private static double bareLucene(float[][] vectors) throws IOException {
        Path dir = Files.createTempDirectory("vectorsync-bench-lucene");
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            CpuByThread cpu = CpuByThread.start();
            long start = System.nanoTime();
            for (int i = 0; i < vectors.length; i++) {
                Document doc = new Document();
                doc.add(new StringField("id", "v" + i, Field.Store.YES));
                doc.add(new KnnFloatVectorField("vector", vectors[i], VectorSimilarityFunction.COSINE));
                writer.addDocument(doc);
                if ((i + 1) % BATCH == 0) {
                    writer.commit();
                }
            }
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                if (reader.numDocs() != vectors.length) {
                    throw new IllegalStateException("bare Lucene lost documents");
                }
            }
            double rate = vectors.length / seconds(start);
            System.out.print("  bare Lucene:\n" + cpu.report(vectors.length, "doc"));
            return rate;
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void awaitCount(LongSupplier count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000;
        while (count.getAsLong() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsLong() + " of " + expected + " became searchable");
            }
            Thread.sleep(10);
        }
    }

    static float[][] randomUnitVectors(int count, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = BenchSupport.unitVector(random, DIMENSION);
        }
        return vectors;
    }

    private static double last(List<Double> values) {
        return values.getLast();
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Doc(String id, String title, String body) {
    }
}
