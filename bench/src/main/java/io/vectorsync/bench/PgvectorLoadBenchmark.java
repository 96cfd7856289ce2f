package io.vectorsync.bench;

import io.vectorsync.bench.LoadRuns.Result;
import io.vectorsync.command.encoder.MiniLmEmbeddingModel;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.json;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * The load benchmark's pattern against pgvector on PostgreSQL (issue 20's baseline): the same writer (batches of 100
 * upserts, one transaction each, as fast as they commit), freshness probe and closed-loop search clients (k = 10,
 * HNSW with ef_search 100, every fourth a text query the client embeds with the same MiniLM model the app uses), one
 * JDBC connection each. The table is an HNSW index (m 16, ef_construction 100, cosine) maintained as rows arrive.
 * Run by {@code bench/pgvector}, which installs pgvector and starts the database.
 */
public final class PgvectorLoadBenchmark {

    private static final int DIMENSION = 384;
    private static final String UPSERT = "INSERT INTO load_docs (id, body, embedding) VALUES (?, ?, ?::vector) "
            + "ON CONFLICT (id) DO UPDATE SET body = excluded.body, embedding = excluded.embedding";
    private static final String KNN = "SELECT id, body, 1 - (embedding <=> ?::vector) AS score FROM load_docs "
            + "ORDER BY embedding <=> ?::vector LIMIT ?";

    private PgvectorLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = stringArg(args, "--url", null);
        if (url == null) {
            throw new IllegalArgumentException("--url jdbc:postgresql://… is required (bench/pgvector passes it)");
        }
        int preload = intArg(args, "--documents", 5_000);
        int seconds = intArg(args, "--seconds", 30);
        int warmup = intArg(args, "--warmup", 30);
        List<Integer> clients = java.util.Arrays.stream(stringArg(args, "--clients", "1,4,16").split(","))
                .map(Integer::parseInt).toList();
        try (Connection setup = DriverManager.getConnection(url); Statement sql = setup.createStatement()) {
            sql.execute("CREATE EXTENSION IF NOT EXISTS vector");
            sql.execute("DROP TABLE IF EXISTS load_docs");
            sql.execute("CREATE TABLE load_docs (id text PRIMARY KEY, body text NOT NULL, embedding vector(" + DIMENSION
                    + ") NOT NULL)");
            sql.execute("CREATE INDEX ON load_docs USING hnsw (embedding vector_cosine_ops) "
                    + "WITH (m = 16, ef_construction = 100)");
            try (ResultSet version = sql.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
                version.next();
                System.out.println("pgvector " + version.getString(1));
            }
        }
        Target target = new Target(url, new MiniLmEmbeddingModel());
        Random random = new Random(5);
        try (Connection connection = target.connect()) {
            for (int from = 0; from < preload; from += 500) {
                target.upsert(connection, random, "pre", from, Math.min(500, preload - from));
            }
        }
        long expected = preload + LoadRuns.table(target, preload + " vectors in pgvector", clients, seconds, warmup,
                java.util.Arrays.asList(args).contains("--cpu"), null);
        try (Connection connection = target.connect(); Statement sql = connection.createStatement();
             ResultSet count = sql.executeQuery("SELECT count(*) FROM load_docs")) {
            count.next();
            long rows = count.getLong(1);
            System.out.printf("%nacknowledged documents %d, rows %d%s%n", expected, rows,
                    rows == expected ? " (none lost, none twice)" : " — MISMATCH");
        }
    }

    private record Target(String url, MiniLmEmbeddingModel model) implements LoadRuns.Target {

        Connection connect() throws SQLException {
            Connection connection = DriverManager.getConnection(url);
            try (Statement sql = connection.createStatement()) {
                sql.execute("SET hnsw.ef_search = 100");
            }
            return connection;
        }

        /** One transaction of {@code lines} upserts; returns once it committed. */
        void upsert(Connection connection, Random random, String prefix, int from, int lines) throws SQLException {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                for (int i = from; i < from + lines; i++) {
                    upsert.setString(1, prefix + i);
                    upsert.setString(2, "document " + i);
                    upsert.setString(3, json(BenchSupport.unitVector(random, DIMENSION)));
                    upsert.addBatch();
                }
                upsert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }

        List<String> search(Connection connection, float[] vector, int k) throws SQLException {
            try (PreparedStatement knn = connection.prepareStatement(KNN)) {
                String text = json(vector);
                knn.setString(1, text);
                knn.setString(2, text);
                knn.setInt(3, k);
                List<String> ids = new java.util.ArrayList<>(k);
                try (ResultSet rows = knn.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                        rows.getString(2);
                        rows.getFloat(3);
                    }
                }
                return ids;
            }
        }

        @Override
        public void writer(int run, AtomicBoolean stop, Result result) {
            Random random = new Random(100 + run);
            try (Connection connection = connect()) {
                for (int from = 0; !stop.get(); from += 100) {
                    try {
                        upsert(connection, random, "w" + run + "-", from, 100);
                        result.written.addAndGet(100);
                    } catch (SQLException e) {
                        result.failures.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                result.failures.incrementAndGet();
            }
        }

        @Override
        public void freshnessProbe(int run, AtomicBoolean stop, Result result) {
            Random random = new Random(200 + run);
            try (Connection connection = connect()) {
                for (int i = 0; !stop.get(); i++) {
                    float[] vector = BenchSupport.unitVector(random, DIMENSION);
                    String id = "probe-" + run + "-" + i;
                    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                        upsert.setString(1, id);
                        upsert.setString(2, "probe");
                        upsert.setString(3, json(vector));
                        upsert.executeUpdate(); // autocommit: acknowledged on return
                    }
                    long acknowledged = System.nanoTime();
                    result.probes.incrementAndGet();
                    while (!stop.get()) {
                        List<String> found = search(connection, vector, 1);
                        if (!found.isEmpty() && found.getFirst().equals(id)) {
                            result.freshness.add((System.nanoTime() - acknowledged) / 1e6);
                            break;
                        }
                        Thread.sleep(1);
                    }
                    Thread.sleep(200);
                }
            } catch (SQLException e) {
                result.failures.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void searcher(int client, AtomicBoolean stop, Result result) {
            Random random = new Random(300 + client);
            try (Connection connection = connect()) {
                for (int i = 0; !stop.get(); i++) {
                    long started = System.nanoTime();
                    try {
                        String[] texts = LoadBenchmark.TEXT_QUERIES;
                        float[] vector = i % 4 == 3 ? model.embedAll(List.of(texts[random.nextInt(texts.length)])).getFirst()
                                : BenchSupport.unitVector(random, DIMENSION);
                        search(connection, vector, 10);
                        result.searchTimes.add((System.nanoTime() - started) / 1e6);
                    } catch (SQLException e) {
                        result.failures.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                result.failures.incrementAndGet();
            }
        }
    }
}
