package io.vectorsync.ui.admin;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.command.api.Problem;
import io.vectorsync.command.api.Problems;
import io.vectorsync.store.ClusterMembership;
import io.vectorsync.store.ClusterNodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * On an admin node without the projector role, the admin routes only a projector can answer — the index versions
 * and the dead letters, whose processors and handlers run there — are sent on to a live node that has both the
 * projector and the admin role, and its answer is passed back as it is. The request keeps its method, path, query,
 * body and credentials (keys and console sessions are in the shared store, so that node checks them as this one
 * did, and records the change in the audit log); the browser's {@code Origin} stays here, where it was checked.
 * With no such node live, or none answering, the answer is a 503 problem.
 */
public final class AdminForwarding implements HttpService {

    private static final Logger LOG = Logger.getLogger(AdminForwarding.class.getName());
    /** A swap may wait 30 s for every projector to stop the live processor, and as long for the version to catch up. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<HeaderName> PASSED_ON = List.of(HeaderNames.AUTHORIZATION, HeaderNames.COOKIE,
            HeaderNames.CONTENT_TYPE, HeaderNames.ACCEPT, HeaderNames.X_FORWARDED_FOR);
    private static final List<HeaderName> PASSED_BACK = List.of(HeaderNames.CONTENT_TYPE, HeaderNames.RETRY_AFTER,
            HeaderNames.SET_COOKIE, HeaderNames.LOCATION);

    private final HttpService routes;
    private final Supplier<Optional<String>> target;
    private final HttpClient client;

    /**
     * @param routes the service whose routes are forwarded (its handlers are never called here)
     * @param target the base URL of a node that answers them, if one is live
     */
    public AdminForwarding(HttpService routes, Supplier<Optional<String>> target, HttpClient client) {
        this.routes = routes;
        this.target = target;
        this.client = client;
    }

    /** The first live node, by id, with both the projector and the admin role (or every role), other than {@code self}. */
    public static Supplier<Optional<String>> projectorWithAdmin(ClusterNodes nodes, String self, Clock clock) {
        return () -> ClusterMembership.live(nodes.all(), clock.instant()).stream()
                .filter(node -> !node.id().equals(self) && node.address() != null && node.address().startsWith("http"))
                .filter(node -> node.roles().equals("all")
                        || List.of(node.roles().split(",")).containsAll(List.of("projector", "admin")))
                .map(ClusterNodes.Node::address)
                .findFirst();
    }

    @Override
    public void routing(HttpRules rules) {
        routes.routing(new Forwarded(rules));
    }

    private void forward(ServerRequest req, ServerResponse res) throws IOException {
        Optional<String> base = target.get();
        if (base.isEmpty()) {
            unavailable(res, "no live node has both the projector and the admin role: the index versions and the dead "
                    + "letters are managed there, where their processors run");
            return;
        }
        String query = req.query().rawValue();
        URI uri = URI.create(base.get() + req.prologue().uriPath().rawPath() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        for (HeaderName name : PASSED_ON) {
            req.headers().first(name).ifPresent(value -> request.header(name.defaultCase(), value));
        }
        request.method(req.prologue().method().text(), req.content().hasEntity()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> req.content().inputStream())
                : HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warning(() -> "forwarding " + req.prologue().method().text() + " " + req.path().path() + " to " + base.get()
                    + " failed: " + e);
            unavailable(res, base.get() + " did not answer (" + e.getClass().getSimpleName() + "); nothing was changed "
                    + "unless it had received the request");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(res, "interrupted while waiting for " + base.get());
            return;
        }
        res.status(Status.create(answer.statusCode()));
        for (HeaderName name : PASSED_BACK) {
            answer.headers().allValues(name.defaultCase()).forEach(value -> res.headers().add(name, value));
        }
        res.headers().set(HeaderNames.create("X-Vectorsync-Answered-By"), base.get());
        try (InputStream body = answer.body(); OutputStream out = res.outputStream()) {
            body.transferTo(out);
        }
    }

    private static void unavailable(ServerResponse res, String detail) {
        res.headers().set(HeaderNames.RETRY_AFTER, "5");
        Problems.send(res, Problem.of(503, "no-admin-projector", "No node to answer", detail, null));
    }

    /** The service's routes with every handler replaced by the forwarder. */
    private final class Forwarded implements HttpRules {
        private final HttpRules delegate;

        private Forwarded(HttpRules delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpRules register(HttpService... services) {
            throw new UnsupportedOperationException("a forwarded service registers no services of its own");
        }

        @Override
        public HttpRules register(String pathPattern, HttpService... services) {
            throw new UnsupportedOperationException("a forwarded service registers no services of its own");
        }

        @Override
        public HttpRules route(HttpRoute route) {
            throw new UnsupportedOperationException("a forwarded service lays out its routes by method and path");
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Handler handler) {
            delegate.route(method, pathPattern, AdminForwarding.this::forward);
            return this;
        }
    }
}
