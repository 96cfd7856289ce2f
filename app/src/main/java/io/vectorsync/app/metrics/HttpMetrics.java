package io.vectorsync.app.metrics;

import io.helidon.http.Method;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.vectorsync.ui.access.MatchedRoute;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code vectorsync_http_request_duration_seconds}: every request's time from the first filter to its answer, by
 * {@code route} (the route's pattern, e.g. {@code /v1/tenants/{tenant}/search}, so tenants and ids never become
 * labels; {@code other} for paths without a route), {@code method} and {@code status}. It is the first filter, so
 * requests the front door refuses (401, 403, 429) count too; the route is the one the front door matched
 * ({@link MatchedRoute}), so a path is matched once per request.
 */
public final class HttpMetrics implements Filter {

    private static final String HELP = "Time from a request's arrival to its answer";
    private static final String OTHER = "other";

    private final Telemetry telemetry;
    private final Activity activity;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** @param activity counts the searches answered (a search or a similar-documents lookup), for the console */
    public HttpMetrics(Telemetry telemetry, Activity activity) {
        this.telemetry = telemetry;
        this.activity = activity;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        int status = 500;
        try {
            chain.proceed();
            status = res.status().code();
        } finally {
            Method method = req.prologue().method();
            // the pattern the front door matched, which refused requests have too
            String route = req.context().get(MatchedRoute.class).map(MatchedRoute::pattern).orElse(OTHER);
            String status3 = Integer.toString(status);
            if (status < 400 && method.equals(Method.POST) && (route.endsWith("/search") || route.endsWith("/similar"))) {
                activity.searched();
            }
            timers.computeIfAbsent(method.text() + ' ' + route + ' ' + status3, key -> telemetry.timer(
                            "vectorsync_http_request_duration", HELP, "route", route, "method", method.text(),
                            "status", status3))
                    .record(java.time.Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
