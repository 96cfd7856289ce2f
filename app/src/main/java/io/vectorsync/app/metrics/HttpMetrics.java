package io.vectorsync.app.metrics;

import io.helidon.http.Method;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * {@code vectorsync_http_request_duration_seconds}: every request's time from the first filter to its answer, by
 * {@code route} (the route's pattern, e.g. {@code /v1/tenants/{tenant}/search}, so tenants and ids never become
 * labels; {@code other} for paths without a route), {@code method} and {@code status}. It is the first filter, so
 * requests the front door refuses (401, 403, 429) count too.
 */
public final class HttpMetrics implements Filter {

    private static final String HELP = "Time from a request's arrival to its answer";
    private static final String OTHER = "other";

    private final Telemetry telemetry;
    private final Activity activity;
    private final BiFunction<Method, String, Optional<String>> routes;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
     * @param activity counts the searches answered (a search or a similar-documents lookup), for the console
     * @param routes   the route pattern a request's method and path match, if any
     */
    public HttpMetrics(Telemetry telemetry, Activity activity, BiFunction<Method, String, Optional<String>> routes) {
        this.telemetry = telemetry;
        this.activity = activity;
        this.routes = routes;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        // before routing: a service sees the path under its own prefix
        Method method = req.prologue().method();
        String route = routes.apply(method, req.path().path()).orElse(OTHER);
        int status = 500;
        try {
            chain.proceed();
            status = res.status().code();
        } finally {
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
