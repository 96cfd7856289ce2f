package io.vectorsync.app;

import java.util.Collection;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.command.api.ApiException;
import io.vectorsync.command.api.DocumentCommandService;
import io.vectorsync.command.api.Problems;
import io.vectorsync.query.document.DocumentService;
import io.vectorsync.projections.index.VectorIndex;
import io.vectorsync.projections.hotcache.HotDocument;
import io.vectorsync.projections.hotcache.HotVectorCache;
import io.vectorsync.query.TextEmbedder;
import io.vectorsync.query.search.HotLookup;
import io.vectorsync.query.search.IndexLookup;
import io.vectorsync.query.search.SearchService;
import io.vectorsync.json.Json;
import io.vectorsync.ui.AdminConsole;
import io.vectorsync.ui.admin.AdminStream;
import io.vectorsync.ui.admin.DeadLetterAdmin;
import io.vectorsync.ui.admin.DriftCheck;
import io.vectorsync.ui.admin.IndexAdmin;
import io.vectorsync.ui.admin.ProcessorAdmin;
import io.vectorsync.ui.admin.StoreAdmin;
import io.vectorsync.ui.admin.SameOriginGuard;
import io.vectorsync.ui.access.RouteRecorder;
import jakarta.json.JsonObjectBuilder;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;

import java.util.Map;

/** The HTTP surface: every route, health, and the single mapping from failures to problem+json. */
final class HttpApi {

    private HttpApi() {
    }

    /**
     * Registers every route and filter; answers what recorded the routes, to check against the access policy once
     * the server is built (the services lay out their routes only then).
     */
    public static RouteRecorder routing(HttpRouting.Builder routing, Vectorsync app) {
        ProcessorAdmin processors = new ProcessorAdmin(app.axon().eventProcessingConfiguration(),
                app.versions()::processors, app.database(), app.log(), app.settings().nodeId());
        DeadLetterAdmin deadLetters = new DeadLetterAdmin(app.axon().eventProcessingConfiguration(),
                app.versions()::deadLetters, app.axon().eventSerializer());
        IndexAdmin indexes = new IndexAdmin(app.versions(), new DriftCheck(app.eventStore()), app.spaces(),
                Vectorsync.MODELS);
        AdminStream stream = new AdminStream(Map.of(
                "processors", processors::all,
                "indexes", indexes::describe,
                "deadLetters", deadLetters::summary,
                "cache", () -> cacheStats(app).build()));
        app.whenStopping(stream::close);
        // the command API's writes too: a no-cors fetch with an untyped body would otherwise reach the batch
        routing.addFilter(new SameOriginGuard("/v1/"))
                .addFilter(app.access().frontDoor());
        RouteRecorder routes = new RouteRecorder(routing);
        routes.register("/admin", new AdminConsole())
                .register("/v1/tenants",
                        new DocumentCommandService(app.committer(), app.log(), app.spaces(),
                                app.settings().maxRequestBytes(), app.settings().maxBatchBytes(), app.writeGate()),
                        new DocumentService(app.eventStore(), app.readYourWrites()::awaitEncoded, app.log()::positions),
                        new SearchService(indexLookup(app), app.spaces()::embedQuery,
                                app.spaces().defaultSpace(),
                                app.indexes().all().stream().map(VectorIndex::space).toList(),
                                app.cache().<HotLookup>map(HttpApi::lookup).orElse(HotLookup.NONE),
                                app.readYourWrites()::awaitSearchable))
                .register("/v1/admin", processors, deadLetters, stream,
                        indexes, app.access().admin(),
                        new StoreAdmin(app.database()::report))
                .get("/v1/admin/cache", (req, res) -> json(res, 200, cacheStats(app)))
                .get("/health/live", (req, res) -> json(res, 200, Json.createObjectBuilder().add("status", "UP")))
                .get("/health/ready", (req, res) -> ready(app, res));
        Problems.register(routing.any((req, res) -> {
            throw ApiException.notFound("no such resource: " + req.prologue().method().text() + " " + req.path().path());
        }));
        return routes;
    }

