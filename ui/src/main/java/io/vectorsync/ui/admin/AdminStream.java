package io.vectorsync.ui.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.vectorsync.ui.access.Admission;
import jakarta.json.JsonObject;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /v1/admin/stream}: the admin console's live view as server-sent events. Each named snapshot
 * ({@code processors}, {@code indexes}, {@code deadLetters}, {@code cache}, {@code activity}) is sent when the stream opens and
 * again whenever it changes. One thread builds the snapshots every {@link #INTERVAL} while anyone listens, however
 * many consoles are open; the browsers never poll. A comment keeps an idle stream open through proxies. A snapshot
 * that fails to build is sent as an {@code error} event naming it, and the stream goes on. A stream ends within
 * {@link #ADMISSION_CHECK} once what let it in no longer holds ({@link Admission}: its console session logged out
 * or expired, its key revoked), so a logout or a revocation stops the flow of live status too.
 */
public final class AdminStream implements HttpService {

    private static final Logger LOG = Logger.getLogger(AdminStream.class.getName());
    static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final Duration ADMISSION_CHECK = Duration.ofSeconds(1);

    private final Map<String, Supplier<JsonObject>> snapshots;
    private final Object changed = new Object();
    /** The latest text of each snapshot (or {@code error:<name>} → its failure), replaced whole on each look. */
    private volatile Map<String, String> latest = Map.of();
    private long generation; // guarded by changed
    private int listeners; // guarded by changed
    private Thread looker; // guarded by changed
    private volatile boolean closing;

    public AdminStream(Map<String, Supplier<JsonObject>> snapshots) {
        this.snapshots = new LinkedHashMap<>(snapshots);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/stream", this::stream);
    }

    /** Ends every open stream (the browser reconnects to whichever node serves it next). */
    public void close() {
        closing = true;
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private void stream(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // nginx: do not buffer the stream
        Admission admission = Admission.of(req);
        Map<String, String> sent = new HashMap<>();
        long seen = subscribe();
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder().comment("vectorsync admin stream").reconnectDelay(Duration.ofSeconds(2)).build());
            long emitted = System.nanoTime();
            while (!closing && admission.holds()) {
                for (Map.Entry<String, String> snapshot : latest.entrySet()) {
                    if (!snapshot.getValue().equals(sent.get(snapshot.getKey()))) {
                        String key = snapshot.getKey();
                        boolean error = key.startsWith("error:");
                        sink.emit(SseEvent.builder().name(error ? "error" : key).data(snapshot.getValue()).build());
                        sent.put(key, snapshot.getValue());
                        emitted = System.nanoTime();
                    }
                }
                sent.keySet().retainAll(latest.keySet()); // a failure that went away may come back: send it again
                long next = awaitChange(seen, ADMISSION_CHECK);
                if (next == seen && System.nanoTime() - emitted >= KEEP_ALIVE.toNanos()) {
                    sink.emit(SseEvent.builder().comment("keep-alive").build());
                    emitted = System.nanoTime();
                }
                seen = next;
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // snapshot failures never get here: this is the connection, the browser left or reconnects
            LOG.log(Level.FINE, "admin stream closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe();
        }
    }

    private long subscribe() {
        synchronized (changed) {
            listeners++;
            if (looker == null) {
                looker = Thread.ofPlatform().daemon().name("admin-stream").start(this::look);
            }
            // the first snapshots: built now, so a new console never waits for the next look
            while (latest.isEmpty() && !closing) {
                try {
                    changed.wait(INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return generation;
        }
    }

    private void unsubscribe() {
        synchronized (changed) {
            listeners--;
        }
    }

    /** Waits until the snapshots change or {@code atMost} passed; answers the generation then. */
    private long awaitChange(long seen, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (changed) {
            while (generation == seen && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
            return generation;
        }
    }

    /** The one thread that builds the snapshots, while anyone listens. */
    private void look() {
        while (!closing) {
            Map<String, String> next = new LinkedHashMap<>();
            for (Map.Entry<String, Supplier<JsonObject>> snapshot : snapshots.entrySet()) {
                try {
                    next.put(snapshot.getKey(), snapshot.getValue().get().toString());
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "admin stream: " + snapshot.getKey(), e);
                    next.put("error:" + snapshot.getKey(), snapshot.getKey() + ": " + e.getClass().getSimpleName()
                            + ": " + e.getMessage());
                }
            }
            synchronized (changed) {
                if (!next.equals(latest)) {
                    latest = Map.copyOf(next);
                    generation++;
                    changed.notifyAll();
                }
                if (listeners == 0) {
                    looker = null; // the next subscriber starts another
                    latest = Map.of();
                    return;
                }
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
