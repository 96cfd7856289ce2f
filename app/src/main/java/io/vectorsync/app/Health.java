package io.vectorsync.app;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.json.Json;
import io.vectorsync.projections.hotcache.HotVectorCache;
import io.vectorsync.projections.index.VectorIndex;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready}: the store, the event store (Axon Server's
 * connection in that mode), every index (each bounded by a short timeout), the hot-vector cache and every processor;
 * 503 when any is down. Readiness is public, so it says only which part is up or down. Admins get the details —
 * what failed and how, how long each check took, the node and its roles — at {@code GET /v1/admin/health}
 * ({@link #admin()}).
 */
final class Health implements HttpService {

    private final Vectorsync app;

    Health(Vectorsync app) {
        this.app = app;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", (req, res) -> json(res, 200, Json.createObjectBuilder().add("status", "UP").build()))
                .get("/ready", (req, res) -> answer(res, checks(false)));
    }

    /** {@code GET /health} under {@code /v1/admin}: readiness with every check's detail and time. */
    HttpService admin() {
        return rules -> rules.get("/health", (req, res) -> answer(res, checks(true)));
    }

    private static void answer(ServerResponse res, JsonObject health) {
        json(res, health.getString("status").equals("UP") ? 200 : 503, health);
    }

    private JsonObject checks(boolean detailed) {
        Checks checks = new Checks(detailed);
        // with Axon Server the store still holds the tokens, dead letters and keys: checked as "store"
        AxonServerSettings axonServer = app.settings().axonServer();
        checks.run(checks.top, axonServer.enabled() ? "store" : "eventStore", () -> {
            app.database().position("-", 0);
            return app.database().description();
        });
        if (axonServer.enabled()) {
            checks.run(checks.top, "eventStore", () -> {
                String where = "Axon Server at " + axonServer.servers() + ", context " + axonServer.context();
                if (!app.axon().getComponent(AxonServerConnectionManager.class).isConnected(axonServer.context())) {
                    throw new IllegalStateException("not connected to " + where);
                }
                return where;
            });
        }
        JsonObjectBuilder indexes = Json.createObjectBuilder();
        for (VectorIndex index : app.indexes().all()) {
            checks.run(indexes, index.space().name(), () -> {
                if (!index.healthy()) {
                    throw new IllegalStateException(index.healthDetail());
                }
                return index.healthDetail();
            });
        }
        checks.top.add("index", indexes);
        app.cache().ifPresent(cache -> checks.run(checks.top, "cache", () -> cache(cache)));
        JsonObjectBuilder processors = Json.createObjectBuilder();
        for (Map.Entry<String, Boolean> processor : app.processors().entrySet()) {
            checks.run(processors, processor.getKey(), () -> {
                if (!processor.getValue()) {
                    throw new IllegalStateException("stopped or failed");
                }
                return "running";
            });
        }
        checks.top.add("processors", processors);
        JsonObjectBuilder body = Json.createObjectBuilder().add("status", checks.up ? "UP" : "DOWN");
        if (detailed) {
            body.add("node", app.settings().nodeId()).add("roles", app.settings().node().roles().toString());
        }
        return body.add("checks", checks.top).build();
    }

    /** The cache answers when a lookup reaches its cluster (a client cut off from it fails at once). */
    private String cache(HotVectorCache cache) {
        String space = app.indexes().all().iterator().next().space().name();
        int entries = cache.stats(space).entries();
        return cache.settings().mode() + ", " + cache.members().size() + " member(s), " + entries + " entries in "
                + space;
    }

    /** The checks' results: a status each ({@code UP}/{@code DOWN}), or with details an object each. */
    private static final class Checks {
        private final boolean detailed;
        private final JsonObjectBuilder top = Json.createObjectBuilder();
        private boolean up = true;

        Checks(boolean detailed) {
            this.detailed = detailed;
        }

        void run(JsonObjectBuilder into, String name, Supplier<String> check) {
            long start = System.nanoTime();
            String detail;
            boolean ok;
            try {
                detail = check.get();
                ok = true;
            } catch (RuntimeException e) {
                detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                ok = false;
            }
            up &= ok;
            if (!detailed) {
                into.add(name, ok ? "UP" : "DOWN");
                return;
            }
            into.add(name, Json.createObjectBuilder().add("status", ok ? "UP" : "DOWN").add("detail", detail)
                    .add("millis", (System.nanoTime() - start) / 1_000_000));
        }
    }

    private static void json(ServerResponse res, int status, JsonObject body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString());
    }
}
