package io.vectorsync.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time spent by each kind of thread between two looks, and by the whole process (threads named alike, digits aside, are one kind; a
 * virtual thread's time counts for its carrier). It shows which stage of a pipeline used the cores in a run.
 */
final class CpuByThread {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Map<Long, Long> startNanos = new HashMap<>();
    private long processStartNanos;
    private long gcStartMillis;
    private long jitStartMillis;
    private final Map<Long, String> names = new HashMap<>();

    private CpuByThread() {
    }

    static CpuByThread start() {
        CpuByThread look = new CpuByThread();
        look.record(look.startNanos);
        look.processStartNanos = PROCESS.getProcessCpuTime();
        look.gcStartMillis = gcMillis();
        look.jitStartMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        return look;
    }

    /** CPU milliseconds per kind of thread since the start, most first, as one line per kind. */
    String report(double perUnits, String unit) {
        Map<Long, Long> now = new HashMap<>();
        record(now);
        long process = PROCESS.getProcessCpuTime() - processStartNanos;
        Map<String, Long> byKind = new TreeMap<>();
        now.forEach((id, nanos) -> byKind.merge(names.get(id), nanos - startNanos.getOrDefault(id, 0L), Long::sum));
        long total = byKind.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder();
        byKind.entrySet().stream().filter(e -> e.getValue() > 5_000_000)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "    %-40s %7.0f ms  %6.1f µs/%s%n", e.getKey(),
                        e.getValue() / 1e6, e.getValue() / 1e3 / perUnits, unit)));
        out.append(String.format(Locale.ROOT, "    %-40s %7.0f ms  %6.1f µs/%s%n", "all live threads", total / 1e6,
                total / 1e3 / perUnits, unit));
        long gc = gcMillis() - gcStartMillis;
        long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitStartMillis;
        out.append(String.format(Locale.ROOT, "    %-40s %7d ms  %6.1f µs/%s%n", "garbage collection (elapsed)", gc,
                gc * 1e3 / perUnits, unit));
        out.append(String.format(Locale.ROOT, "    %-40s %7d ms  %6.1f µs/%s%n", "JIT compilation (elapsed)", jit,
                jit * 1e3 / perUnits, unit));
        out.append(String.format(Locale.ROOT, "    %-40s %7.0f ms  %6.1f µs/%s%n", "the process (+ GC, JIT, ended threads)",
                process / 1e6, process / 1e3 / perUnits, unit));
        return out.toString();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private void record(Map<Long, Long> into) {
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                into.put(info.getThreadId(), cpu);
                names.put(info.getThreadId(), info.getThreadName().replaceAll("\\d+", "N"));
            }
        }
    }
}
