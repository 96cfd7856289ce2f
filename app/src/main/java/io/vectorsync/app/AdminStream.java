package io.vectorsync.app;

import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
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
 * ({@code processors}, {@code indexes}, {@code deadLetters}, {@code cache}) is sent when the stream opens and
 * again whenever it changes — the server looks every {@link #INTERVAL}, the browser never polls. A comment
 * keeps an idle stream open through proxies. A snapshot that fails to build is sent as an {@code error} event
 * naming it, and the stream goes on.
 */
final class AdminStream implements HttpService {

    private static final Logger LOG = Logger.getLogger(AdminStream.class.getName());
    static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final Map<String, Supplier<JsonObject>> snapshots;
    private volatile boolean closing;

    AdminStream(Map<String, Supplier<JsonObject>> snapshots) {
        this.snapshots = new LinkedHashMap<>(snapshots);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/stream", this::stream);
    }

    /** Ends every open stream (the browser reconnects to whichever node serves it next). */
    void close() {
        closing = true;
    }

    private void stream(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // nginx: do not buffer the stream
        Map<String, String> sent = new HashMap<>();
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder().comment("vectorsync admin stream").reconnectDelay(Duration.ofSeconds(2)).build());
            long quietSince = System.nanoTime();
            while (!closing) {
                for (Map.Entry<String, Supplier<JsonObject>> snapshot : snapshots.entrySet()) {
                    String name = snapshot.getKey();
                    String data;
                    try {
                        data = snapshot.getValue().get().toString();
                    } catch (RuntimeException e) {
                        data = null;
                        String error = name + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
                        if (!error.equals(sent.get("error:" + name))) {
                            sink.emit(SseEvent.builder().name("error").data(error).build());
                            sent.put("error:" + name, error);
                        }
                    }
                    if (data != null && !data.equals(sent.get(name))) {
                        sink.emit(SseEvent.builder().name(name).data(data).build());
                        sent.put(name, data);
                        sent.remove("error:" + name);
                        quietSince = System.nanoTime();
                    }
                }
                if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
                    sink.emit(SseEvent.builder().comment("keep-alive").build());
                    quietSince = System.nanoTime();
                }
                Thread.sleep(INTERVAL.toMillis());
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // every snapshot failure is caught above: this is the connection, the browser left or reconnects
            LOG.log(Level.FINE, "admin stream closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
