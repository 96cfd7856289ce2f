package io.vectorsync.ui.access;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The routes a server really has, against the access policy: a service lays out its routes only when the server
 * builds its routing (not when it is registered), so the check runs when the server starts.
 */
class RouteRecorderTest {

    /** Routes the standard policy has no rule for. */
    private static final HttpService UNRULED = new HttpService() {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/extra", (req, res) -> res.send("x")).post("/extra/{id}", (req, res) -> res.send("y"));
        }
    };

    @Test
    void aServicesRoutesAreRecordedOnceTheServerBuildsItsRoutingNotWhenItIsRegistered() {
        AtomicReference<RouteRecorder> recorder = new AtomicReference<>();
        AtomicReference<java.util.Set<String>> whenRegistered = new AtomicReference<>();
        WebServer server = WebServer.builder().port(0).routing(routing -> {
            RouteRecorder routes = new RouteRecorder(routing);
            routes.register("/v1/admin", UNRULED).get("/health/live", (req, res) -> res.send("UP"));
            whenRegistered.set(routes.routes());
            recorder.set(routes);
        }).build();

        assertThat(whenRegistered.get()).as("as registered: only the direct route").containsExactly("GET /health/live");
        assertThat(recorder.get().routes()).as("once the server is built")
                .containsExactlyInAnyOrder("GET /health/live", "GET /v1/admin/extra", "POST /v1/admin/extra/{id}");
        server.stop();
    }

    @Test
    void aRouteThePolicyHasNoRuleForAndARuleWithoutARouteAreNamed() {
        AtomicReference<RouteRecorder> recorder = new AtomicReference<>();
        WebServer server = WebServer.builder().port(0).routing(routing -> {
            RouteRecorder routes = new RouteRecorder(routing);
            routes.register("/v1/admin", UNRULED);
            recorder.set(routes);
        }).build();

        assertThatThrownBy(() -> recorder.get().check(AccessPolicy.standard()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("routes without one [GET /v1/admin/extra, POST /v1/admin/extra/{id}]")
                .hasMessageContaining("rules without a route [DELETE /v1/admin");
        server.stop();
    }
}
