package io.vectorsync.ui.access;

import io.vectorsync.ui.access.AccessPolicy.Workload;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How much of each workload the server takes on at once ({@link Bulkheads}): per workload, the threads that run its
 * requests, how many more may wait for one, and how long a request may wait before it is shed.
 */
public record LoadLimits(Map<Workload, Limit> limits, long maxIndexLag) {

    /**
     * How far (in events) the live index may be behind the log before writes wait for it, by default: under a second
     * of the fastest writer this two-core machine serves (bench/load). Beyond it every search pays for the
     * documents the index has not taken yet (the hot cache merges them in), and each search left the index fewer
     * cores: a busy writer and 16 search clients left it 7 s behind and the cache 2,600 documents deep.
     */
    public static final long DEFAULT_MAX_INDEX_LAG = 500;

    /**
     * @param threads  platform threads that run the workload's requests
     * @param queue    requests that may wait for one of them; the next is answered 429 at once
     * @param deadline how long a request may wait to start; one that could not start by then is answered 429
     */
    public record Limit(int threads, int queue, Duration deadline) {

        public Limit {
            if (threads < 1 || queue < 1 || deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("a workload needs threads >= 1, queue >= 1 and a positive deadline, "
                        + "got threads=" + threads + ", queue=" + queue + ", deadline=" + deadline);
            }
        }
    }

    public LoadLimits(Map<Workload, Limit> limits) {
        this(limits, DEFAULT_MAX_INDEX_LAG);
    }

    public LoadLimits {
        if (maxIndexLag < 0) {
            throw new IllegalArgumentException("the largest index lag must not be negative (0 turns it off), got "
                    + maxIndexLag);
        }
        limits = Map.copyOf(limits);
        for (Workload workload : Workload.values()) {
            if (workload != Workload.NONE && !limits.containsKey(workload)) {
                throw new IllegalArgumentException("no limits for the " + workload + " workload");
            }
        }
    }

    /**
     * Sized to the cores as Elasticsearch sizes its search pool (3 × cores / 2 + 1): searches (CPU-bound: the query's
     * embedding, the HNSW search) and reads get that many threads, so they hold a bounded share of the machine while
     * writes, the processors and admin calls take theirs (on two cores, two search threads left searches 11/s under a
     * busy writer and four gave them 28–52/s while writes kept more than half their rate: bench/load); writes get more
     * threads, since they mostly wait for their group's commit; admin calls two.
     */
    public static LoadLimits defaults(int cores) {
        int searchThreads = 3 * cores / 2 + 1;
        Map<Workload, Limit> limits = new EnumMap<>(Workload.class);
        limits.put(Workload.SEARCH, new Limit(searchThreads, 32 * cores, Duration.ofSeconds(1)));
        limits.put(Workload.READ, new Limit(searchThreads, 32 * cores, Duration.ofSeconds(2)));
        limits.put(Workload.WRITE, new Limit(Math.max(8, 4 * cores), 64 * cores, Duration.ofSeconds(5)));
        limits.put(Workload.ADMIN, new Limit(2, 32, Duration.ofSeconds(10)));
        return new LoadLimits(limits);
    }

    public static final LoadLimits DEFAULTS = defaults(Runtime.getRuntime().availableProcessors());

    public Limit of(Workload workload) {
        return limits.get(workload);
    }

    public LoadLimits with(Workload workload, Limit limit) {
        Map<Workload, Limit> changed = new EnumMap<>(limits);
        changed.put(workload, limit);
        return new LoadLimits(changed, maxIndexLag);
    }

    /** The same limits, with writes waiting while the live index is more than {@code events} behind (0: never). */
    public LoadLimits withMaxIndexLag(long events) {
        return new LoadLimits(limits, events);
    }
}
