package io.vectorsync.app;

import io.helidon.webserver.http.HttpRouting;
import io.vectorsync.json.Json;
import io.vectorsync.ui.access.RouteRecorder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The front door against the real app with a bootstrap admin key: 401 without a valid key, 403 for a key whose
 * role or tenants do not allow the route (the same answer whatever the target holds), revocation and expiry,
 * rate limits, console sessions with CSRF tokens, the audit log, hashed storage, and the role × route matrix
 * built from the routing itself.
 */
class FrontDoorTest {

    static final String ADMIN_KEY = "test-bootstrap-admin-key-0123456789abcdef";

    @TempDir
    static Path dataDir;
    static TestApp app;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String writerAcme;
    static String readerAcme;

    @BeforeAll
    static void start() {
        app = TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY).settings());
        writerAcme = createKey("writer-acme", "writer", "[\"acme\"]", "").getString("key");
        readerAcme = createKey("reader-acme", "reader", "[\"acme\"]", "").getString("key");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void withoutAKeyEveryRouteButHealthAndTheConsoleLoginIs401WithAProblemAndAChallenge() throws Exception {
        Answer answer = send("GET", "/v1/admin/processors", null, Map.of());
        assertThat(answer.status).isEqualTo(401);
        assertThat(answer.contentType).isEqualTo("application/problem+json");
        assertThat(answer.headers.firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"vectorsync\"");
        assertThat(answer.json().getString("detail")).contains("Authorization: Bearer");

        Answer wrong = send("GET", "/v1/tenants/acme/documents/x", null, Map.of("Authorization", "Bearer vs_0123456789abcdef_nope"));
        assertThat(wrong.status).isEqualTo(401);
        assertThat(wrong.headers.firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(wrong.json().getString("type")).endsWith("/unauthorized");

        assertThat(send("GET", "/health/live", null, Map.of()).status).isEqualTo(200);
        assertThat(send("GET", "/admin/", null, Map.of()).status).isEqualTo(200);
        // an unknown route is a 404 only for a caller who may ask at all
        assertThat(send("GET", "/v1/nothing-here", null, Map.of()).status).isEqualTo(401);
        assertThat(send("GET", "/v1/nothing-here", null, bearer(readerAcme)).status).isEqualTo(404);
    }

    @Test
    void keysAreTakenAsBearerOrXApiKeyAndScopedToTheirTenants() throws Exception {
        String doc = "{\"title\":\"Scoped\",\"body\":\"only acme may write this\"}";
        assertThat(send("PUT", "/v1/tenants/acme/documents/scoped", doc, bearer(writerAcme)).status).isEqualTo(201);
        assertThat(send("PUT", "/v1/tenants/acme/documents/scoped2", doc, Map.of("X-API-Key", writerAcme)).status)
                .isEqualTo(201);
        Answer otherTenant = send("PUT", "/v1/tenants/globex/documents/scoped", doc, bearer(writerAcme));
        assertThat(otherTenant.status).isEqualTo(403);
        assertThat(otherTenant.contentType).isEqualTo("application/problem+json");
        assertThat(send("GET", "/v1/tenants/globex/documents/scoped", null, Map.of("X-API-Key", writerAcme)).status)
                .isEqualTo(403);
        assertThat(send("GET", "/v1/tenants/globex/documents/scoped", null, bearer(ADMIN_KEY)).status).isEqualTo(404);

        // a reader reads and searches its tenant, and writes nothing
        assertThat(send("GET", "/v1/tenants/acme/documents/scoped", null, bearer(readerAcme)).status).isEqualTo(200);
        assertThat(send("POST", "/v1/tenants/acme/search", "{\"text\":\"acme\",\"k\":3}", bearer(readerAcme)).status)
                .isEqualTo(200);
        assertThat(send("PUT", "/v1/tenants/acme/documents/scoped", doc, bearer(readerAcme)).status).isEqualTo(403);
        assertThat(send("DELETE", "/v1/tenants/acme/documents/scoped", null, bearer(readerAcme)).status).isEqualTo(403);
        assertThat(send("GET", "/v1/admin/processors", null, bearer(writerAcme)).status).isEqualTo(403);
        // the reader's refused delete left nothing in the log
        assertThat(send("GET", "/v1/tenants/acme/documents/scoped/history", null, bearer(ADMIN_KEY)).body)
                .contains("DocumentCreated").doesNotContain("DocumentDeleted");
    }

    @Test
    void aKeyNeverLearnsWhetherWhatItMayNotSeeExists() throws Exception {
        String doc = "{\"title\":\"Secret\",\"body\":\"globex's own document\"}";
        assertThat(send("PUT", "/v1/tenants/globex/documents/exists", doc, bearer(ADMIN_KEY)).status).isEqualTo(201);
        for (String method : List.of("GET", "DELETE")) {
            Answer existing = send(method, "/v1/tenants/globex/documents/exists", null, bearer(writerAcme));
            Answer missing = send(method, "/v1/tenants/globex/documents/never-written", null, bearer(writerAcme));
            assertThat(existing.status).isEqualTo(403);
            assertThat(withoutPath(existing.body)).isEqualTo(withoutPath(missing.body));
        }
        Answer history = send("GET", "/v1/tenants/globex/documents/exists/history", null, bearer(readerAcme));
        assertThat(history.status).isEqualTo(403);
        assertThat(history.body).doesNotContain("globex's own document");
        assertThat(send("GET", "/v1/tenants/globex/documents/exists", null, bearer(ADMIN_KEY)).status).isEqualTo(200);
    }

    @Test
    void aRevokedKeyIsRefusedOnItsNextRequestAndAnExpiredOneAfterItsTime() throws Exception {
        JsonObject key = createKey("short-lived", "reader", "[\"*\"]", "");
        String secret = key.getString("key");
        assertThat(send("GET", "/v1/tenants/any/documents/x", null, bearer(secret)).status).isEqualTo(404);
        assertThat(send("DELETE", "/v1/admin/keys/" + key.getString("id"), null, bearer(ADMIN_KEY)).status).isEqualTo(204);
        assertThat(send("GET", "/v1/tenants/any/documents/x", null, bearer(secret)).status).isEqualTo(401);
        assertThat(send("DELETE", "/v1/admin/keys/" + key.getString("id"), null, bearer(ADMIN_KEY)).status).isEqualTo(404);

        Instant expiry = Instant.now().plusMillis(1500);
        JsonObject expiring = createKey("expiring", "reader", "[\"*\"]", ",\"expiresAt\":\"" + expiry + "\"");
        assertThat(send("GET", "/v1/tenants/any/documents/x", null, bearer(expiring.getString("key"))).status)
                .isEqualTo(404);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 100);
        assertThat(send("GET", "/v1/tenants/any/documents/x", null, bearer(expiring.getString("key"))).status)
                .isEqualTo(401);

        JsonObject listed = send("GET", "/v1/admin/keys", null, bearer(ADMIN_KEY)).json();
        JsonObject revoked = listed.getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                .filter(k -> k.getString("id").equals(key.getString("id"))).findFirst().orElseThrow();
        assertThat(revoked.getBoolean("revoked")).isTrue();
        assertThat(revoked.containsKey("key")).isFalse();
        assertThat(listed.toString()).doesNotContain(secret).doesNotContain(ADMIN_KEY);
    }

    @Test
    void badKeyRequestsAre400NamingTheField() throws Exception {
        for (String body : List.of("{\"name\":\"x\",\"role\":\"root\",\"tenants\":[\"*\"]}",
                "{\"name\":\"x\",\"role\":\"reader\",\"tenants\":[]}",
                "{\"name\":\"x\",\"role\":\"reader\",\"tenants\":[\"Not A Tenant\"]}",
                "{\"name\":\"x\",\"role\":\"reader\",\"tenants\":[\"*\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}",
                "{\"name\":\"x\",\"role\":\"reader\",\"tenants\":[\"*\"],\"ratePerSecond\":0}",
                "{\"name\":\"x\",\"role\":\"reader\",\"tenants\":[\"*\"],\"admin\":true}")) {
            Answer answer = send("POST", "/v1/admin/keys", body, bearer(ADMIN_KEY));
            assertThat(answer.status).as(body).isEqualTo(400);
            assertThat(answer.json().getString("field")).as(body).isNotBlank();
        }
    }

    @Test
    void overItsRateAKeyGets429WithRetryAfter() throws Exception {
        String limited = createKey("limited", "reader", "[\"acme\"]", ",\"ratePerSecond\":2").getString("key");
        List<Integer> statuses = new ArrayList<>();
        Answer refused = null;
        for (int i = 0; i < 6; i++) {
            Answer answer = send("GET", "/v1/tenants/acme/documents/none", null, bearer(limited));
            statuses.add(answer.status);
            if (answer.status == 429) {
                refused = answer;
            }
        }
        assertThat(statuses).contains(404).contains(429);
        assertThat(refused.contentType).isEqualTo("application/problem+json");
        assertThat(Integer.parseInt(refused.headers.firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
        Thread.sleep(1100);
        assertThat(send("GET", "/v1/tenants/acme/documents/none", null, bearer(limited)).status).isEqualTo(404);
        // other keys are not slowed by it
        assertThat(send("GET", "/v1/tenants/acme/documents/none", null, bearer(readerAcme)).status).isEqualTo(404);
    }

    @Test
    void theConsoleSessionIsAnHttpOnlyStrictCookieWhoseChangesNeedItsCsrfToken() throws Exception {
        assertThat(send("POST", "/v1/admin/session", "{\"key\":\"vs_0123456789abcdef_wrong\"}", Map.of()).status)
                .isEqualTo(401);
        Answer writer = send("POST", "/v1/admin/session", "{\"key\":\"" + writerAcme + "\"}", Map.of());
        assertThat(writer.status).isEqualTo(403);
        assertThat(writer.json().getString("detail")).contains("admin key");

        Answer login = send("POST", "/v1/admin/session", "{\"key\":\"" + ADMIN_KEY + "\"}", Map.of());
        assertThat(login.status).isEqualTo(201);
        String setCookie = login.headers.firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("vs_session=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = login.json().getString("csrfToken");
        Map<String, String> withCookie = Map.of("Cookie", cookie);

        assertThat(send("GET", "/v1/admin/session", null, withCookie).json().getString("csrfToken")).isEqualTo(csrf);
        assertThat(send("GET", "/v1/admin/processors", null, withCookie).status).isEqualTo(200);
        Answer noToken = send("POST", "/v1/admin/processors/encoder/pause", "", withCookie);
        assertThat(noToken.status).isEqualTo(403);
        assertThat(noToken.json().getString("type")).endsWith("/csrf-token-missing");
        Answer wrongToken = send("POST", "/v1/admin/processors/encoder/pause", "",
                Map.of("Cookie", cookie, "X-CSRF-Token", csrf + "x"));
        assertThat(wrongToken.status).isEqualTo(403);
        Map<String, String> withToken = Map.of("Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(send("POST", "/v1/admin/processors/encoder/pause", "", withToken).status).isEqualTo(200);
        assertThat(send("POST", "/v1/admin/processors/encoder/resume", "", withToken).status).isEqualTo(200);

        assertThat(send("DELETE", "/v1/admin/session", null, withToken).status).isEqualTo(204);
        assertThat(send("GET", "/v1/admin/processors", null, withCookie).status).isEqualTo(401);
        assertThat(send("GET", "/v1/admin/session", null, withCookie).status).isEqualTo(401);
    }

    @Test
    void adminActionsAreAuditedWithKeyActionTargetAndOutcome() throws Exception {
        JsonObject key = createKey("audited", "reader", "[\"acme\"]", "");
        send("DELETE", "/v1/admin/keys/" + key.getString("id"), null, bearer(ADMIN_KEY));
        send("POST", "/v1/admin/processors/no-such-processor/replay", "", bearer(ADMIN_KEY));
        send("POST", "/v1/admin/processors/vector-index/replay", "", bearer(readerAcme));

        List<JsonObject> records = send("GET", "/v1/admin/audit?limit=500", null, bearer(ADMIN_KEY)).json()
                .getJsonArray("records").getValuesAs(JsonObject.class);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getString("action")).isEqualTo("key-create");
            assertThat(r.getString("target")).contains(key.getString("id")).contains("audited");
            assertThat(r.getString("keyId")).isEqualTo("bootstrap");
            assertThat(r.getInt("status")).isEqualTo(201);
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getString("action")).isEqualTo("key-revoke");
            assertThat(r.getString("target")).isEqualTo("keys/" + key.getString("id"));
            assertThat(r.getString("outcome")).isEqualTo("ok");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getString("action")).isEqualTo("replay");
            assertThat(r.getString("target")).isEqualTo("processors/no-such-processor/replay");
            assertThat(r.getInt("status")).isEqualTo(404);
            assertThat(r.getString("outcome")).startsWith("failed");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getString("action")).isEqualTo("replay");
            assertThat(r.getString("keyName")).isEqualTo("reader-acme");
            assertThat(r.getString("outcome")).startsWith("denied");
        });
        assertThat(records.toString()).doesNotContain(readerAcme).doesNotContain(ADMIN_KEY);
        // newest first, and pages go back in time
        assertThat(records.getFirst().getInt("id")).isGreaterThan(records.getLast().getInt("id"));
        JsonObject page = send("GET", "/v1/admin/audit?limit=1", null, bearer(ADMIN_KEY)).json();
        JsonObject older = send("GET", "/v1/admin/audit?limit=1&before=" + page.getInt("next"), null, bearer(ADMIN_KEY)).json();
        assertThat(older.getJsonArray("records").getJsonObject(0).getInt("id"))
                .isLessThan(page.getJsonArray("records").getJsonObject(0).getInt("id"));
    }

    @Test
    void everyKindOfIndexChangeIsAuditedByItsOwnName() throws Exception {
        Map<String, String> admin = bearer(ADMIN_KEY);
        String vector = "{\"title\":\"v\",\"body\":\"v\",\"vectors\":{\"space\":\"tiny\",\"vector\":[1,0,0,0]}}";
        assertThat(send("PUT", "/v1/tenants/acme/documents/audit-vector", vector, admin).status).isEqualTo(201);
        Answer rebuilt = send("POST", "/v1/admin/indexes/tiny/versions", "{}", admin);
        assertThat(rebuilt.status).as(rebuilt.body).isEqualTo(202);
        int version = rebuilt.json().getInt("version");
        TestApp.await("version " + version + " caught up", Duration.ofSeconds(60), () -> {
            try {
                return send("POST", "/v1/admin/indexes/tiny/versions/" + version + "/swap", "", admin).status == 200;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        int previous = version - 1;
        TestApp.await("the swap back", Duration.ofSeconds(60), () -> {
            try {
                return send("POST", "/v1/admin/indexes/tiny/versions/" + previous + "/swap", "", admin).status == 200;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(send("DELETE", "/v1/admin/indexes/tiny/versions/" + version, null, admin).status).isEqualTo(200);
        Answer pointInTime = send("POST", "/v1/admin/indexes/tiny/versions", "{\"until\":{\"position\":1}}", admin);
        assertThat(pointInTime.status).as(pointInTime.body).isEqualTo(202);
        assertThat(send("POST", "/v1/admin/indexes/tiny/drift/repair", "", admin).status).isEqualTo(200);
        Answer reembed = send("POST", "/v1/admin/indexes/default/versions", "{\"model\":\"all-minilm-l6-v2-q\"}", admin);
        assertThat(reembed.status).as(reembed.body).isEqualTo(202);
        int reembedded = reembed.json().getInt("version");
        assertThat(send("DELETE", "/v1/admin/indexes/default/versions/" + reembedded, null, admin).status).isEqualTo(200);
        assertThat(send("POST", "/v1/admin/dead-letters/vector-index/retry", "", admin).status).isEqualTo(200);

        List<JsonObject> records = send("GET", "/v1/admin/audit?limit=500", null, admin).json()
                .getJsonArray("records").getValuesAs(JsonObject.class);
        List<String> actions = records.stream().filter(r -> r.getString("target").startsWith("indexes/")
                || r.getString("target").startsWith("dead-letters")).map(r -> r.getString("action") + " "
                + r.getString("target") + " " + r.getString("outcome")).toList().reversed();
        assertThat(actions).containsSubsequence(
                "rebuild indexes/tiny/versions/" + version + " ok",
                "swap indexes/tiny/versions/" + version + "/swap ok",
                "rollback indexes/tiny/versions/" + previous + "/swap ok",
                "drop indexes/tiny/versions/" + version + " ok",
                "point-in-time indexes/tiny/versions/" + pointInTime.json().getInt("version") + " ok",
                "drift-repair indexes/tiny/drift/repair ok",
                "re-embed indexes/default/versions/" + reembedded + " ok",
                "drop indexes/default/versions/" + reembedded + " ok",
                "redrive dead-letters/vector-index/retry ok");
    }

    /**
     * Every route the server has (from its routing) for every kind of caller: the expected answer comes from this
     * table, written out by hand, so a route added without a rule here fails, and so does a rule that changes.
     */
    @Test
    void everyRouteAnswersEveryRoleAsItsRuleSays() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        // P public, A any key, R reader of the tenant, W writer of the tenant, X admin only
        expected.put("GET /health/live", "P");
        expected.put("GET /health/ready", "P");
        expected.put("GET /openapi", "P");
        expected.put("GET /observe/metrics", "A");
        expected.put("GET /admin", "P");
        expected.put("GET /admin/{file}", "P");
        expected.put("GET /v1/admin/session", "P");
        expected.put("POST /v1/admin/session", "P");
        expected.put("DELETE /v1/admin/session", "A");
        expected.put("PUT /v1/tenants/{tenant}/documents/{documentId}", "W");
        expected.put("DELETE /v1/tenants/{tenant}/documents/{documentId}", "W");
        expected.put("POST /v1/tenants/{tenant}/documents:batch", "W");
        expected.put("GET /v1/tenants/{tenant}/documents/{documentId}", "R");
        expected.put("GET /v1/tenants/{tenant}/documents/{documentId}/history", "R");
        expected.put("POST /v1/tenants/{tenant}/documents/{documentId}/similar", "R");
        expected.put("POST /v1/tenants/{tenant}/search", "R");
        for (String admin : List.of("GET /v1/admin/processors", "GET /v1/admin/processors/{name}",
                "POST /v1/admin/processors/{name}/pause", "POST /v1/admin/processors/{name}/resume",
                "POST /v1/admin/processors/{name}/replay", "GET /v1/admin/dead-letters",
                "GET /v1/admin/dead-letters/{group}", "POST /v1/admin/dead-letters/{group}/retry",
                "DELETE /v1/admin/dead-letters/{group}/letters/{id}", "GET /v1/admin/stream", "GET /v1/admin/indexes",
                "POST /v1/admin/indexes/{space}/versions", "POST /v1/admin/indexes/{space}/versions/{version}/swap",
                "DELETE /v1/admin/indexes/{space}/versions/{version}", "GET /v1/admin/indexes/{space}/drift",
                "POST /v1/admin/indexes/{space}/drift/repair",
                "GET /v1/admin/indexes/{space}/documents/{tenant}/{documentId}", "GET /v1/admin/cache",
                "GET /v1/admin/keys", "POST /v1/admin/keys", "DELETE /v1/admin/keys/{id}", "GET /v1/admin/audit",
                "GET /v1/admin/store", "GET /v1/admin/cluster", "GET /v1/admin/health",
                "DELETE /v1/admin/tenants/{tenant}", "GET /v1/admin/tenants/{tenant}/erasure")) {
            expected.put(admin, "X");
        }
        HttpRouting.Builder routing = HttpRouting.builder();
        RouteRecorder recorder = HttpApi.routing(routing, app.app());
        routing.build();
        Set<String> routes = recorder.routes();
        assertThat(new TreeSet<>(routes)).as("routes of the server vs. this table").isEqualTo(new TreeSet<>(expected.keySet()));

        record Who(String name, Map<String, String> headers, String tenant) {
        }
        List<Who> callers = List.of(new Who("nobody", Map.of(), "acme"),
                new Who("reader of acme", bearer(readerAcme), "acme"),
                new Who("reader of acme, elsewhere", bearer(readerAcme), "globex"),
                new Who("writer of acme", bearer(writerAcme), "acme"),
                new Who("writer of acme, elsewhere", bearer(writerAcme), "globex"),
                new Who("admin", bearer(ADMIN_KEY), "globex"));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> route : expected.entrySet()) {
            String method = route.getKey().substring(0, route.getKey().indexOf(' '));
            String pattern = route.getKey().substring(method.length() + 1);
            if (pattern.equals("/v1/admin/session") && !method.equals("DELETE")) {
                continue; // answers for itself: covered by the session test
            }
            for (Who who : callers) {
                String path = pattern.replace("{tenant}", who.tenant()).replace("{documentId}", "matrix-doc")
                        .replace("{name}", "no-such-processor").replace("{group}", "no-such-group")
                        .replace("{id}", "no-such-id").replace("{space}", "no-such-space")
                        .replace("{version}", "99").replace("{file}", "app.js");
                boolean admin = who.name().equals("admin");
                boolean reader = who.name().startsWith("reader") || who.name().startsWith("writer");
                boolean ownTenant = !who.name().endsWith("elsewhere");
                String rule = route.getValue();
                int answer = status(method, path, who.headers());
                boolean allowed = switch (rule) {
                    case "P" -> true;
                    case "A" -> !who.headers().isEmpty();
                    case "R" -> admin || reader && ownTenant;
                    case "W" -> admin || who.name().startsWith("writer") && ownTenant;
                    default -> admin;
                };
                int expectedRefusal = who.headers().isEmpty() ? 401 : 403;
                if (allowed ? answer == 401 || answer == 403 || answer >= 500 : answer != expectedRefusal) {
                    wrong.add(route.getKey() + " as " + who.name() + ": " + answer);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void keysSurviveARestartAndNoFileUnderTheDataDirectoryHoldsASecret(@TempDir Path dir) throws Exception {
        TestApp first = TestApp.start(TestApp.keys(dir).adminKey(ADMIN_KEY).settings());
        String secret;
        try {
            JsonObject created = post(first, "/v1/admin/keys",
                    "{\"name\":\"survivor\",\"role\":\"writer\",\"tenants\":[\"acme\"]}");
            secret = created.getString("key");
            assertThat(secret).startsWith("vs_").hasSizeGreaterThan(3 + 16 + 1 + 40);
            assertThat(status(first, "PUT", "/v1/tenants/acme/documents/kept", secret)).isEqualTo(201);
        } finally {
            first.close();
        }
        // started again without the bootstrap key: the stored key still rules, and keys stay required
        TestApp second = TestApp.start(TestApp.settings(dir));
        try {
            assertThat(status(second, "GET", "/v1/tenants/acme/documents/kept", secret)).isEqualTo(200);
            assertThat(status(second, "GET", "/v1/tenants/acme/documents/kept", null)).isEqualTo(401);
            JsonObject listed = get(second, "/v1/admin/keys", secret);
            assertThat(listed.getInt("status")).isEqualTo(403);
        } finally {
            second.close();
        }
        // vs_<16 hex digits>_<secret>: the secret is base64url, which may itself hold '_', so cut after the id
        String secretPart = secret.substring("vs_".length() + 16 + 1);
        assertThat(secretPart).hasSizeGreaterThanOrEqualTo(40);
        List<String> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                String asText = new String(bytes, StandardCharsets.ISO_8859_1);
                if (asText.contains(secretPart) || asText.contains(ADMIN_KEY)
                        || new String(bytes, StandardCharsets.UTF_16BE).contains(secretPart)) {
                    holding.add(file.toString());
                }
            }
        }
        assertThat(holding).isEmpty();
    }

    @Test
    void withoutAnyKeyTheServerListensOnLoopbackOnlyAndRefusesAnyOtherAddress(@TempDir Path dir) {
        assertThat(Main.bindAddress(null, false)).isEqualTo("127.0.0.1");
        assertThat(Main.bindAddress(null, true)).isEqualTo("0.0.0.0");
        assertThat(Main.bindAddress("localhost", false)).isEqualTo("localhost");
        assertThat(Main.bindAddress("0.0.0.0", true)).isEqualTo("0.0.0.0");
        Settings everywhere = TestApp.keys(dir).put("server.host", "0.0.0.0").settings();
        assertThatThrownBy(() -> Main.start(everywhere)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to listen on 0.0.0.0 without an API key")
                .hasMessageContaining("VECTORSYNC_SECURITY_ADMIN_KEY");
        assertThatThrownBy(() -> Main.start(TestApp.keys(dir).adminKey("short").settings()))
                .hasMessageContaining("too short");
    }

    // --- helpers

    static JsonObject createKey(String name, String role, String tenants, String extra) {
        try {
            Answer answer = send("POST", "/v1/admin/keys", "{\"name\":\"" + name + "\",\"role\":\"" + role
                    + "\",\"tenants\":" + tenants + extra + "}", bearer(ADMIN_KEY));
            assertThat(answer.status).as(answer.body).isEqualTo(201);
            return answer.json();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static String withoutPath(String body) {
        return body.replaceAll("/v1/tenants/globex/documents/[a-z-]+", "PATH");
    }

    private static JsonObject post(TestApp target, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonObject get(TestApp target, String path, String key) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Json.createObjectBuilder(Json.createReader(new StringReader(response.body())).readObject())
                .add("status", response.statusCode()).build();
    }

    private static int status(TestApp target, String method, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("{\"title\":\"t\",\"body\":\"b\"}")
                        : HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Only the status: the body of a stream (the console's events) never ends, so it is not read. */
    private static int status(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        headers.forEach(request::header);
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    static Answer send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response.headers());
    }

    record Answer(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        JsonObject json() {
            JsonValue value = Json.createReader(new StringReader(body)).readValue();
            return value.asJsonObject();
        }
    }
}
