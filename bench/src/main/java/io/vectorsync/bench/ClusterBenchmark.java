package io.vectorsync.bench;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static io.vectorsync.bench.BenchSupport.intArg;
import static io.vectorsync.bench.BenchSupport.json;
import static io.vectorsync.bench.BenchSupport.median;
import static io.vectorsync.bench.BenchSupport.percentile;
import static io.vectorsync.bench.BenchSupport.stringArg;

/**
 * Issue 16's two cluster benchmarks, with the app in JVMs of its own ({@code io.vectorsync.app.Main} configured by
 * environment, as {@code bin/run} starts it; -Xmx768m and the serial collector each) on one PostgreSQL store and one
 * OpenSearch node, everything on 127.0.0.1. Every run gets a fresh database, index prefix and Hazelcast cluster name.
 * <p>
 * (a) Freshness of client vectors: from a write's acknowledgement by a command node until a search on a query node
 * (filtered to the write's own probe value, as {@link FreshnessBenchmark} does) finds it; a search at once after the
 * acknowledgement, then one every {@code --poll-ms}. Scenarios: {@code cross} — a command node (lite member of the
 * cache), a query node (cache client) and a projector (the cache's member), three JVMs; {@code same} — one JVM with
 * every role (embedded cache), write and search on it; {@code nocache} — {@code cross} with the cache off, so only the
 * index's one-second refresh makes a write visible (writes go in waves of {@code --wave} to keep that short).
 * <p>
 * (b) Ingest: a command node (with the admin API, to read the processors' tokens) takes {@code --documents}
 * client-vector documents through its NDJSON batch API ({@code --writers} concurrent writers, {@code --batch} lines per
 * request) while 1, 2 or 3 projector JVMs (Hazelcast members of one cache) index them; the time from the first write
 * until every segment of {@code vector-index} has stored a token at the log's head, and until OpenSearch counts them
 * all. Rounds alternate the projector counts; medians are reported, with the CPU seconds of each process.
 * <p>
 * Usage (bench/cluster starts PostgreSQL and OpenSearch): ClusterBenchmark --opensearch URL --store-url JDBC
 * [--opensearch-pid P] [--postgres-pid P] [--parts freshness,ingest] [--writes 1000] [--preload 2000] [--wave 25]
 * [--poll-ms 5] [--scenarios same,cross,nocache] [--documents 10000] [--rounds 3] [--projectors 0,1,2,3] [--segments 6]
 * [--batch 500] [--writers 2]
 */
public final class ClusterBenchmark {

    private static final int DIMENSION = 384;
    private static final String SPACE = "client";
    private static final String TENANT = "bench";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final float[] ANY_QUERY = unit(0);
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private static String opensearch;
    private static String storeServer;
    private static int opensearchPid;
    private static int postgresPid;
    private static Path workDir;

    public static void main(String[] args) throws Exception {
        opensearch = stringArg(args, "--opensearch", null);
        storeServer = stringArg(args, "--store-url", null);
        if (opensearch == null || storeServer == null) {
            throw new IllegalArgumentException("--opensearch URL and --store-url JDBC_URL are required (bench/cluster)");
        }
        opensearchPid = intArg(args, "--opensearch-pid", 0);
        postgresPid = intArg(args, "--postgres-pid", 0);
        workDir = Files.createTempDirectory("vectorsync-bench-cluster");
        String parts = stringArg(args, "--parts", "freshness,ingest");
        System.out.printf(Locale.ROOT, "machine: %d cores (%s), %s; app JVMs -Xmx768m -XX:+UseSerialGC; logs in %s%n",
                CORES, cpuModel(), java.lang.management.ManagementFactory.getRuntimeMXBean().getVmVersion(), workDir);
        if (parts.contains("freshness")) {
            freshness(args);
        }
        if (parts.contains("ingest")) {
            ingest(args);
        }
    }

    // ---- (a) freshness ----------------------------------------------------------------------------------------------