    private static void ready(Vectorsync app, ServerResponse res) {
        JsonObjectBuilder checks = Json.createObjectBuilder();
        boolean up = true;
        // with Axon Server the store still holds the tokens, dead letters and keys: checked as "store"
        AxonServerSettings axonServer = app.settings().axonServer();
        String store = axonServer.enabled() ? "store" : "eventStore";
        try {
            app.database().position("-", 0);
            checks.add(store, "UP");
        } catch (RuntimeException e) {
            checks.add(store, "DOWN: " + e.getMessage());
            up = false;
        }
        if (axonServer.enabled()) {
            boolean connected = app.axon().getComponent(AxonServerConnectionManager.class)
                    .isConnected(axonServer.context());
            checks.add("eventStore", (connected ? "UP: " : "DOWN: not connected to ") + "Axon Server at "
                    + axonServer.servers() + ", context " + axonServer.context());
            up &= connected;
        }
        JsonObjectBuilder indexes = Json.createObjectBuilder();
        for (VectorIndex index : app.indexes().all()) {
            boolean healthy = index.healthy();
            String detail = index.healthDetail();
            indexes.add(index.space().name(), (healthy ? "UP: " : "DOWN: ") + detail);
            up &= healthy;
        }
        checks.add("index", indexes);
        JsonObjectBuilder processors = Json.createObjectBuilder();
        for (Map.Entry<String, Boolean> processor : app.processors().entrySet()) {
            processors.add(processor.getKey(), processor.getValue() ? "UP" : "DOWN");
            up &= processor.getValue();
        }
        checks.add("processors", processors);
        json(res, up ? 200 : 503, Json.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", checks));
    }

    /** The hot-vector cache's members and, per space, its size, hit ratio, evictions and failures. */
    private static JsonObjectBuilder cacheStats(Vectorsync app) {
        Optional<HotVectorCache> cache = app.cache();
        JsonObjectBuilder body = Json.createObjectBuilder().add("enabled", cache.isPresent());
        if (cache.isEmpty()) {
            return body;
        }
        JsonObjectBuilder spaces = Json.createObjectBuilder();
        for (VectorIndex index : app.indexes().all()) {
            HotVectorCache.Stats stats = cache.get().stats(index.space().name());
            spaces.add(index.space().name(), Json.createObjectBuilder()
                    .add("entries", stats.entries())
                    .add("maxEntries", stats.maxEntries())
                    .add("memoryBytes", stats.memoryBytes())
                    .add("maxMemoryBytes", stats.maxMemoryBytes())
                    .add("hits", stats.hits())
                    .add("misses", stats.misses())
                    .add("hitRatio", stats.hitRatio())
                    .add("written", stats.written())
                    .add("stale", stats.stale())
                    .add("evicted", stats.evicted())
                    .add("refusedForMemory", stats.refusedForMemory())
                    .add("madeSearchable", stats.madeSearchable())
                    .add("failedWrites", stats.failedWrites()));
        }
        return body.add("mode", app.settings().cache().mode().name().toLowerCase(java.util.Locale.ROOT))
                .add("members", Json.createArrayBuilder(cache.get().members()))
                .add("spaces", spaces);
    }

    /** The live index of a space, and any version of it for searches that name one. */
    private static IndexLookup indexLookup(Vectorsync app) {
        return new IndexLookup() {
            @Override
            public VectorIndex forSpace(String space) {
                return app.indexes().forSpace(space);
            }

            @Override
            public VectorIndex forVersion(String space, int version) {
                return app.versions().index(space, version);
            }

            @Override
            public TextEmbedder embedderFor(String space, int version, TextEmbedder live) {
                String model = app.versions().queryModel(space, version);
                return (s, text) -> app.spaces().embedQuery(s, model, text);
            }
        };
    }

    private static HotLookup lookup(HotVectorCache cache) {
        return new HotLookup() {
            @Override
            public Collection<HotDocument> ofTenant(String space, String tenant) {
                return cache.ofTenant(space, tenant);
            }

            @Override
            public Optional<HotDocument> get(String space, String tenant, String documentId) {
                return cache.get(space, tenant, documentId);
            }
        };
    }

    private static void json(ServerResponse res, int status, JsonObjectBuilder body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.build().toString());
    }
}
