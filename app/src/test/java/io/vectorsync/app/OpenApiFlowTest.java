package io.vectorsync.app;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An end-to-end flow against the real app with keys configured — documents, batch, reads, k-NN and hybrid search,
 * similar documents, deletes, bad input of many kinds, and the admin API — where every answer (status, media type,
 * body) is checked against what the OpenAPI document declares for its path, method and status.
 */
class OpenApiFlowTest {

    static final String ADMIN_KEY = "test-bootstrap-admin-key-openapi-0123456789";
    private static final String TENANTS = "/v1/tenants/acme";
    private static final String DOC = TENANTS + "/documents/password-help";

    @TempDir
    static Path dataDir;
    static TestApp app;
    static OpenApiContract contract;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every answer's disagreements with the document, over the whole flow. */
    static final List<String> violations = new ArrayList<>();

    @BeforeAll
    static void start() {
        app = TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY)
                .put("vectorsync.consistency-wait-ms", 500).settings());
        contract = OpenApiContract.load();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyAnswerOfAFullFlowConformsToTheDocument() throws Exception {
        String writer = call("POST", "/v1/admin/keys", ADMIN_KEY, """
                {"name": "cms", "role": "writer", "tenants": ["acme"]}""", 201).getString("key");
        String limited = call("POST", "/v1/admin/keys", ADMIN_KEY, """
                {"name": "slow", "role": "reader", "tenants": ["*"], "ratePerSecond": 0.01,
                 "expiresAt": "2099-01-01T00:00:00Z"}""", 201).getString("key");
        documents(writer);
        search(writer);
        badInput(writer, limited);
        admin();
        session();
        String id = call("GET", "/v1/admin/keys", ADMIN_KEY, null, 200).getJsonArray("keys")
                .getValuesAs(JsonObject.class).stream().filter(k -> k.getString("name").equals("slow"))
                .findFirst().orElseThrow().getString("id");
        call("DELETE", "/v1/admin/keys/" + id, ADMIN_KEY, null, 204);
        call("DELETE", "/v1/admin/keys/" + id, ADMIN_KEY, null, 404);
        call("GET", "/v1/admin/audit?limit=5", ADMIN_KEY, null, 200);
        call("GET", "/health/live", null, null, 200);
        call("GET", "/health/live", "vs_0123456789abcdef_wrong", null, 401); // a public route checks a key sent
        call("GET", "/health/ready", null, null, 200);
        call("GET", "/openapi", null, null, 200);
        call("GET", "/admin", null, null, 200);
        call("GET", "/admin/app.js", null, null, 200);
        call("GET", "/admin/nope.js", null, null, 404);

        assertThat(violations).as("answers that disagree with the OpenAPI document").isEmpty();
    }

    private static void documents(String writer) throws Exception {
        String doc = """
                {"title": "Resetting your password",
                 "body": "If you forgot your password, open Account settings and choose Reset password.",
                 "metadata": {"team": "support", "year": 2024, "tags": ["account"]}}""";
        call("PUT", DOC, writer, doc, 201);
        call("PUT", DOC, writer, doc, 200);
        call("PUT", TENANTS + "/documents/other", writer, """
                {"title": "Billing", "body": "Invoices are sent on the first day of every month."}""", 201);
        call("PUT", TENANTS + "/documents/tiny-1", writer, """
                {"body": "client vectors", "vectors": {"space": "tiny", "vector": [1, 0, 0, 0]}}""", 201);
        String batch = """
                {"documentId": "a", "title": "A", "body": "alpha"}
                {"op": "delete", "documentId": "never-written"}
                {"op": "upsert", "documentId": "b", "body": "beta", "surprise": 1}
                {"op": "delete", "documentId": "a", "reason": "retired"}
                """;
        exchange("POST", TENANTS + "/documents:batch", writer, "application/x-ndjson", batch, 200);
        long position = call("PUT", DOC, writer, doc.replace("2024", "2025"), 200).getJsonNumber("position").longValue();
        call("GET", DOC + "?consistentWith=" + position, writer, null, 200);
        call("GET", DOC + "/history", writer, null, 200);
        call("GET", TENANTS + "/documents/nope", writer, null, 404);
        call("GET", TENANTS + "/documents/nope/history", writer, null, 404);
        call("PUT", DOC, writer, doc, 412, "If-Match", "\"1\"");
    }

    private static void search(String writer) throws Exception {
        long position = call("PUT", TENANTS + "/documents/login", writer, """
                {"title": "Login problems", "body": "If you cannot log in, reset your password."}""", 201)
                .getJsonNumber("position").longValue();
        TestApp.await("the write is searchable", Duration.ofSeconds(60), () -> exchange("POST", TENANTS + "/search",
                writer, "application/json", "{\"text\": \"cannot log in\", \"consistentWith\": " + position + "}",
                -1).status() == 200);
        JsonObject knn = call("POST", TENANTS + "/search", writer, """
                {"text": "I cannot log in", "k": 5, "filter": {"team": "support", "year": {"gte": 2020}}}""", 200);
        assertThat(knn.getJsonArray("hits")).isNotEmpty();
        JsonObject hybrid = call("POST", TENANTS + "/search", writer, """
                {"mode": "hybrid", "text": "reset password", "k": 5}""", 200);
        assertThat(hybrid.getString("mode")).isEqualTo("hybrid");
        call("POST", TENANTS + "/search", writer, """
                {"space": "tiny", "vector": [1, 0, 0, 0], "minScore": 0.1}""", 200);
        call("POST", DOC + "/similar", writer, "{\"k\": 3}", 200);
        exchange("POST", DOC + "/similar", writer, null, null, 200);
        call("POST", TENANTS + "/documents/nope/similar", writer, null, 404);
        call("POST", TENANTS + "/search", writer, "{\"text\": \"x\", \"consistentWith\": 99999999}", 503);
        call("DELETE", DOC + "?reason=retired", writer, null, 200);
        call("DELETE", DOC, writer, null, 200);
        call("DELETE", TENANTS + "/documents/never-written", writer, null, 404);
    }

    private static void badInput(String writer, String limited) throws Exception {
        call("POST", TENANTS + "/search", writer, "{\"text\": \"x\", \"k\": 0}", 400);
        call("POST", TENANTS + "/search", writer, "{\"text\": \"x\", \"unknown\": true}", 400);
        call("POST", TENANTS + "/search", writer, "{\"mode\": \"hybrid\", \"text\": \"x\", \"minScore\": 0.5}", 400);
        call("PUT", TENANTS + "/documents/bad", writer, "{\"title\": \"no body\"}", 400);
        call("PUT", TENANTS + "/documents/bad", writer, "{\"body\": \"x\", \"metadata\": {\"n\": 1e400}}", 400);
        call("GET", TENANTS + "/documents/bad?consistentWith=-1", writer, null, 400);
        exchange("POST", TENANTS + "/search", writer, "text/plain", "{\"text\": \"x\"}", 415);
        exchange("PUT", TENANTS + "/documents/bad", writer, "application/xml", "<doc/>", 415);
        call("POST", TENANTS + "/search", writer, "{\"text\": \"" + "x".repeat(1_100_000) + "\"}", 413);
        call("POST", TENANTS + "/search", null, "{\"text\": \"x\"}", 401);
        call("POST", TENANTS + "/search", "vs_0123456789abcdef_wrong", "{\"text\": \"x\"}", 401);
        call("POST", "/v1/tenants/globex/search", writer, "{\"text\": \"x\"}", 403);
        call("GET", "/v1/admin/processors", writer, null, 403);
        call("GET", TENANTS + "/documents/other", limited, null, 200);
        call("GET", TENANTS + "/documents/other", limited, null, 429);
    }

    private static void admin() throws Exception {
        call("GET", "/v1/admin/processors", ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/processors/vector-index", ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/processors/nope", ADMIN_KEY, null, 404);
        call("POST", "/v1/admin/processors/encoder/pause", ADMIN_KEY, null, 200);
        call("POST", "/v1/admin/processors/encoder/resume", ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/indexes", ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/indexes/default/drift", ADMIN_KEY, null, 200);
        call("POST", "/v1/admin/indexes/tiny/drift/repair?version=1", ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/indexes/default/drift?version=x", ADMIN_KEY, null, 400);
        call("GET", "/v1/admin/indexes/default/documents/acme/login", ADMIN_KEY, null, 200);
        int version = call("POST", "/v1/admin/indexes/tiny/versions", ADMIN_KEY, "{\"hnswM\": 8}", 202).getInt("version");
        call("POST", "/v1/admin/indexes/tiny/versions", ADMIN_KEY, "{\"hnswM\": 1}", 400);
        call("POST", "/v1/admin/indexes/tiny/versions/99/swap", ADMIN_KEY, null, 404);
        call("DELETE", "/v1/admin/indexes/tiny/versions/1", ADMIN_KEY, null, 409);
        call("DELETE", "/v1/admin/indexes/tiny/versions/" + version, ADMIN_KEY, null, 200);

        DeadLetterAdminTest.poison(app, "poison");
        TestApp.await("the poison document's letters", Duration.ofSeconds(60), () -> exchange("GET",
                "/v1/admin/dead-letters/vector-index", ADMIN_KEY, null, null, -1).json().getInt("letters") == 2);
        call("GET", "/v1/admin/dead-letters", ADMIN_KEY, null, 200);
        JsonObject letters = call("GET", "/v1/admin/dead-letters/vector-index", ADMIN_KEY, null, 200);
        String first = letters.getJsonArray("sequences").getJsonObject(0).getJsonArray("letters").getJsonObject(0)
                .getString("id");
        call("POST", "/v1/admin/dead-letters/vector-index/retry?sequence=acme/poison", ADMIN_KEY, null, 200);
        call("POST", "/v1/admin/dead-letters/vector-index/retry?sequence=acme/none", ADMIN_KEY, null, 404);
        call("DELETE", "/v1/admin/dead-letters/vector-index/letters/" + first, ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/dead-letters/nope", ADMIN_KEY, null, 404);

        stream();
        call("GET", "/v1/admin/cache", ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/cluster", ADMIN_KEY, null, 200);
        call("GET", "/v1/admin/store", ADMIN_KEY, null, 200);
        call("DELETE", "/v1/admin/keys/bootstrap", ADMIN_KEY, null, 409);
        call("POST", "/v1/admin/keys", ADMIN_KEY, "{\"name\": \"x\", \"role\": \"boss\", \"tenants\": [\"*\"]}", 400);
        if (served("GET /v1/admin/health")) { // being added: checked once it is there
            call("GET", "/v1/admin/health", ADMIN_KEY, null, 200);
        }
        if (served("GET /observe/metrics")) {
            call("GET", "/observe/metrics", ADMIN_KEY, null, 200);
            call("GET", "/observe/metrics", null, null, 401);
        }
    }

    /** The admin stream's answer up to its first event (it never ends by itself): its status and media type. */
    private static void stream() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/admin/stream"))
                .header("Authorization", "Bearer " + ADMIN_KEY).timeout(Duration.ofSeconds(60)).build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        String first;
        try (Stream<String> lines = response.body()) {
            first = lines.filter(line -> line.startsWith("event:")).findFirst().orElse("");
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(first).startsWith("event:");
        violations.addAll(contract.violations("GET", "/v1/admin/stream", response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), first));
    }

    /** Whether the server has the route (every route has its access rule). */
    private static boolean served(String route) {
        return app.app().access().policy().rules().stream()
                .anyMatch(rule -> (rule.method().text() + " " + rule.pattern()).equals(route));
    }

    /** The console's session: log in, who is logged in, a change without and with its CSRF token, log out. */
    private static void session() throws Exception {
        call("GET", "/v1/admin/session", null, null, 401);
        call("POST", "/v1/admin/session", null, "{\"key\": \"wrong\"}", 401);
        Answer login = exchange("POST", "/v1/admin/session", null, "application/json",
                "{\"key\": \"" + ADMIN_KEY + "\"}", 201);
        String cookie = login.response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Answer who = exchange("GET", "/v1/admin/session", null, null, null, 200, "Cookie", cookie);
        exchange("DELETE", "/v1/admin/session", null, null, null, 403, "Cookie", cookie);
        exchange("DELETE", "/v1/admin/session", null, null, null, 204, "Cookie", cookie,
                "X-CSRF-Token", who.json().getString("csrfToken"));
    }

    /** A JSON call (a body, when there is one, as application/json); answers its JSON body (null when none). */
    private static JsonObject call(String method, String path, String key, String body, int status, String... headers)
            throws Exception {
        Answer answer = exchange(method, path, key, body == null ? null : "application/json", body, status, headers);
        return answer.body().isEmpty() || !answer.contentType().contains("json") ? null : answer.json();
    }

    /**
     * Sends one request and checks its answer against the document (noting any disagreement) and, unless {@code status}
     * is -1, its status.
     */
    static Answer exchange(String method, String path, String key, String contentType, String body, int status,
                           String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path, e);
        }
        Answer answer = new Answer(response);
        violations.addAll(contract.violations(method, path, response.statusCode(), answer.contentType(), response.body()));
        if (status != -1) {
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        }
        return answer;
    }

    record Answer(HttpResponse<String> response) {

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        String body() {
            return response.body();
        }

        int status() {
            return response.statusCode();
        }

        JsonObject json() {
            return Json.createReader(new StringReader(response.body())).readObject();
        }
    }
}