    private record Fresh(String name, List<Double> acks, List<Double> visible, int firstSearch, List<Double> took) {
    }

    private static void freshness(String[] args) throws Exception {
        int writes = intArg(args, "--writes", 1000);
        int preload = intArg(args, "--preload", 2000);
        int wave = intArg(args, "--wave", 25);
        int pollMs = intArg(args, "--poll-ms", 5);
        String scenarios = stringArg(args, "--scenarios", "same,cross,nocache");
        System.out.printf(Locale.ROOT, "%n== (a) freshness: %d writes per scenario (plus 20 to warm up), %d preloaded "
                + "documents, a search at once and then every %d ms ==%n", writes, preload, pollMs);
        List<Fresh> results = new ArrayList<>();
        if (scenarios.contains("same")) {
            results.add(freshRun("one node (roles all), with the cache", false, true, preload, writes, 1, pollMs));
        }
        if (scenarios.contains("cross")) {
            results.add(freshRun("command node → query node, with the cache", true, true, preload, writes, 1, pollMs));
        }
        if (scenarios.contains("nocache")) {
            results.add(freshRun("command node → query node, cache off (index refresh only)", true, false, preload,
                    writes, wave, pollMs));
        }
        System.out.println();
        System.out.println("| scenario | writes | ack p50 | ack p99 | visible p50 | p90 | p99 | max | found by the first search | search server time p50 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Fresh r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f %% | %.0f ms |%n",
                    r.name, r.visible.size(), percentile(r.acks, 50), percentile(r.acks, 99), percentile(r.visible, 50),
                    percentile(r.visible, 90), percentile(r.visible, 99),
                    r.visible.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    100.0 * r.firstSearch / r.visible.size(), percentile(r.took, 50));
        }
    }

    private static Fresh freshRun(String name, boolean cross, boolean cache, int preload, int writes, int wave,
                                  int pollMs) throws Exception {
        Cluster cluster = new Cluster("fresh", 2);
        List<Node> nodes = new ArrayList<>();
        try {
            Node writeNode;
            Node searchNode;
            Node admin;
            if (!cross) {
                Node all = cluster.start("all-1", "all", cache ? "embedded" : null, List.of());
                nodes.add(all);
                writeNode = all;
                searchNode = all;
                admin = all;
            } else {
                int memberPort = freePort();
                String members = "127.0.0.1:" + memberPort;
                nodes.add(cluster.start("projector-1", "projector", cache ? "embedded" : null, List.of(members), memberPort));
                nodes.getLast().awaitUp();
                nodes.add(cluster.start("command-1", "command,admin", cache ? "lite" : null, List.of(members)));
                nodes.add(cluster.start("query-1", "query", cache ? "client" : null, List.of(members)));
                writeNode = nodes.get(1);
                searchNode = nodes.get(2);
                admin = nodes.get(1);
            }
            for (Node node : nodes) {
                node.awaitUp();
            }
            System.out.printf(Locale.ROOT, "%s: %s up%n", name, nodes.stream().map(Node::describe).collect(Collectors.joining(", ")));
            preload(writeNode, admin, cluster, preload, cache);

            List<Double> took = new ArrayList<>();
            int warmUp = Math.max(wave, 20); // not counted: the JIT, the connections, the cache's first calls
            BenchSupport.Freshness fresh = BenchSupport.measureWaves(name, writes, wave, warmUp, pollMs,
                    new BenchSupport.Waves() {
                        @Override
                        public void write(String id, int n, String probe) throws Exception {
                            send(writeNode.port, "PUT", "/v1/tenants/" + TENANT + "/documents/" + id,
                                    "application/json", "{" + vectorFields(probe, unit(n + 1)) + "}");
                        }

                        @Override
                        public Set<String> search(String probe, boolean counted) throws Exception {
                            return ClusterBenchmark.search(searchNode, probe, wave, counted ? took : new ArrayList<>());
                        }
                    });
            List<Double> acks = fresh.acks();
            List<Double> visible = fresh.visible();
            int firstSearch = fresh.firstSearch();
            System.out.printf(Locale.ROOT, "%s: visible p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d writes; ack p50 %.1f ms%s%n",
                    name, percentile(visible, 50), percentile(visible, 99),
                    visible.stream().mapToDouble(Double::doubleValue).max().orElse(0), visible.size(),
                    percentile(acks, 50), cache ? "; cache " + get(admin.port, "/v1/admin/cache").getJsonObject("spaces")
                            .getJsonObject(SPACE) : "");
            return new Fresh(name, acks, visible, firstSearch, took);
        } finally {
            stopAll(nodes);
            cluster.dropIndexes();
        }
    }

    /** A corpus for searches to merge with: in the index, refreshed, and (with the cache) swept out of the cache. */
    private static void preload(Node writeNode, Node admin, Cluster cluster, int count, boolean cache) throws Exception {
        float[][] vectors = OpenSearchBenchmark.clustered(count, 21);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < count; i++) {
            ndjson.append("{\"documentId\":\"pre").append(i).append("\",").append(vectorFields("pre", vectors[i])).append("}\n");
        }
        batch(writeNode.port, ndjson.toString(), count);
        await("the preload is in the index" + (cache ? " and out of the cache" : ""), Duration.ofMinutes(5), () -> {
            refresh(cluster.readAlias());
            if (countStates(cluster.readAlias()) < count) {
                return false;
            }
            return !cache || get(admin.port, "/v1/admin/cache").getJsonObject("spaces").getJsonObject(SPACE)
                    .getInt("entries") == 0;
        });
    }

    private static Set<String> search(Node node, String probe, int k, List<Double> took) throws Exception {
        String answer = send(node.port, "POST", "/v1/tenants/" + TENANT + "/search", "application/json",
                "{\"space\":\"" + SPACE + "\",\"k\":" + Math.max(k, 1) + ",\"vector\":" + json(ANY_QUERY)
                        + ",\"filter\":{\"probe\":\"" + probe + "\"}}");
        JsonObject body = Json.createReader(new StringReader(answer)).readObject();
        took.add(body.getJsonNumber("tookMs").doubleValue());
        Set<String> ids = new HashSet<>();
        body.getJsonArray("hits").forEach(hit -> ids.add(hit.asJsonObject().getString("documentId")));
        return ids;
    }

    // ---- (b) ingest -------------------------------------------------------------------------------------------------

    /** One ingest run: seconds from the first write to acknowledged, indexed (tokens at the head) and counted. */
    private record Ingest(int projectors, int documents, double ackSeconds, double indexedSeconds,
                          double searchableSeconds, Map<String, Double> cpuSeconds, double machineBusy) {
        double rate() {
            return documents / indexedSeconds;
        }
    }

    private static void ingest(String[] args) throws Exception {
        int documents = intArg(args, "--documents", 10_000);
        int rounds = intArg(args, "--rounds", 3);
        int segments = intArg(args, "--segments", 6);
        int batch = intArg(args, "--batch", 500);
        int writers = intArg(args, "--writers", 2);
        List<Integer> counts = java.util.Arrays.stream(stringArg(args, "--projectors", "0,1,2,3").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        System.out.printf(Locale.ROOT, "%n== (b) ingest: %d client-vector documents (%d dimensions) through one command "
                        + "node's batch API (%d writers, %d lines per request), %d segments per processor, projectors %s, "
                        + "%d rounds ==%n", documents, DIMENSION, writers, batch, segments, counts, rounds);
        float[][] vectors = IngestBenchmark.randomUnitVectors(documents, 7);
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < documents; from += batch) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = from; i < Math.min(documents, from + batch); i++) {
                ndjson.append("{\"documentId\":\"d").append(i).append("\",").append(vectorFields("ingest", vectors[i]))
                        .append("}\n");
            }
            bodies.add(ndjson.toString());
        }
        Map<Integer, List<Ingest>> results = new LinkedHashMap<>();
        counts.forEach(n -> results.put(n, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (int n : counts) {
                Ingest run = ingestRun(n, segments, documents, bodies, writers);
                results.get(n).add(run);
                System.out.printf(Locale.ROOT, "round %d, %d projector(s): acknowledged in %.1f s, indexed in %.1f s "
                                + "(%.0f docs/s), counted in OpenSearch after %.1f s; machine busy %.0f %%; CPU s %s%n",
                        round, n, run.ackSeconds, run.indexedSeconds, run.rate(), run.searchableSeconds,
                        100 * run.machineBusy, format(run.cpuSeconds));
            }
        }
        int baseCount = results.containsKey(1) ? 1 : counts.getFirst();
        double base = median(results.get(baseCount).stream().map(Ingest::rate).toList());
        System.out.println();
        System.out.println("| projector JVMs (0: one JVM, every role) | runs | docs/s (median) | docs/s per core (" + CORES + " cores) | ratio to "
                + baseCount + " | runs' docs/s | acknowledged (median) | counted in OpenSearch (median) | "
                + "machine busy | CPU s per 1,000 docs (median): command, projectors, OpenSearch, PostgreSQL, bench client |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Integer, List<Ingest>> entry : results.entrySet()) {
            List<Ingest> runs = entry.getValue();
            double rate = median(runs.stream().map(Ingest::rate).toList());
            System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.2f | %s | %.1f s | %.1f s | %.0f %% | %s |%n",
                    entry.getKey(), runs.size(), rate, rate / CORES, rate / base,
                    runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.rate())).collect(Collectors.joining(", ")),
                    median(runs.stream().map(Ingest::ackSeconds).toList()),
                    median(runs.stream().map(Ingest::searchableSeconds).toList()),
                    100 * median(runs.stream().map(Ingest::machineBusy).toList()),
                    List.of("command", "projectors", "opensearch", "postgres", "client").stream()
                            .map(kind -> String.format(Locale.ROOT, "%.2f", median(runs.stream()
                                    .map(r -> r.cpuSeconds.getOrDefault(kind, 0.0) * 1000 / r.documents).toList())))
                            .collect(Collectors.joining(", ")));
        }
    }

    private static Ingest ingestRun(int projectorCount, int segments, int documents, List<String> bodies, int writers)
            throws Exception {
        Cluster cluster = new Cluster("ingest", segments);
        List<Node> nodes = new ArrayList<>();
        try {
            List<Integer> memberPorts = new ArrayList<>();
            for (int i = 0; i < projectorCount; i++) {
                memberPorts.add(freePort());
            }
            List<String> members = memberPorts.stream().map(p -> "127.0.0.1:" + p).toList();
            List<Node> projectors = new ArrayList<>();
            for (int i = 0; i < projectorCount; i++) {
                projectors.add(cluster.start("projector-" + (i + 1), "projector", "embedded", members, memberPorts.get(i)));
            }
            nodes.addAll(projectors);
            for (Node projector : projectors) {
                projector.awaitUp();
            }
            // 0 projectors: the baseline, one JVM with every role (embedded cache), written to and projecting itself
            Node command = projectorCount == 0 ? cluster.start("all-1", "all", "embedded", List.of())
                    : cluster.start("command-1", "command,admin", "lite", members);
            nodes.add(command);
            command.awaitUp();
            Set<String> ids = projectorCount == 0 ? Set.of(command.id)
                    : projectors.stream().map(node -> node.id).collect(Collectors.toSet());
            int share = Math.max(1, projectorCount);
            await("each projector claims its share of vector-index's " + segments + " segments", Duration.ofSeconds(120), () -> {
                Map<String, Integer> claims = claims(command);
                return claims.keySet().equals(ids)
                        && claims.values().stream().allMatch(c -> c == segments / share
                        || (segments % share != 0 && c == segments / share + 1));
            });
            // warm up every JVM's indexing path (JIT, connections, cache) before the clock starts
            StringBuilder warm = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                warm.append("{\"documentId\":\"warm").append(i).append("\",").append(vectorFields("warm", unit(i + 5)))
                        .append("}\n");
            }
            batch(command.port, warm.toString(), 500);
            await("the warm-up is indexed", Duration.ofMinutes(2), () -> caughtUp(command));

            Map<String, Long> cpuBefore = cpu(command, projectors);
            long[] machineBefore = machine();
            long start = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < bodies.size(); b = next.getAndIncrement()) {
                        String body = bodies.get(b);
                        batch(command.port, body, (int) body.chars().filter(c -> c == '\n').count());
                    }
                    return null;
                }));
            }
            pool.shutdown();
            for (Future<?> future : done) {
                future.get(10, TimeUnit.MINUTES);
            }
            double acked = BenchSupport.seconds(start);
            await("vector-index has every document (tokens at the log's head)", Duration.ofMinutes(10), () -> caughtUp(command), 50);
            double indexed = BenchSupport.seconds(start);
            Map<String, Long> cpuAfter = cpu(command, projectors);
            long[] machineAfter = machine();
            long total = documents + 500L;
            await("OpenSearch counts every document", Duration.ofSeconds(60), () -> countStates(cluster.readAlias()) >= total, 50);
            double searchable = BenchSupport.seconds(start);
            refresh(cluster.readAlias());
            long counted = countStates(cluster.readAlias());
            if (counted != total) {
                throw new IllegalStateException("OpenSearch counts " + counted + " documents, expected " + total);
            }
            Map<String, Double> cpuSeconds = new LinkedHashMap<>();
            cpuAfter.forEach((kind, ticks) -> cpuSeconds.put(kind,
                    (ticks - cpuBefore.getOrDefault(kind, 0L)) / (double) TICKS_PER_SECOND));
            long busy = (machineAfter[0] - machineBefore[0]);
            long all = (machineAfter[1] - machineBefore[1]);
            return new Ingest(projectorCount, documents, acked, indexed, searchable, cpuSeconds, all == 0 ? 0 : busy / (double) all);
        } finally {
            stopAll(nodes.reversed());
            cluster.dropIndexes();
        }
    }

    /** Segments of vector-index per claiming node, as the store's tokens say (an unclaimed one counts as "(none)"). */
    private static Map<String, Integer> claims(Node admin) {
        Map<String, Integer> claims = new HashMap<>();
        JsonObject processor = processor(admin, "vector-index");
        if (processor == null) {
            return claims;
        }
        for (JsonValue value : processor.getJsonArray("segments")) {
            JsonObject segment = value.asJsonObject();
            String owner = segment.isNull("claimedBy") ? "(none)" : segment.getString("claimedBy");
            claims.merge(owner, 1, Integer::sum);
        }
        return claims;
    }

    /** Every segment of vector-index has stored a token at the log's head. */
    private static boolean caughtUp(Node admin) {
        JsonObject processor = processor(admin, "vector-index");
        if (processor == null || processor.getJsonArray("segments").isEmpty()) {
            return false;
        }
        for (JsonValue value : processor.getJsonArray("segments")) {
            JsonObject segment = value.asJsonObject();
            if (!segment.containsKey("lagEvents") || segment.getJsonNumber("lagEvents").longValue() != 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonObject processor(Node admin, String name) {
        for (JsonValue value : get(admin.port, "/v1/admin/processors").getJsonArray("processors")) {
            if (value.asJsonObject().getString("name").equals(name)) {
                return value.asJsonObject();
            }
        }
        return null;
    }

    /** CPU ticks so far by kind of process: command, projectors, opensearch, postgres (with its backends), client. */
    private static Map<String, Long> cpu(Node command, List<Node> projectors) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        ticks.put("command", tree(command.process.pid()));
        ticks.put("projectors", projectors.stream().mapToLong(p -> tree(p.process.pid())).sum());
        if (opensearchPid > 0) {
            ticks.put("opensearch", tree(opensearchPid));
        }
        if (postgresPid > 0) {
            ticks.put("postgres", tree(postgresPid));
        }
        long[] self = stat(ProcessHandle.current().pid()); // itself only: the app JVMs are its children
        ticks.put("client", self == null ? 0 : self[1] + self[2]);
        return ticks;
    }

    /** utime + stime of a process and of its live descendants, plus what its waited-for children used. */
    private static long tree(long pid) {
        long[] stat = stat(pid);
        if (stat == null) {
            return 0;
        }
        long sum = stat[1] + stat[2] + stat[3] + stat[4];
        for (long child : children(pid)) {
            sum += tree(child);
        }
        return sum;
    }

    private static List<Long> children(long pid) {
        List<Long> children = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] stat = stat(Long.parseLong(name));
                if (stat != null && stat[0] == pid) {
                    children.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            return children;
        }
        return children;
    }

    /** ppid, utime, stime, cutime, cstime of a process from /proc/PID/stat, or null when it is gone. */
    private static long[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3): ppid is field 4, utime..cstime fields 14..17
            return new long[]{Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]), Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy and total ticks of the whole machine (all cores) from /proc/stat. */
    private static long[] machine() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new long[]{total - idle, total};
        } catch (IOException e) {
            return new long[]{0, 0};
        }
    }

    private static String format(Map<String, Double> cpu) {
        return cpu.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    // ---- the cluster ------------------------------------------------------------------------------------------------

    /** One run's shared things: a fresh database, an index prefix and a Hazelcast cluster name of its own. */
    private static final class Cluster {
        final String storeUrl;
        final String prefix;
        final String cacheCluster;
        final int segments;
        final Path dir;

        Cluster(String name, int segments) throws Exception {
            String unique = name + "-" + Long.toString(System.nanoTime(), 36);
            this.storeUrl = BenchSupport.freshDatabase(storeServer, name);
            this.prefix = unique;
            this.cacheCluster = "bench-" + unique;
            this.segments = segments;
            this.dir = Files.createDirectories(workDir.resolve(unique));
        }

        String readAlias() {
            return prefix + "-" + SPACE;
        }

        Node start(String id, String roles, String cacheMode, List<String> members) throws IOException {
            return start(id, roles, cacheMode, members, freePort());
        }

        /** {@code cacheMode} null: no cache. */
        Node start(String id, String roles, String cacheMode, List<String> members, int cachePort) throws IOException {
            int port = freePort();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SERVER_PORT", Integer.toString(port));
            env.put("SERVER_HOST", "127.0.0.1");
            env.put("VECTORSYNC_DATA_DIR", dir.resolve(id).toString());
            env.put("VECTORSYNC_STORE_URL", storeUrl);
            env.put("VECTORSYNC_NODE_ID", id);
            env.put("VECTORSYNC_NODE_ROLES", roles);
            env.put("VECTORSYNC_SECURITY_ADMIN_KEY", "");
            env.put("VECTORSYNC_SPACES_0_NAME", SPACE);
            env.put("VECTORSYNC_SPACES_0_MODEL", "client");
            env.put("VECTORSYNC_SPACES_0_DIMENSION", Integer.toString(DIMENSION));
            env.put("VECTORSYNC_SPACES_0_METRIC", "cosine");
            env.put("VECTORSYNC_DEFAULT_dash_SPACE", SPACE);
            env.put("VECTORSYNC_INDEX_KIND", "opensearch");
            env.put("VECTORSYNC_INDEX_OPENSEARCH_ENDPOINTS", opensearch);
            env.put("VECTORSYNC_INDEX_OPENSEARCH_INDEX_dash_PREFIX", prefix);
            env.put("VECTORSYNC_INDEX_OPENSEARCH_SHARDS", "1");
            env.put("VECTORSYNC_INDEX_OPENSEARCH_REPLICAS", "0");
            env.put("VECTORSYNC_PROCESSORS_SEGMENTS", Integer.toString(segments));
            env.put("VECTORSYNC_CACHE_ENABLED", Boolean.toString(cacheMode != null));
            if (cacheMode != null) {
                env.put("VECTORSYNC_CACHE_MODE", cacheMode);
                env.put("VECTORSYNC_CACHE_CLUSTER_dash_NAME", cacheCluster);
                env.put("VECTORSYNC_CACHE_MEMBERS", String.join(",", members));
                env.put("VECTORSYNC_CACHE_PORT", Integer.toString(cachePort));
                env.put("VECTORSYNC_CACHE_BIND_dash_ADDRESS", "127.0.0.1");
            }
            return Node.start(id, port, dir.resolve(id + ".log"), env);
        }

        void dropIndexes() {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(opensearch + "/" + prefix + "-*")).DELETE()
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException e) {
                System.err.println("could not drop " + prefix + "-*: " + e);
            }
        }
    }

    /** The app in a JVM of its own, as bin/run starts it, configured by environment. */
    private record Node(String id, int port, Process process, Path log) {

        static Node start(String id, int port, Path log, Map<String, String> env) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = List.of(java, "-Xmx768m", "-XX:+UseSerialGC",
                    "@" + Path.of("bin", "jvm.options").toAbsolutePath(),
                    "-cp", System.getProperty("java.class.path"), "io.vectorsync.app.Main");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return new Node(id, port, builder.start(), log);
        }

        void awaitUp() throws InterruptedException {
            try {
                await(id + " answers on " + port, Duration.ofSeconds(120), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(id + " exited with " + process.exitValue());
                    }
                    try {
                        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
            } catch (RuntimeException e) {
                throw new IllegalStateException(e.getMessage() + "; the end of its log (" + log + "):\n" + tail(log), e);
            }
        }

        String describe() {
            return id + " (pid " + process.pid() + ", port " + port + ")";
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: the app stops gracefully and releases its claims
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void stopAll(List<Node> nodes) throws InterruptedException {
        for (Node node : nodes) {
            node.stop();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    // ---- HTTP -------------------------------------------------------------------------------------------------------

    private static String vectorFields(String probe, float[] vector) {
        return "\"title\":\"Vector\",\"body\":\"a document with a vector\",\"metadata\":{\"probe\":\"" + probe
                + "\"},\"vectors\":{\"space\":\"" + SPACE + "\",\"vector\":" + json(vector) + "}";
    }

    /** Sends an NDJSON batch; fails unless every line was answered 200 or 201. */
    private static void batch(int port, String ndjson, int lines) throws Exception {
        String answer = send(port, "POST", "/v1/tenants/" + TENANT + "/documents:batch", "application/x-ndjson", ndjson);
        long ok = answer.lines().filter(line -> line.contains("\"status\":201") || line.contains("\"status\":200")).count();
        if (ok != lines) {
            throw new IllegalStateException("batch: " + ok + " of " + lines + " lines succeeded; first others: "
                    + answer.lines().filter(line -> !line.contains("\"status\":20")).limit(3).toList());
        }
    }

    private static String send(int port, String method, String path, String contentType, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(5)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static JsonObject get(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return Json.createReader(new StringReader(response.body())).readObject();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        }
    }

    private static void refresh(String alias) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(opensearch + "/" + alias + "/_refresh"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("refresh: " + e, e);
        }
    }

    /** Live documents of the tenant in the index (state entries), as the last refresh shows them; 0 before it exists. */
    private static long countStates(String alias) {
        String query = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"" + TENANT + "\"}},"
                + "{\"term\":{\"kind\":\"state\"}},{\"term\":{\"deleted\":false}}]}}}";
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(opensearch + "/" + alias + "/_count"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return 0;
            }
            return Json.createReader(new StringReader(response.body())).readObject().getJsonNumber("count").longValue();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("count: " + e, e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, condition, 200);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition, int everyMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(everyMs);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** A random unit vector of its own for every seed. */
    private static float[] unit(int seed) {
        return BenchSupport.unitVector(new java.util.Random(1_000_003L * seed + 17), DIMENSION);
    }
}
