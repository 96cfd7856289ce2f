package io.vectorsync.ui.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.vectorsync.command.api.Problem;
import io.vectorsync.command.api.Problems;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Refuses a change that a browser sends on behalf of another site. The API has no credentials yet, so any page an
 * operator opens could otherwise make their browser replay a processor, drop an index version or write documents
 * on a host only they can reach (a plain form post, or a no-cors fetch, needs no permission from this server; the
 * API answers no CORS, so no other site's page has a legitimate use for it). Browsers name the page's origin in
 * {@code Origin} on such requests: one that is not this server's own is answered 403. Requests without
 * {@code Origin} (content systems, curl, scripts) and reads are let through.
 */
public final class SameOriginGuard implements Filter {

    private static final Logger LOG = Logger.getLogger(SameOriginGuard.class.getName());
    private static final Set<Method> READS = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);

    private final String pathPrefix;

    /** @param pathPrefix the paths it guards, e.g. {@code /v1/} */
    public SameOriginGuard(String pathPrefix) {
        this.pathPrefix = pathPrefix;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (READS.contains(req.prologue().method()) || !req.path().path().startsWith(pathPrefix)) {
            chain.proceed();
            return;
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        // behind a proxy that rewrites Host, the host the browser used is in X-Forwarded-Host
        Optional<String> forwarded = req.headers().first(HeaderNames.X_FORWARDED_HOST).map(h -> h.split(",")[0].trim());
        if (origin.isEmpty() || host.isPresent() && sameHost(origin.get(), host.get())
                || forwarded.isPresent() && sameHost(origin.get(), forwarded.get())) {
            chain.proceed();
            return;
        }
        LOG.warning(() -> "refused " + req.prologue().method().text() + " " + req.path().path() + " from origin "
                + origin.get());
        Problems.send(res, Problem.of(403, "cross-origin-request", "Cross-origin request",
                "a page of " + origin.get() + " asked this browser to change " + host.orElse("this server")
                        + "; only the console served here (or a client that sends no Origin) may", "Origin"));
    }

    /** Whether the origin's host and port are the ones the request was sent to ({@code Host} has no scheme). */
    private static boolean sameHost(String origin, String host) {
        try {
            URI from = URI.create(origin);
            if (from.getHost() == null) {
                return false; // "null" (a sandboxed page, a file) is nobody's origin
            }
            URI to = URI.create(from.getScheme() + "://" + host); // parsed alike, IPv6 brackets included
            return from.getHost().equalsIgnoreCase(to.getHost()) && port(from) == port(to);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
