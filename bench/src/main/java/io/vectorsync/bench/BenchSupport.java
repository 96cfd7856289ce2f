package io.vectorsync.bench;

import java.util.List;

/** Arguments, statistics and JSON shared by the benchmarks. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** The value at {@code percentile} (nearest rank) of the values. */
    static double percentile(List<Double> values, double percentile) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static double millis(long startNanos, long endNanos) {
        return (endNanos - startNanos) / 1e6;
    }

    static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** A random unit vector: gaussian components, normalised. */
    static float[] unitVector(java.util.Random random, int dimension) {
        float[] vector = new float[dimension];
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            vector[d] = (float) random.nextGaussian();
            norm += vector[d] * vector[d];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dimension; d++) {
            vector[d] *= scale;
        }
        return vector;
    }

    /** A vector as a JSON array. */
    static String json(float[] vector) {
        StringBuilder out = new StringBuilder(vector.length * 12).append('[');
        for (int d = 0; d < vector.length; d++) {
            if (d > 0) {
                out.append(',');
            }
            out.append(vector[d]);
        }
        return out.append(']').toString();
    }

    /** A new, empty database on the PostgreSQL server the URL names; answers its URL. */
    static String freshDatabase(String serverUrl, String name) throws java.sql.SQLException {
        String database = ("bench_" + name + "_" + System.nanoTime()).replace('-', '_');
        try (var connection = java.sql.DriverManager.getConnection(serverUrl);
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (query < 0 ? "" : serverUrl.substring(query));
    }


    /**
     * The settings every benchmark starts from, as configuration keys: loopback on a free port, the data directory,
     * a node id, 64 MiB requests, the embedded index (HNSW m 16, ef-construction 100), 2 segments, batches of 200, no
     * hot cache. Add spaces ({@link #space}) and what the benchmark varies.
     */
    static java.util.Map<String, String> baseKeys(java.nio.file.Path dataDir, String nodeId) {
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("server.host", "localhost");
        keys.put("server.port", "0");
        keys.put("vectorsync.data-dir", dataDir.toString());
        keys.put("vectorsync.node.id", nodeId);
        keys.put("vectorsync.max-request-bytes", Long.toString(64L * 1024 * 1024));
        keys.put("vectorsync.index.kind", "lucene");
        keys.put("vectorsync.index.hnsw-m", "16");
        keys.put("vectorsync.index.hnsw-ef-construction", "100");
        keys.put("vectorsync.processors.segments", "2");
        keys.put("vectorsync.processors.batch-size", "200");
        keys.put("vectorsync.cache.enabled", "false");
        return keys;
    }

    /** Adds the next space: cosine, and for an in-process model the default chunks (200 tokens, 20 overlapping). */
    static void space(java.util.Map<String, String> keys, String name, String model, int dimension) {
        int index = (int) keys.keySet().stream().filter(key -> key.matches("vectorsync\\.spaces\\.\\d+\\.name")).count();
        String prefix = "vectorsync.spaces." + index + ".";
        keys.put(prefix + "name", name);
        keys.put(prefix + "model", model);
        keys.put(prefix + "dimension", Integer.toString(dimension));
        keys.put(prefix + "metric", "cosine");
        if (!model.equals("client")) {
            keys.put(prefix + "chunk-max-tokens", "200");
            keys.put(prefix + "chunk-overlap-tokens", "20");
        }
    }

    /** A freshness run's writes and searches: what {@link #measureWaves} calls. */
    interface Waves {
        /** Writes document {@code id} (number {@code n}, from 0) with metadata value {@code probe}; returns when acknowledged. */
        void write(String id, int n, String probe) throws Exception;

        /** The ids a search filtered to {@code probe} finds; {@code counted} is false during the warm-up. */
        java.util.Set<String> search(String probe, boolean counted) throws Exception;

        /** Runs after the first search of write {@code i} (e.g. a baseline query), outside its timing. */
        default void afterFirstSearch(int i, String probe) throws Exception {
        }
    }

    /** Acknowledgement and write-to-visible latencies (ms), and how many writes the first search found. */
    record Freshness(java.util.List<Double> acks, java.util.List<Double> visible, int firstSearch) {
    }

    /**
     * Writes in waves of {@code wave} documents (each wave one {@code probe} value), the first {@code warmUp} not
     * counted; after each acknowledgement searches at once, then every {@code pollMs} until each write of the wave is
     * found (failing after a minute); each latency runs from the write's own acknowledgement.
     */
    static Freshness measureWaves(String name, int writes, int wave, int warmUp, int pollMs, Waves io) throws Exception {
        java.util.List<Double> acks = new java.util.ArrayList<>();
        java.util.List<Double> visible = new java.util.ArrayList<>();
        int firstSearch = 0;
        for (int from = -warmUp; from < writes; from += wave) {
            int to = Math.min(writes, from + wave);
            String probe = "p" + (from + warmUp);
            long[] acked = new long[to - from];
            long[] seen = new long[to - from];
            boolean[] first = new boolean[to - from];
            java.util.Set<String> pending = new java.util.HashSet<>();
            for (int i = from; i < to; i++) {
                String id = "w" + (i + warmUp);
                long sent = System.nanoTime();
                io.write(id, i + warmUp, probe);
                long ack = System.nanoTime();
                acked[i - from] = ack;
                pending.add(id);
                if (i >= 0) {
                    acks.add(millis(sent, ack));
                }
                java.util.Set<String> found = io.search(probe, i >= 0); // the first search, at once
                long now = System.nanoTime();
                if (i >= 0) {
                    io.afterFirstSearch(i, probe);
                }
                for (int j = from; j <= i; j++) {
                    if (found.contains("w" + (j + warmUp)) && pending.remove("w" + (j + warmUp))) {
                        seen[j - from] = now;
                        first[j - from] = j == i;
                    }
                }
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            boolean counted = from >= 0;
            while (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": " + pending + " not visible after a minute");
                }
                Thread.sleep(pollMs);
                java.util.Set<String> found = io.search(probe, counted);
                long now = System.nanoTime();
                for (int j = from; j < to; j++) {
                    String id = "w" + (j + warmUp);
                    if (found.contains(id) && pending.remove(id)) {
                        seen[j - from] = now;
                    }
                }
            }
            for (int j = Math.max(0, from); j < to; j++) {
                visible.add(millis(acked[j - from], seen[j - from]));
                firstSearch += first[j - from] ? 1 : 0;
            }
        }
        return new Freshness(acks, visible, firstSearch);
    }
}
