package io.vectorsync.app.metrics;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the console's charts show as rates: documents written through this node's command API, searches this node
 * answered, and events appended to the log by the whole cluster (the head's advance). Each {@link #snapshot()} gives
 * the rates per second since the one before (the admin stream takes one every half second while a console listens).
 */
public final class Activity {

    private final LongAdder written = new LongAdder();
    private final LongAdder searches = new LongAdder();
    private final LongSupplier head;
    private long lastNanos; // guarded by this
    private long lastWritten; // guarded by this
    private long lastSearches; // guarded by this
    private long lastHead; // guarded by this

    /** @param head the position of the newest event in the log */
    public Activity(LongSupplier head) {
        this.head = head;
        this.lastNanos = System.nanoTime();
        this.lastHead = head.getAsLong();
    }

    public void written(long documents) {
        written.add(documents);
    }

    public void searched() {
        searches.increment();
    }

    /** Rates since the last snapshot: {@code ingestPerSecond}, {@code searchesPerSecond}, {@code logEventsPerSecond}. */
    public synchronized JsonObject snapshot() {
        long now = System.nanoTime();
        long writtenNow = written.sum();
        long searchesNow = searches.sum();
        long headNow = head.getAsLong();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        JsonObject rates = Json.createObjectBuilder()
                .add("at", System.currentTimeMillis())
                .add("ingestPerSecond", round((writtenNow - lastWritten) / seconds))
                .add("searchesPerSecond", round((searchesNow - lastSearches) / seconds))
                .add("logEventsPerSecond", round(Math.max(0, headNow - lastHead) / seconds))
                .add("documentsWritten", writtenNow)
                .add("searches", searchesNow)
                .build();
        lastNanos = now;
        lastWritten = writtenNow;
        lastSearches = searchesNow;
        lastHead = headNow;
        return rates;
    }

    private static double round(double perSecond) {
        return Math.round(perSecond * 10) / 10.0;
    }
}
