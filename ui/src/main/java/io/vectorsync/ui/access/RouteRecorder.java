package io.vectorsync.ui.access;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routing rules that note every route registered through them ({@code METHOD /full/pattern}) and pass it on, so
 * the access policy can be checked against the routes the server really has.
 * <p>
 * A service registered here lays out its routes only when the server builds its routing, not when it is
 * registered: {@link #routes()} is complete only then, and {@link #check} belongs after the server is built.
 */
public final class RouteRecorder implements HttpRules {

    private final HttpRules delegate;
    private final String prefix;
    private final Set<String> routes;

    public RouteRecorder(HttpRules delegate) {
        this(delegate, "", new TreeSet<>());
    }

    private RouteRecorder(HttpRules delegate, String prefix, Set<String> routes) {
        this.delegate = delegate;
        this.prefix = prefix;
        this.routes = routes;
    }

    /** Every route registered so far (a service's once the server has built its routing). */
    public Set<String> routes() {
        return Set.copyOf(routes);
    }

    /**
     * Fails unless each route has exactly one rule in the policy and each rule a route. Call it once the server is
     * built (its routing built, every service's routes laid out) and before it starts: Helidon only logs a failure
     * in a service's {@code beforeStart} and leaves the server stopped, without telling whoever started it.
     */
    public void check(AccessPolicy policy) {
        check(policy, true);
    }

    /**
     * As {@link #check(AccessPolicy)}; with {@code everyRule} false (a node that serves only some of the APIs, by its
     * roles) a rule without a route here is another node's route and passes.
     */
    public void check(AccessPolicy policy, boolean everyRule) {
        AccessPolicy.Mismatch mismatch = policy.compare(routes());
        if (!mismatch.routesWithoutRule().isEmpty() || everyRule && !mismatch.none()) {
            throw new IllegalStateException("every route needs exactly one access rule (AccessPolicy): routes "
                    + "without one " + mismatch.routesWithoutRule() + ", rules without a route "
                    + mismatch.rulesWithoutRoute());
        }
    }

    /**
     * Notes a route that a server feature serves on the same routing (Helidon's observe feature:
     * {@code /observe/metrics}), so it needs its access rule as every other route does.
     */
    public RouteRecorder servedByFeature(Method method, String path) {
        routes.add(method.text() + " " + path);
        return this;
    }

    @Override
    public HttpRules register(HttpService... services) {
        return register("", services);
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
        List<HttpService> recorded = new ArrayList<>(services.length);
        for (HttpService service : services) {
            recorded.add(new Recorded(service, prefix + pathPattern, routes));
        }
        delegate.register(pathPattern, recorded.toArray(HttpService[]::new));
        return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
        delegate.route(route);
        return this;
    }

    @Override
    public HttpRules route(Method method, String pathPattern, Handler handler) {
        String full = prefix + (pathPattern.equals("/") && !prefix.isEmpty() ? "" : pathPattern);
        routes.add(method.text() + " " + full);
        delegate.route(method, pathPattern, handler);
        return this;
    }

    /** A service whose routes are recorded under its prefix; its start and stop are its own. */
    private record Recorded(HttpService service, String prefix, Set<String> routes) implements HttpService {

        @Override
        public void routing(HttpRules rules) {
            service.routing(new RouteRecorder(rules, prefix, routes));
        }

        @Override
        public void beforeStart() {
            service.beforeStart();
        }

        @Override
        public void afterStop() {
            service.afterStop();
        }
    }
}
