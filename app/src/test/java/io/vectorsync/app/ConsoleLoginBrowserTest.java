package io.vectorsync.app;

import io.vectorsync.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console behind the front door, in a real headless Chromium against the real app started with a
 * bootstrap admin key: nothing but a login form until an admin key is given; the session lives in an HttpOnly,
 * SameSite=Strict cookie that no script reads; a change needs the session's CSRF token, which only the console
 * holds; the audit log and the keys views; and logging out (or being logged out elsewhere) returns to the form
 * with the old session dead. Screenshots of every step go to {@code target/screenshots/ConsoleLoginBrowserTest/}.
 */
class ConsoleLoginBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String ADMIN_KEY = "console-login-test-bootstrap-admin-key-0123456789";
    private static final String LOGIN = "section#login form[data-test=login]";
    private static final String ENCODER = "table[data-test=processors] tr[data-processor=\"encoder\"]";
    private static final String AUDIT = "section#view-audit table[data-test=audit]";
    private static final String KEYS = "section#view-keys table[data-test=keys]";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final Browser.Recorder browsers = new Browser.Recorder();

    @TempDir
    Path dataDir;

    private TestApp app;

    @AfterEach
    void stopTheApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Test
    void onlyALoginFormShowsUntilAnAdminKeyIsGivenAndOtherKeysAreRefusedWithTheReason() {
        app = start();
        String writer = createKey("content system", "writer", List.of("acme")).getString("key");
        Browser browser = browsers.start();

        browser.open(app.baseUrl() + "/admin#/processors");

        browser.find(LOGIN);
        assertThat(browser.find(LOGIN + " input[name=key]").getDomAttribute("type")).isEqualTo("password");
        assertThat(browser.title()).isEqualTo("Vectorsync — Log in");
        assertNothingButTheLoginForm(browser);
        assertThat(browser.fetch("GET", "/v1/admin/processors", Map.of()).status())
                .as("the admin API from the page, without logging in").isEqualTo(401);
        assertThat(browser.fetch("GET", "/v1/admin/session", Map.of()).status()).isEqualTo(401);
        browser.screenshot("login-required");

        // a key that is not one
        browser.type(LOGIN + " input[name=key]", "vs_0123456789abcdef_not-a-key-of-this-server");
        browser.click(LOGIN + " button[type=submit]");
        browser.awaitText(LOGIN + " [data-test=login-error]", "the key is not valid");
        assertThat(browser.text(LOGIN + " [data-test=login-error]")).contains("not accepted");
        assertNothingButTheLoginForm(browser);
        browser.screenshot("wrong-key-refused");

        // a good key, but not an admin's
        browser.type(LOGIN + " input[name=key]", writer);
        browser.click(LOGIN + " button[type=submit]");
        browser.awaitText(LOGIN + " [data-test=login-error]", "needs an admin key; this one is a writer key");
        assertNothingButTheLoginForm(browser);
        assertThat(browser.cookie("vs_session")).as("no session for a refused key").isNull();
        browser.screenshot("writer-key-refused");

        // both refusals are in the audit log, with the key where there was one
        List<JsonObject> records = audit();
        assertThat(records).extracting(r -> r.getString("action")).containsExactly("login", "login", "key-create");
        assertThat(records.get(0).getString("outcome")).isEqualTo("denied: not an admin key");
        assertThat(records.get(0).getString("keyName")).isEqualTo("content system");
        assertThat(records.get(0).getInt("status")).isEqualTo(403);
        assertThat(records.get(1).getString("outcome")).startsWith("refused");
        assertThat(records.get(1).getInt("status")).isEqualTo(401);
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void anAdminLogsInWorksLiveAuditsManagesKeysAndLogsOut() throws Exception {
        app = start();
        Browser browser = browsers.start();
        browser.open(app.baseUrl() + "/admin");
        logIn(browser, ADMIN_KEY);

        browser.awaitAttribute("#live", "data-state", "connected");
        browser.awaitText("#session [data-field=who]", "bootstrap admin key");
        browser.find("#session button[data-action=logout]");
        browser.awaitText(ENCODER + " [data-field=state]", "running");
        assertThat(browser.visible(LOGIN)).isFalse();
        browser.screenshot("logged-in");

        // the session is a cookie no script can read, and no other site's page can send
        Cookie session = browser.cookie("vs_session");
        assertThat(session).as("the session cookie").isNotNull();
        assertThat(session.isHttpOnly()).as("HttpOnly").isTrue();
        assertThat(session.getSameSite()).as("SameSite").isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/");
        assertThat((String) browser.js("return document.cookie;")).doesNotContain("vs_session");
        assertThat(browser.js("return localStorage.length + sessionStorage.length;")).as("nothing kept in storage")
                .isEqualTo(0L);

        // with the cookie alone a page may read, but not change: that needs the session's CSRF token
        assertThat(browser.fetch("GET", "/v1/admin/processors", Map.of()).status()).isEqualTo(200);
        Browser.Fetched refused = browser.fetch("POST", "/v1/admin/processors/encoder/pause", Map.of());
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(json(refused.body()).getString("type")).endsWith("/csrf-token-missing");
        assertThat(get("/v1/admin/processors/encoder", ADMIN_KEY).json().getBoolean("running")).as("still running")
                .isTrue();

        // the console's own buttons carry it
        browser.click(ENCODER + " button[data-action=pause]");
        browser.awaitText(ENCODER + " [data-field=state]", "paused");
        TestApp.await("the API shows the encoder paused", PATIENCE,
                () -> !get("/v1/admin/processors/encoder", ADMIN_KEY).json().getBoolean("running"));
        browser.screenshot("encoder-paused");
        browser.click(ENCODER + " button[data-action=resume]");
        browser.awaitText(ENCODER + " [data-field=state]", "running");
        assertThat(browser.visible("#toast.error")).isFalse();
        awaitLatestAudit("resume"); // written as the answer goes out

        // the audit log: the login, the refused pause, the pause and the resume, newest first
        browser.click("a[data-nav=audit]");
        assertThat(browser.url()).endsWith("#/audit");
        browser.awaitCount(AUDIT + " tbody tr", "four records", n -> n == 4);
        assertThat(browser.attributes(AUDIT + " tbody tr", "data-action"))
                .containsExactly("resume", "pause", "pause", "login");
        List<String> pauses = browser.texts(AUDIT + " tr[data-action=pause]");
        assertThat(pauses.get(0)).contains("processors/encoder/pause").contains("ok").contains("bootstrap");
        assertThat(pauses.get(1)).contains("denied: csrf-token-missing").contains("HTTP 403");
        String login = browser.text(AUDIT + " tr[data-action=login]");
        assertThat(login).contains("bootstrap admin key (configuration)").contains("session").contains("ok");
        assertThat(browser.text(AUDIT + " tr[data-action=login] [data-field=key-id]")).isEqualTo("bootstrap");
        assertThat(browser.text("section#view-audit [data-field=audit-end]")).contains("start of the log");
        browser.screenshot("audit");

        // keys: the bootstrap key is listed; a new one is made and its secret shown once
        browser.click("a[data-nav=keys]");
        browser.awaitText(KEYS + " tr[data-key=bootstrap] [data-field=role]", "admin");
        assertThat(browser.all(KEYS + " tr[data-key=bootstrap] button[data-action=revoke]"))
                .as("the configured key cannot be revoked here").isEmpty();
        String form = "section#view-keys form[data-test=create-key]";
        browser.reveal(form);
        browser.type(form + " input[name=name]", "search frontend");
        browser.select(form + " select[name=role]", "reader");
        browser.type(form + " input[name=tenants]", "acme, globex");
        browser.type(form + " input[name=ratePerSecond]", "5");
        browser.screenshot("new-key-form");
        browser.click(form + " button[type=submit]");

        String secret = browser.text("#new-key [data-test=new-key] [data-field=secret]");
        assertThat(secret).startsWith("vs_");
        assertThat(browser.text("#new-key [data-test=new-key]")).contains("shown this once");
        String id = browser.find("#new-key [data-test=new-key]").getDomAttribute("data-key");
        String row = KEYS + " tr[data-key=\"" + id + "\"]";
        browser.awaitText(row + " [data-field=state]", "active");
        assertThat(browser.text(row + " [data-field=name]")).isEqualTo("search frontend");
        assertThat(browser.text(row + " [data-field=role]")).isEqualTo("reader");
        assertThat(browser.text(row + " [data-field=tenants]")).isEqualTo("acme, globex");
        assertThat(browser.text(row + " [data-field=rate]")).isEqualTo("5/s");
        assertThat(browser.text(row + " [data-field=expires]")).isEqualTo("never");
        browser.screenshot("key-created");
        // the API agrees: a reader of acme and globex, nothing else
        assertThat(get("/v1/tenants/acme/documents/nothing", secret).status()).as("a read of its tenant")
                .isEqualTo(404);
        assertThat(get("/v1/tenants/initech/documents/nothing", secret).status()).as("another tenant").isEqualTo(403);
        assertThat(get("/v1/admin/keys", ADMIN_KEY).body()).contains(id).doesNotContain(secret);

        // once dismissed, the secret is nowhere in the page
        browser.click("#new-key button[data-action=dismiss-secret]");
        browser.awaitGone("#new-key [data-test=new-key]");
        assertThat(browser.html()).doesNotContain(secret);

        // revoked, after a confirmation: the key is refused from then on
        browser.click(row + " button[data-action=revoke]");
        assertThat(browser.awaitDialog()).contains("Revoke key search frontend?");
        browser.screenshot("revoke-confirmation");
        browser.answerDialog(true);
        browser.awaitText(row + " [data-field=state]", "revoked");
        assertThat(browser.all(row + " button[data-action=revoke]")).isEmpty();
        TestApp.Response afterRevoke = get("/v1/tenants/acme/documents/nothing", secret);
        assertThat(afterRevoke.status()).as(afterRevoke.body()).isEqualTo(401);
        JsonObject revoked = get("/v1/admin/keys", ADMIN_KEY).json().getJsonArray("keys").getValuesAs(JsonObject.class)
                .stream().filter(k -> k.getString("id").equals(id)).findFirst().orElseThrow();
        assertThat(revoked.getBoolean("revoked")).isTrue();
        browser.screenshot("key-revoked");

        awaitLatestAudit("key-revoke");
        browser.click("a[data-nav=audit]");
        browser.awaitCount(AUDIT + " tr[data-action=key-revoke]", "the revocation", n -> n == 1);
        assertThat(browser.text(AUDIT + " tr[data-action=key-create] [data-field=target]"))
                .contains(id).contains("search frontend").contains("reader");

        // logging out: the login form, the cookie gone, and the old session dead even if the cookie came back
        browser.click("#session button[data-action=logout]");
        browser.find(LOGIN);
        browser.awaitText(LOGIN + " [data-field=login-notice]", "logged out");
        assertNothingButTheLoginForm(browser);
        assertThat(browser.all("table[data-test=processors], table[data-test=audit], table[data-test=keys]"))
                .as("nothing of what the console showed is left in the page").isEmpty();
        assertThat(browser.cookie("vs_session")).as("the cookie, once logged out").isNull();
        browser.screenshot("logged-out");
        browser.addCookie(new Cookie.Builder("vs_session", session.getValue()).path("/").isHttpOnly(true)
                .sameSite("Strict").build());
        Browser.Fetched withOldCookie = browser.fetch("GET", "/v1/admin/processors", Map.of());
        assertThat(withOldCookie.status()).as(withOldCookie.body()).isEqualTo(401);
        assertThat(withOldCookie.body()).contains("session has ended");
        assertThat(send(HttpRequest.newBuilder(uri("/v1/admin/session")).header("Cookie", "vs_session="
                + session.getValue())).status()).isEqualTo(401);
        awaitLatestAudit("logout");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void aSessionEndedElsewhereReturnsToTheLoginFormWhichThenOpensWhereTheConsoleWas() {
        app = start();
        JsonObject ops = createKey("ops on call", "admin", List.of("*"));
        Browser browser = browsers.start();
        browser.open(app.baseUrl() + "/admin#/indexes");
        logIn(browser, ops.getString("key"));
        browser.awaitText("#session [data-field=who]", "ops on call");
        browser.awaitAttribute("#live", "data-state", "connected");
        browser.find("section#view-indexes");
        assertThat(browser.url()).as("the view asked for before the login").endsWith("#/indexes");
        browser.screenshot("logged-in-with-a-stored-key");

        // its key is revoked by someone else: the live stream ends, and the console, asking why, finds no session
        TestApp.Response revoke = send(HttpRequest.newBuilder(uri("/v1/admin/keys/" + ops.getString("id")))
                .header("Authorization", "Bearer " + ADMIN_KEY).DELETE());
        assertThat(revoke.status()).as(revoke.body()).isEqualTo(204);

        browser.find(LOGIN);
        browser.awaitText(LOGIN + " [data-field=login-notice]", "session has ended");
        assertNothingButTheLoginForm(browser);
        browser.screenshot("session-ended-elsewhere");

        // logged in again (with another admin key): back where it was, and the revocation is in the log
        logIn(browser, ADMIN_KEY);
        awaitLatestAudit("login");
        browser.find("section#view-indexes");
        browser.click("a[data-nav=audit]");
        browser.awaitText(AUDIT + " tr[data-action=key-revoke]", ops.getString("id"));
        assertThat(browser.attributes(AUDIT + " tbody tr", "data-action"))
                .containsExactly("login", "key-revoke", "login", "key-create");
        browser.screenshot("audit-after-the-revocation");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void withoutKeysTheConsoleIsOpenAndItsFirstKeyTurnsKeysOnOnceItsSecretIsCopied() throws Exception {
        app = TestApp.start(TestApp.settings(dataDir)); // no key: open, on loopback
        for (int i = 0; i < 52; i++) { // 52 audited failures: more than the console's page of 50
            assertThat(app.post("/v1/admin/processors/nope-" + i + "/pause", "application/json", "").status())
                    .isEqualTo(404);
        }
        Browser browser = browsers.start();
        browser.open(app.baseUrl() + "/admin#/audit");

        browser.awaitCount(AUDIT + " tbody tr", "a page of records", n -> n == 50);
        assertThat(browser.visible(LOGIN)).isFalse();
        assertThat(browser.visible("#session")).as("no session to show").isFalse();
        assertThat(browser.text(AUDIT + " tbody tr:first-child")).contains("processors/nope-51/pause")
                .contains("local (no keys configured)").contains("failed: HTTP 404");
        browser.click("section#view-audit button[data-action=older]");
        browser.awaitCount(AUDIT + " tbody tr", "every record", n -> n == 52);
        assertThat(browser.text(AUDIT + " tbody tr:last-child [data-field=target]")).isEqualTo("processors/nope-0/pause");
        browser.awaitText("section#view-audit [data-field=audit-end]", "start of the log");
        assertThat(browser.all("section#view-audit button[data-action=older]")).isEmpty();
        browser.screenshot("open-audit-all-pages");

        browser.click("a[data-nav=keys]");
        browser.awaitText("section#view-keys #keys-body [data-empty]", "No keys");
        assertThat(browser.text("#keys-open-warning")).contains("The first key you create turns that off");
        String form = "section#view-keys form[data-test=create-key]";
        browser.reveal(form);
        browser.type(form + " input[name=name]", "first admin");
        browser.select(form + " select[name=role]", "admin");
        browser.type(form + " input[name=tenants]", "*");
        browser.click(form + " button[type=submit]");
        assertThat(browser.awaitDialog()).contains("Require API keys from now on?");
        browser.screenshot("first-key-confirmation");
        browser.answerDialog(true);
        String secret = browser.text("#new-key [data-test=new-key] [data-field=secret]");
        assertThat(app.get("/v1/admin/processors").status()).as("keys are required now").isEqualTo(401);
        browser.awaitText(KEYS + " [data-field=name]", "first admin");
        assertThat(browser.visible("#keys-open-warning")).isFalse();

        // the live stream ends and the console finds it needs a key, but the secret stays until it is copied
        browser.awaitAttribute("#live", "data-state", "disconnected");
        Thread.sleep(2000);
        assertThat(browser.visible(LOGIN)).isFalse();
        assertThat(browser.text("#new-key [data-test=new-key] [data-field=secret]")).isEqualTo(secret);
        browser.screenshot("first-key-secret");
        browser.click("#new-key button[data-action=dismiss-secret]");
        browser.awaitText(LOGIN + " [data-field=login-notice]", "now requires an API key");
        assertNothingButTheLoginForm(browser);
        assertThat(browser.html()).doesNotContain(secret);
        browser.screenshot("first-key-login");

        logIn(browser, secret);
        browser.awaitText("#session [data-field=who]", "first admin");
        browser.awaitAttribute("#live", "data-state", "connected");
        browser.find("section#view-keys");
        browser.awaitText(KEYS + " [data-field=name]", "first admin");
        assertThat(browser.visible("#keys-open-warning")).isFalse();
        browser.screenshot("first-key-logged-in");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    // ---- helpers

    private TestApp start() {
        return TestApp.start(TestApp.keys(dataDir).adminKey(ADMIN_KEY).settings());
    }

    private static void logIn(Browser browser, String key) {
        browser.type(LOGIN + " input[name=key]", key);
        browser.click(LOGIN + " button[type=submit]");
        browser.awaitGone(LOGIN);
        browser.find("#session [data-field=who]");
    }

    private static void assertNothingButTheLoginForm(Browser browser) {
        assertThat(browser.visible(LOGIN)).as("the login form").isTrue();
        for (String hidden : List.of("#views", "nav", "#live", "#session", "section[id^=view-]")) {
            assertThat(browser.visible(hidden)).as(hidden + " while logged out").isFalse();
        }
        assertThat(browser.all("table[data-test=processors]")).as("processors").isEmpty();
    }

    /** A key made through the API with the bootstrap key: its description with, this once, its secret. */
    private JsonObject createKey(String name, String role, List<String> tenants) {
        TestApp.Response created = send(HttpRequest.newBuilder(uri("/v1/admin/keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("name", name).add("role", role)
                        .add("tenants", Json.createArrayBuilder(tenants)).build().toString())));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private void awaitLatestAudit(String action) {
        TestApp.await("the audit log's latest record is a " + action, PATIENCE,
                () -> audit().getFirst().getString("action").equals(action));
    }

    private List<JsonObject> audit() {
        return get("/v1/admin/audit", ADMIN_KEY).json().getJsonArray("records").getValuesAs(JsonObject.class);
    }

    private TestApp.Response get(String path, String key) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", key).GET());
    }

    private URI uri(String path) {
        return URI.create(app.baseUrl() + path);
    }

    private TestApp.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new TestApp.Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
