package io.vectorsync.app;

import java.util.Collection;
import java.util.Optional;

import io.helidon.webserver.http.HttpRouting;
import io.vectorsync.app.erasure.TenantErasureAdmin;
import io.vectorsync.app.metrics.HttpMetrics;
import io.vectorsync.app.metrics.ScrapedMeters;
import io.vectorsync.app.metrics.Telemetry;
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
import io.vectorsync.ui.AdminConsole;
import io.helidon.webserver.http.HttpService;
import io.vectorsync.projections.versions.IndexVersions;
import io.vectorsync.ui.admin.AdminForwarding;
import io.vectorsync.ui.admin.AdminStream;
import io.vectorsync.ui.admin.CacheAdmin;
import io.vectorsync.ui.admin.ClusterAdmin;
import io.vectorsync.ui.admin.DeadLetterAdmin;
import io.vectorsync.ui.admin.DriftCheck;
import io.vectorsync.ui.admin.IndexAdmin;
import io.vectorsync.ui.admin.ProcessorAdmin;
import io.vectorsync.ui.admin.StoreAdmin;
import io.vectorsync.ui.admin.SameOriginGuard;
import io.vectorsync.ui.access.RouteRecorder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jakarta.json.JsonObject;

/** The HTTP surface: every module's services under their paths, the filters, and the one problem+json mapping. */
final class HttpApi {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(HttpApi.class.getName());
    /** For an admin node without processors: the requests a projector-and-admin node answers. */
    private static final java.net.http.HttpClient FORWARDING = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(2)).build();

    /** The message of Helidon's 404 when no route takes a request. */
    private static final String NO_ROUTE = "Endpoint not found";

    private HttpApi() {
    }

    /**
     * Registers every route and filter; answers what recorded the routes, to check against the access policy once
     * the server is built (the services lay out their routes only then).
     */
    public static RouteRecorder routing(HttpRouting.Builder routing, Vectorsync app) {
        NodeRoles roles = app.settings().node().roles();
        // first, so that it times what the front door refuses too
        routing.addFilter(new HttpMetrics(app.telemetry(), app.activity()))
                // the command API's writes too: a no-cors fetch with an untyped body would otherwise reach the batch
                .addFilter(new SameOriginGuard("/v1/"))
                .addFilter(app.access().frontDoor())
                // admitted scrapes read the state of the moment
                .addFilter(new ScrapedMeters(app.telemetry(), new AppMeters(app)::samples));
        RouteRecorder routes = new RouteRecorder(routing);
        Health health = new Health(app);
        routes.servedByFeature(io.helidon.http.Method.GET, Telemetry.ENDPOINT); // Main adds the observe feature
        List<HttpService> tenants = new ArrayList<>();
        if (roles.has(NodeRoles.Role.COMMAND)) {
            tenants.add(new DocumentCommandService(app.committer(), app.log(), app.spaces(),
                    app.settings().maxRequestBytes(), app.settings().maxBatchBytes(), app.writeGate(),
                    app::awaitErasures));
        }
        if (roles.has(NodeRoles.Role.QUERY)) {
            tenants.add(new DocumentService(app.eventStore(), app.readYourWrites()::awaitEncoded, app.log()::positions));
            tenants.add(new SearchService(indexLookup(app), app.spaces()::embedQuery, app.spaces().defaultSpace(),
                    app.indexes().all().stream().map(VectorIndex::space).toList(),
                    app.cache().<HotLookup>map(HttpApi::lookup).orElse(HotLookup.NONE),
                    app.readYourWrites()::awaitSearchable));
        }
        if (!tenants.isEmpty()) {
            routes.register("/v1/tenants", tenants.toArray(HttpService[]::new));
        }
        if (roles.has(NodeRoles.Role.ADMIN)) {
            routes.register("/admin", new AdminConsole())
                    .register("/v1/admin", admin(app, health).toArray(HttpService[]::new));
        }
        routes.register("/health", health);
        routes.register("/openapi", new OpenApi());
        // a path no route takes (answered after the observe feature's routes, which a catch-all route would shadow),
        // or a handler's own 404 (an unknown processing group, say) with its detail
        Problems.register(routing).error(io.helidon.http.NotFoundException.class, (req, res, e) -> Problems.send(res,
                NO_ROUTE.equals(e.getMessage())
                        ? ApiException.notFound("no such resource: " + req.prologue().method().text() + " "
                                + req.prologue().uriPath().path()).problem()
                        : Problems.from(e)));
        return routes;
    }

    /**
     * The admin API: processors, dead letters, the live stream, the cache, keys and the store; the index versions
     * where this node runs them (the projector role).
     */
    private static List<HttpService> admin(Vectorsync app, Health health) {
        ProcessorAdmin processors = new ProcessorAdmin(app.axon().eventProcessingConfiguration(),
                () -> app.versions().map(IndexVersions::processors).orElse(Map.of()), app.database(), app.log(),
                app.settings().nodeId(), app.control(), app.axon().eventSerializer());
        DeadLetterAdmin deadLetters = new DeadLetterAdmin(app.axon().eventProcessingConfiguration(),
                // shown opened (its content in the clear, vectors as base64): an admin sees what failed
                () -> app.versions().map(IndexVersions::deadLetters).orElse(Map.of()),
                io.vectorsync.upcasters.JsonbSerializer.create());
        Optional<IndexAdmin> indexes = app.versions().map(versions -> new IndexAdmin(versions,
                new DriftCheck(app.eventStore()), app.spaces(), Vectorsync.MODELS));
        CacheAdmin cache = new CacheAdmin(app.cache(), app.indexes().all().stream().map(i -> i.space().name()).toList());
        Map<String, Supplier<JsonObject>> snapshots = new HashMap<>(Map.of(
                "processors", processors::all,
                "cache", cache::summary,
                "activity", app.activity()::snapshot));
        indexes.ifPresent(admin -> snapshots.put("indexes", admin::describe));
        List<HttpService> services = new ArrayList<>(List.of(processors, cache,
                app.access().admin(), new StoreAdmin(app.database()::report),
                new ClusterAdmin(app.database(), java.time.Clock.systemUTC(), app.settings().nodeId()), health.admin(),
                new TenantErasureAdmin(app.database().tenantErasures(), app.log()::headPosition, app::kickTenantErasures,
                        app::awaitErasures,
                        java.time.Clock.systemUTC())));
        if (indexes.isPresent()) {
            services.add(indexes.get());
            services.add(deadLetters);
            snapshots.put("deadLetters", deadLetters::summary);
        } else {
            // no processors here: a node that runs them answers (its own dead letters and index versions)
            Supplier<Optional<String>> target = AdminForwarding.projectorWithAdmin(app.database().clusterNodes(),
                    app.settings().nodeId(), java.time.Clock.systemUTC());
            services.add(new AdminForwarding(new IndexAdmin(null, null, app.spaces(), Vectorsync.MODELS), target, FORWARDING));
            services.add(new AdminForwarding(deadLetters, target, FORWARDING));
        }
        AdminStream stream = new AdminStream(Map.copyOf(snapshots));
        app.whenStopping(stream::close);
        services.add(stream);
        return services;
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
                return app.versions().map(versions -> versions.index(space, version))
                        .orElseGet(() -> app.liveIndex(space, version));
            }

            @Override
            public TextEmbedder embedderFor(String space, int version, TextEmbedder live) {
                String model = app.versions().map(versions -> versions.queryModel(space, version)).orElse(null);
                return (s, text) -> app.spaces().embedQuery(s, model, text);
            }
        };
    }

    /**
     * The hot-vector cache for searches. When no member answers (a query node cut off from the cluster), searches go
     * on with the index alone — as fresh as its last refresh — and the failure is counted in the cache's stats.
     */
    private static HotLookup lookup(HotVectorCache cache) {
        return new HotLookup() {
            @Override
            public Collection<HotDocument> ofTenant(String space, String tenant) {
                try {
                    return cache.ofTenant(space, tenant);
                } catch (com.hazelcast.core.HazelcastException | com.hazelcast.client.HazelcastClientOfflineException e) {
                    unreachable(e);
                    return List.of();
                }
            }

            @Override
            public Optional<HotDocument> get(String space, String tenant, String documentId) {
                try {
                    return cache.get(space, tenant, documentId);
                } catch (com.hazelcast.core.HazelcastException | com.hazelcast.client.HazelcastClientOfflineException e) {
                    unreachable(e);
                    return Optional.empty();
                }
            }

            private void unreachable(RuntimeException e) {
                cache.countFailure();
                LOG.log(java.util.logging.Level.FINE, "hot-vector cache unreachable; searching the index alone", e);
            }
        };
    }

}
