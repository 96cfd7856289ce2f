package io.vectorsync.ui.access;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingResponse;
import io.vectorsync.command.api.Problem;
import io.vectorsync.command.api.Problems;
import io.vectorsync.ui.access.AccessPolicy.Workload;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One bounded pool of platform threads per workload, so that no workload starves another. Helidon runs each request
 * on a virtual thread, and virtual threads are not time-sliced: with searches running on both carrier threads of a
 * two-core machine, every step of a write (parsing, handing its commands over, answering) waited behind the whole
 * run queue. Here a request's handler runs on its workload's platform threads, which the operating system time-slices
 * with the group-commit and processor threads; the virtual thread only waits. A request whose workload's queue is full
 * is answered 429 at once, and one that could not start within its workload's deadline is answered 429 instead of
 * running late; both carry {@code Retry-After}.
 */
public final class Bulkheads implements AutoCloseable {

    /** The pool whose thread this is, while it runs a request. */
    private static final ThreadLocal<Pool> CURRENT = new ThreadLocal<>();

    private final Map<Workload, Pool> pools = new EnumMap<>(Workload.class);

    public Bulkheads(LoadLimits limits) {
        for (Workload workload : Workload.values()) {
            if (workload != Workload.NONE) {
                pools.put(workload, new Pool(workload, limits.of(workload)));
            }
        }
    }

    /**
     * Runs {@code work} (the rest of the request's handling) on a thread of the workload's pool and waits for it, or
     * answers 429 through {@code res}; {@code NONE} runs where it is. A failure of the work is thrown here, as if it
     * had run here.
     */
    public void run(Workload workload, RoutingResponse res, Runnable work) {
        run(workload, work, why -> overloaded(res, workload, why));
    }

    /** Runs {@code work} as {@link #run(Workload, RoutingResponse, Runnable)} does, telling {@code refused} why not. */
    void run(Workload workload, Runnable work, java.util.function.Consumer<String> refused) {
        Pool pool = pools.get(workload);
        if (pool == null) {
            work.run();
            return;
        }
        long admitted = System.nanoTime();
        Future<?> future;
        try {
            future = pool.executor.submit(() -> {
                if (System.nanoTime() - admitted > pool.deadlineNanos) {
                    pool.shed.increment();
                    refused.accept("could not start within its deadline of " + pool.limit.deadline().toMillis() + " ms");
                    return;
                }
                pool.started.increment();
                CURRENT.set(pool);
                try {
                    work.run();
                } finally {
                    CURRENT.remove();
                }
            });
        } catch (RejectedExecutionException e) {
            pool.rejected.increment();
            refused.accept("found " + pool.limit.queue() + " requests of its kind already waiting");
            return;
        }
        // the work writes this request's response: wait for it to end even when this thread is interrupted (the
        // server stopping interrupts its connections' threads), or the request would be answered twice
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    future.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case RuntimeException runtime -> throw runtime;
                        case Error error -> throw error;
                        default -> throw new IllegalStateException(e.getCause());
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs {@code wait} — a request's handler waiting, not computing (read-your-writes waiting for a projection's
     * position) — and, on a bulkhead's thread, gives that pool one more thread for as long as it lasts, so that
     * waiting requests do not take the places of the ones that compute. Elsewhere it just runs it.
     */
    public static void whileWaiting(Runnable wait) {
        Pool pool = CURRENT.get();
        if (pool == null) {
            wait.run();
            return;
        }
        pool.resize(1);
        try {
            wait.run();
        } finally {
            pool.resize(-1);
        }
    }

    /** Requests per workload so far: started, refused with a full queue, shed at their deadline; and waiting now. */
    public Map<Workload, Counts> counts() {
        Map<Workload, Counts> counts = new EnumMap<>(Workload.class);
        pools.forEach((workload, pool) -> counts.put(workload, new Counts(pool.started.sum(), pool.rejected.sum(),
                pool.shed.sum(), pool.executor.getQueue().size(), pool.executor.getActiveCount())));
        return counts;
    }

    public record Counts(long started, long rejected, long shed, int waiting, int running) {
    }

    private static void overloaded(RoutingResponse res, Workload workload, String why) {
        Problems.send(res, Problem.of(429, "overloaded", "Overloaded", "the server is at its limit for "
                + workload.name().toLowerCase(java.util.Locale.ROOT) + " requests: this one " + why
                + "; retry after 1 s", null).retryAfter(1));
    }

    @Override
    public void close() {
        pools.values().forEach(pool -> pool.executor.shutdown());
    }

    private static final class Pool {
        final LoadLimits.Limit limit;
        final long deadlineNanos;
        final ThreadPoolExecutor executor;
        final LongAdder started = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder shed = new LongAdder();

        Pool(Workload workload, LoadLimits.Limit limit) {
            String name = workload.name().toLowerCase(java.util.Locale.ROOT);
            this.limit = limit;
            this.deadlineNanos = limit.deadline().toNanos();
            AtomicLong threads = new AtomicLong();
            this.executor = new ThreadPoolExecutor(limit.threads(), limit.threads(), 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(limit.queue()),
                    runnable -> Thread.ofPlatform().daemon().name(name + "-" + threads.incrementAndGet()).unstarted(runnable),
                    new ThreadPoolExecutor.AbortPolicy());
            this.executor.allowCoreThreadTimeOut(true);
        }

        /** More threads (a queued request starts at once) or, after a wait, as many fewer (idle ones end). */
        synchronized void resize(int by) {
            int size = executor.getCorePoolSize() + by;
            if (by > 0) {
                executor.setMaximumPoolSize(size);
                executor.setCorePoolSize(size);
            } else {
                executor.setCorePoolSize(size);
                executor.setMaximumPoolSize(size);
            }
        }
    }
}
