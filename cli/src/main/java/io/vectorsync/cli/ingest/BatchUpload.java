package io.vectorsync.cli.ingest;

import io.vectorsync.cli.Failure;
import io.vectorsync.cli.Progress;
import io.vectorsync.cli.http.Api;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends batches to {@code POST /v1/tenants/{t}/documents:batch}, {@code concurrency} at a time, and counts what each
 * line's answer says: {@code unchanged} (the app wrote nothing: same title, body and metadata), any other result
 * (written), or a problem (failed). A 429 — for the batch or a line — is sent again after its Retry-After, a few
 * times. An answer that fails the whole batch (the tenant is invalid, the key may not write, the app is gone) stops
 * the upload: every other batch would fail the same way.
 */
final class BatchUpload implements AutoCloseable {

    private static final int ATTEMPTS = 6;

    private final Api api;
    private final String path;
    private final Progress.Task task;
    private final PrintWriter err;
    private final ExecutorService senders;
    private final Semaphore inFlight;
    private final AtomicReference<RuntimeException> stop = new AtomicReference<>();
    private final Map<String, Long> results = new TreeMap<>();
    private long unchanged;
    private long failed;

    BatchUpload(Api api, String tenantPath, int concurrency, Progress.Task task, PrintWriter err) {
        this.api = api;
        this.path = tenantPath + "/documents:batch";
        this.task = task;
        this.err = err;
        this.senders = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "vectorsync-ingest");
            thread.setDaemon(true);
            return thread;
        });
        this.inFlight = new Semaphore(concurrency);
    }

    /** What the upload did: written documents by result ({@code created}, {@code revised}, …), unchanged, failed. */
    record Counts(Map<String, Long> written, long unchanged, long failed) {

        long writtenTotal() {
            return written.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Queues a batch; waits while {@code concurrency} batches are in flight. */
    void send(List<SourceDocument> batch) {
        throwIfStopped();
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", e);
        }
        List<SourceDocument> copy = List.copyOf(batch);
        senders.execute(() -> {
            try {
                if (stop.get() == null) {
                    upload(copy);
                }
            } catch (RuntimeException e) {
                stop.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    /** A document that never reached the app (its file could not be read). */
    synchronized void failed(String origin, String why) {
        failed++;
        task.println(err, "vectorsync: " + origin + ": " + why);
        task.advance(1);
    }

    /** Waits for every batch; answers the counts, or throws what stopped the upload. */
    Counts finish() {
        senders.shutdown();
        try {
            while (!senders.awaitTermination(1, TimeUnit.SECONDS)) {
                // the batches' own timeouts bound this
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", e);
        }
        throwIfStopped();
        synchronized (this) {
            return new Counts(Map.copyOf(results), unchanged, failed);
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }

    private void throwIfStopped() {
        RuntimeException e = stop.get();
        if (e != null) {
            throw e;
        }
    }

    private void upload(List<SourceDocument> batch) {
        List<SourceDocument> pending = batch;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            StringBuilder body = new StringBuilder();
            pending.forEach(document -> body.append(document.batchLine()).append('\n'));
            Api.Response response = api.send("POST", path, "application/x-ndjson", body.toString());
            boolean retry = attempt < ATTEMPTS;
            if (response.status() == 429 && retry) {
                pause(response.retryAfter().orElse("1"));
                continue;
            }
            if (!response.ok()) {
                throw Api.failure("POST", path, response);
            }
            List<SourceDocument> again = new ArrayList<>();
            boolean[] answered = new boolean[pending.size()];
            for (String text : response.body().split("\n")) {
                if (text.isBlank()) {
                    continue;
                }
                JsonObject line = Api.parse(text);
                int index = line.getInt("line", 0) - 1;
                if (index < 0 || index >= pending.size()) {
                    continue;
                }
                answered[index] = true;
                SourceDocument document = pending.get(index);
                int status = line.getInt("status", 0);
                if (status == 429 && retry) {
                    again.add(document);
                } else {
                    count(document, status, line);
                }
            }
            for (int i = 0; i < answered.length; i++) {
                if (!answered[i]) {
                    failed(pending.get(i).origin() + " (" + pending.get(i).id() + ")", "the batch's answer has no line for it");
                }
            }
            if (!again.isEmpty()) {
                pause("1");
            }
            pending = again;
        }
    }

    private synchronized void count(SourceDocument document, int status, JsonObject line) {
        if (status >= 200 && status < 300) {
            String result = line.getString("result", "written");
            if (result.equals("unchanged")) {
                unchanged++;
            } else {
                results.merge(result, 1L, Long::sum);
            }
            task.advance(1);
        } else {
            String why;
            try {
                why = line.get("problem") instanceof JsonObject problem
                        ? Api.describe(problem).orElse("HTTP " + status) : "HTTP " + status;
            } catch (JsonException | ClassCastException e) {
                why = "HTTP " + status;
            }
            failed(document.origin() + " (" + document.id() + ")", why);
        }
    }

    private static void pause(String retryAfter) {
        long seconds;
        try {
            seconds = Math.max(1, Math.min(30, Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException e) {
            seconds = 1;
        }
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", e);
        }
    }
}
