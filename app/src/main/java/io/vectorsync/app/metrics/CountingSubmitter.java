package io.vectorsync.app.metrics;

import io.helidon.metrics.api.Counter;
import io.vectorsync.command.commit.CommandSubmitter;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command API's writes, counted as they complete: {@code vectorsync_commands_total{command,outcome}} (the
 * command's type — an upsert, a delete… — and {@code ok} or {@code failed}), and each stored one as a document
 * written for the console's ingest rate ({@link Activity}).
 */
public final class CountingSubmitter implements CommandSubmitter {

    private final CommandSubmitter delegate;
    private final Telemetry telemetry;
    private final Activity activity;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public CountingSubmitter(CommandSubmitter delegate, Telemetry telemetry, Activity activity) {
        this.delegate = delegate;
        this.telemetry = telemetry;
        this.activity = activity;
    }

    @Override
    public <R> CompletableFuture<R> submit(Object command) {
        String type = command.getClass().getSimpleName();
        return delegate.<R>submit(command).whenComplete((result, failure) -> {
            String outcome = failure == null ? "ok" : "failed";
            counters.computeIfAbsent(type + ' ' + outcome, key -> telemetry.counter("vectorsync_commands",
                    "Writes of the command API by command and outcome", "command", type, "outcome", outcome))
                    .increment();
            if (failure == null) {
                activity.written(1);
            }
        });
    }

    @Override
    public void close() {
        delegate.close();
    }
}
