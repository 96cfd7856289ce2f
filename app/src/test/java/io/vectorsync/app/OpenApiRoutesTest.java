package io.vectorsync.app;

import io.helidon.webserver.http.HttpRouting;
import io.vectorsync.ui.access.AccessPolicy;
import io.vectorsync.ui.access.RouteRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The document against the routes the server really has (every role): each route documented, each documented
 * operation a route. And {@code GET /openapi} itself: public, YAML by default, JSON when asked.
 */
class OpenApiRoutesTest {

    @TempDir
    static Path dataDir;
    static TestApp app;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = TestApp.start(TestApp.keys(dataDir).adminKey(OpenApiFlowTest.ADMIN_KEY).settings());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<String> routes = new TreeSet<>();
        for (String route : routes()) {
            routes.add(OpenApiContract.normalize(route));
        }
        Set<String> documented = OpenApiContract.load().operations();

        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(routes);
        assertThat(undocumented).as("routes the document lacks").isEmpty();
        assertThat(missing).as("documented operations the server does not have").isEmpty();
    }

    /**
     * The routes of an app with every role, as RouteRecorder notes them while the routing is built, and the access
     * policy's rules: the start fails unless these two are the same set, so the rules also bring in any route a
     * server feature serves outside this routing.
     */
    private static Set<String> routes() {
        HttpRouting.Builder routing = HttpRouting.builder();
        RouteRecorder recorder = HttpApi.routing(routing, app.app());
        routing.build();
        Set<String> routes = new TreeSet<>(recorder.routes());
        for (AccessPolicy.Rule rule : app.app().access().policy().rules()) {
            routes.add(rule.method().text() + " " + rule.pattern());
        }
        assertThat(routes).contains("GET /openapi", "POST /v1/tenants/{tenant}/documents:batch");
        return routes;
    }

    @Test
    void theDocumentIsPublicYamlByDefaultAndJsonWhenAsked() throws Exception {
        HttpResponse<String> yaml = get("/openapi", null);
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValue("application/yaml");
        Map<String, Object> parsed = new Yaml().load(yaml.body());
        assertThat(parsed.get("openapi")).isEqualTo("3.1.0");

        assertThat(get("/openapi", "application/yaml").headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(get("/openapi", "*/*").headers().firstValue("Content-Type")).hasValue("application/yaml");
        for (String json : new String[] {"application/json", "application/yaml;q=0.5, application/json"}) {
            HttpResponse<String> answer = get("/openapi", json);
            assertThat(answer.headers().firstValue("Content-Type")).as(json).hasValue("application/json");
            assertThat(OpenApiContract.of(answer.body()).operations()).isEqualTo(OpenApiContract.load().operations());
        }
        assertThat(get("/openapi?format=json", "application/yaml").headers().firstValue("Content-Type"))
                .hasValue("application/json");
        assertThat(get("/openapi?format=yaml", "application/json").headers().firstValue("Content-Type"))
                .hasValue("application/yaml");
        HttpResponse<String> wrong = get("/openapi?format=xml", null);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(OpenApiContract.load().violations("GET", "/openapi?format=xml", wrong.statusCode(),
                wrong.headers().firstValue("Content-Type").orElse(""), wrong.body())).isEmpty();
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
