package io.vectorsync.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static io.vectorsync.bench.BenchSupport.percentile;

/**
 * The load benchmark's harness, whatever it drives (Vectorsync's HTTP API, or pgvector): a warm-up, then for each
 * number of search clients a run of the writer alone and a run of the writer, the freshness probe and the clients
 * together, printed as one table.
 */
final class LoadRuns {

    /** One writer, one freshness probe and the search clients, each a closed loop until {@code stop}. */
    interface Target {
        void writer(int run, AtomicBoolean stop, Result result);

        /** Writes one document now and then and measures how long until a search finds it. */
        void freshnessProbe(int run, AtomicBoolean stop, Result result);

        void searcher(int client, AtomicBoolean stop, Result result);
    }

    private LoadRuns() {
    }

    /**
     * The warm-up and the table. {@code hotEntries} is sampled every 100 ms of each loaded run when {@code cpu} (null:
     * nothing to sample). Returns the documents acknowledged in all runs.
     */
    static long table(Target target, String what, List<Integer> clients, int seconds, int warmup, boolean cpu,
                      IntSupplier hotEntries) throws InterruptedException {
        // the JIT compiles the hot paths for the first minute or so; measured runs should not pay for that
        Result warm = run(target, 4, warmup, -1);
        long acknowledged = warm.written.get() + warm.probes.get();
        System.out.printf(Locale.ROOT, "%s; %d s of warm-up; %d s per run; writer: batches of 100; search clients "
                + "closed-loop, k = 10, every fourth a text query%n%n", what, warmup, seconds);
        System.out.println("| search clients | writes/s | share of writes alone | searches/s | search p50 ms | p99 ms "
                + "| max ms | freshness p99 ms | 429s (search / write) | 5xx |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        int run = 0;
        for (int n : clients) {
            CpuByThread aloneCpu = CpuByThread.start();
            Result alone = run(target, 0, seconds, run++);
            String aloneReport = aloneCpu.report(alone.written.get(), "write");
            CpuByThread loadedCpu = CpuByThread.start();
            AtomicBoolean sampled = new AtomicBoolean();
            List<Integer> entries = Collections.synchronizedList(new ArrayList<>());
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!sampled.get() && hotEntries != null) {
                    entries.add(hotEntries.getAsInt());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Result loaded = run(target, n, seconds, run++);
            sampled.set(true);
            sampler.join();
            String loadedReport = loadedCpu.report(Math.max(1, loaded.searchTimes.size()), "search");
            System.out.println(alone.row(0, alone.writesPerSecond));
            System.out.println(loaded.row(n, alone.writesPerSecond));
            if (cpu) {
                System.err.printf("CPU, writer alone:%n%sCPU, writer and %d search clients:%n%s", aloneReport, n,
                        loadedReport);
                List<Double> sizes = entries.stream().map(Integer::doubleValue).toList();
                if (!sizes.isEmpty()) {
                    System.err.printf(Locale.ROOT, "hot-cache entries during the loaded run: p50 %.0f, p99 %.0f, max %.0f%n",
                            percentile(sizes, 50), percentile(sizes, 99), percentile(sizes, 100));
                }
            }
            acknowledged += alone.written.get() + alone.probes.get() + loaded.written.get() + loaded.probes.get();
        }
        return acknowledged;
    }

    static Result run(Target target, int clients, int seconds, int run) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Result result = new Result();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().start(() -> target.writer(run, stop, result)));
        threads.add(Thread.ofPlatform().start(() -> target.freshnessProbe(run, stop, result)));
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> target.searcher(client, stop, result)));
        }
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(java.time.Duration.ofSeconds(70));
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        result.writesPerSecond = result.written.get() / elapsed;
        result.searchesPerSecond = result.searchTimes.size() / elapsed;
        return result;
    }

    /** What one run counted. */
    static final class Result {
        final AtomicLong written = new AtomicLong();
        final AtomicLong probes = new AtomicLong();
        final AtomicReference<String> unexpected = new AtomicReference<>();
        final List<Double> searchTimes = Collections.synchronizedList(new ArrayList<>());
        final List<Double> freshness = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger searchRefusals = new AtomicInteger();
        final AtomicInteger writeRefusals = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        double writesPerSecond;
        double searchesPerSecond;

        String row(int clients, double solo) {
            List<Double> times = List.copyOf(searchTimes);
            List<Double> fresh = List.copyOf(freshness);
            return String.format(Locale.ROOT, "| %s | %.0f | %.2f | %s | %s | %s | %s | %s | %d / %d | %d%s |",
                    clients == 0 ? "0 (writer alone)" : Integer.toString(clients), writesPerSecond, writesPerSecond / solo,
                    times.isEmpty() ? "—" : String.format(Locale.ROOT, "%.0f", searchesPerSecond),
                    times.isEmpty() ? "—" : String.format(Locale.ROOT, "%.1f", percentile(times, 50)),
                    times.isEmpty() ? "—" : String.format(Locale.ROOT, "%.1f", percentile(times, 99)),
                    times.isEmpty() ? "—" : String.format(Locale.ROOT, "%.0f", percentile(times, 100)),
                    fresh.isEmpty() ? "—" : String.format(Locale.ROOT, "%.1f", percentile(fresh, 99)),
                    searchRefusals.get(), writeRefusals.get(), serverErrors.get(),
                    failures.get() == 0 ? "" : " (" + failures.get() + " client failures)");
        }
    }
}
