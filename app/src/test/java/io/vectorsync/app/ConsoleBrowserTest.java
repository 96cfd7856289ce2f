package io.vectorsync.app;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console ({@code /admin}) in a real headless Chromium, through its WebDriver, against the real app:
 * what an operator does there — watch the processors, rebuild an index and swap it in, retry a dead letter once
 * its cause is fixed, try a search, inspect a document — and what the API says afterwards. Screenshots of every
 * step go to {@code target/screenshots/ConsoleBrowserTest/}.
 */
class ConsoleBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    final Browser.Recorder browsers = new Browser.Recorder();

    @TempDir
    Path dataDir;

    /** Stopped after the test and after a failing test's screenshot, so that one shows the page as it was. */
    private TestApp app;

    @AfterEach
    void stopTheApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Test
    void theConsoleShowsTheProcessorsLiveAndPausesAndResumesOne() {
        app = TestApp.start(TestApp.settings(dataDir));
        Browser browser = browsers.start();

        browser.open(app.baseUrl() + "/admin");

        assertThat(browser.title()).startsWith("Vectorsync");
        browser.awaitAttribute("#live", "data-state", "connected");
        browser.find("section#view-processors");
        String encoder = "table[data-test=processors] tr[data-processor=\"encoder\"]";
        browser.awaitText(encoder + " [data-field=state]", "running");
        browser.awaitText("table[data-test=processors] tr[data-processor=\"vector-index\"] [data-field=state]", "running");
        browser.screenshot("processors");

        browser.click(encoder + " button[data-action=pause]");
        browser.awaitText(encoder + " [data-field=state]", "paused");
        TestApp.await("the API shows the encoder paused", PATIENCE,
                () -> !app.get("/v1/admin/processors/encoder").json().getBoolean("running"));
        browser.screenshot("encoder-paused");
        browser.click(encoder + " button[data-action=resume]");
        browser.awaitText(encoder + " [data-field=state]", "running");
        TestApp.await("the API shows the encoder running", PATIENCE,
                () -> app.get("/v1/admin/processors/encoder").json().getBoolean("running"));

        // the event store, measured when asked: what the API says, on the page
        app.put("/v1/tenants/acme/documents/stored", "{\"body\": \"one document for the store\"}");
        TestApp.await("the document's event in the store", PATIENCE,
                () -> app.get("/v1/admin/store").json().getJsonNumber("events").longValue() >= 1);
        long events = app.get("/v1/admin/store").json().getJsonNumber("events").longValue();
        browser.click("button[data-test=store-measure]");
        browser.awaitText("[data-test=store] [data-test=store-events]", "at least " + events,
                text -> Long.parseLong(text.replace(",", "")) >= events);
        assertThat(browser.text("[data-test=store] table[data-test=store-types]")).contains("DocumentCreated");
        assertThat(browser.text("[data-test=store] [data-test=store-size]")).endsWith("MB");
        browser.screenshot("store");

        // every view is one hash route away, and only the current one shows
        for (String view : List.of("indexes", "dead-letters", "drift", "search", "documents", "processors")) {
            browser.click("a[data-nav=" + view + "]");
            browser.find("section#view-" + view);
            assertThat(browser.url()).endsWith("#/" + view);
            assertThat(browser.all("section[id^=view-]").stream().filter(WebElement::isDisplayed)
                    .map(section -> section.getDomAttribute("id")).toList()).containsExactly("view-" + view);
        }
        browser.open(app.baseUrl() + "/admin/#/indexes");
        browser.find("section#view-indexes");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void aRebuildStartedFromTheFormIsWatchedToTheEndAndSwappedIn() {
        app = TestApp.start(TestApp.settings(dataDir));
        tinyDocuments(app, 6);
        TestApp.await("the tiny index has the documents", PATIENCE,
                () -> app.app().indexes().forSpace("tiny").countDocuments("acme") == 6);
        Browser browser = browsers.start();
        browser.open(app.baseUrl() + "/admin#/indexes");
        String tiny = "section#view-indexes section[data-space=\"tiny\"]";
        browser.awaitText(tiny + " tr[data-version=\"1\"] [data-field=role]", "live");
        browser.screenshot("indexes");

        String form = tiny + " form[data-test=rebuild]";
        browser.reveal(form);
        browser.type(form + " input[name=hnswM]", "8");
        browser.type(form + " input[name=hnswEfConstruction]", "50");
        browser.check(form + " input[name=autoSwap]", false);
        browser.screenshot("rebuild-form");
        browser.click(form + " button[type=submit]");

        String v2 = tiny + " tr[data-version=\"2\"]";
        browser.awaitText(v2 + " [data-field=role]", "building");
        browser.awaitText(v2 + " [data-field=progress]", "caught up");
        assertThat(browser.all(v2 + " progress")).as("a progress bar").isNotEmpty();
        assertThat(toastIsNoError(browser)).isTrue();
        JsonObject building = version(space(app, "tiny"), 2);
        assertThat(building.getJsonObject("settings").getInt("hnswM")).as("the form's settings").isEqualTo(8);
        assertThat(building.getJsonObject("settings").getInt("hnswEfConstruction")).isEqualTo(50);
        browser.screenshot("rebuild-caught-up");

        browser.click(v2 + " button[data-action=swap]");
        browser.awaitDialog();
        browser.screenshot("swap-confirmation");
        browser.answerDialog(true);

        browser.awaitText(v2 + " [data-field=role]", "live");
        browser.awaitText(tiny + " tr[data-version=\"1\"] [data-field=role]", "previous");
        assertThat(space(app, "tiny").getInt("liveVersion")).as("the API's live version").isEqualTo(2);
        assertThat(version(space(app, "tiny"), 1).getString("role")).isEqualTo("previous");
        assertThat(toastIsNoError(browser)).isTrue();
        browser.screenshot("swapped");

        // the previous version, kept for a rollback, can go too
        browser.click(tiny + " tr[data-version=\"1\"] button[data-action=drop]");
        browser.confirm(true);
        browser.awaitGone(tiny + " tr[data-version=\"1\"]");
        assertThat(space(app, "tiny").getJsonArray("versions")).as("versions in the API").hasSize(1);
        browser.screenshot("previous-dropped");

        // the new live version matches the log
        browser.click("a[data-nav=drift]");
        String drift = "section#view-drift form[data-test=drift]";
        browser.select(drift + " select[name=space]", "tiny");
        browser.select(drift + " select[name=version]", "2");
        browser.click(drift + " button[type=submit]");
        browser.awaitText("section#view-drift [data-test=drift-result] [data-field=drift]", "is 0", "0"::equals);
        browser.screenshot("drift-none");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void aDeadLetterIsShownWithItsCauseAndGoesOnceRetriedAfterTheFix() {
        app = TestApp.start(TestApp.settings(dataDir));
        DeadLetterAdminTest.poison(app, "poison"); // vectors for a space "extra" this node lacks
        TestApp.await("both events of the poison document are dead letters", PATIENCE,
                () -> app.get("/v1/admin/dead-letters/vector-index").json().getInt("letters") == 2);
        String firstId = app.get("/v1/admin/dead-letters/vector-index").json().getJsonArray("sequences")
                .getJsonObject(0).getJsonArray("letters").getJsonObject(0).getString("id");
        Browser browser = browsers.start();
        browser.open(app.baseUrl() + "/admin#/dead-letters");

        String group = "section#view-dead-letters section[data-group=\"vector-index\"]";
        String sequence = group + " div[data-sequence=\"acme/poison\"]";
        browser.awaitCount(sequence + " article[data-letter]", "two letters", n -> n == 2);
        assertThat(browser.attributes(sequence + " article[data-letter]", "data-letter").getFirst()).isEqualTo(firstId);
        String first = sequence + " article[data-letter=\"" + firstId + "\"]";
        assertThat(browser.text(first + " [data-field=event-type]")).contains("DocumentEmbedded");
        assertThat(browser.text(first + " [data-field=cause]")).contains("extra");
        assertThat(browser.text(first + " [data-field=attempts]")).contains("1");
        browser.reveal(first + " pre[data-field=payload]");
        assertThat(browser.text(first + " pre[data-field=payload]")).contains("extra").contains("Poison");
        assertThat(browser.texts(sequence + " article[data-letter] [data-field=event-type]").get(1))
                .contains("DocumentMetadataChanged");
        browser.screenshot("dead-letters");

        // a retry before the fix fails again: still there, one more attempt
        browser.click(sequence + " button[data-action=retry]");
        browser.awaitText(first + " [data-field=attempts]", "contains 2", text -> text.contains("2"));
        assertThat(browser.all(sequence + " article[data-letter]")).hasSize(2);
        browser.screenshot("retry-before-the-fix");

        // the fix: the node gets the space (a restart, on a new port); the letters survived it
        app.close();
        app = TestApp.start(DeadLetterAdminTest.withExtraSpace(dataDir));
        browser.open(app.baseUrl() + "/admin#/dead-letters");
        browser.awaitCount(sequence + " article[data-letter]", "two letters", n -> n == 2);
        browser.screenshot("after-the-fix");
        browser.click(sequence + " button[data-action=retry]");

        browser.awaitGone(sequence);
        browser.awaitText("section#view-dead-letters [data-empty]", "No dead letters");
        assertThat(toastIsNoError(browser)).isTrue();
        assertThat(app.get("/v1/admin/dead-letters/vector-index").json().getInt("letters")).isZero();
        var extra = app.app().indexes().forSpace("extra");
        assertThat(extra.version("acme", "poison")).as("both events reached the index").hasValue(2);
        assertThat(extra.content("acme", "poison").orElseThrow().metadata()).containsEntry("fixed", true);
        browser.screenshot("retried");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void aSearchInThePlaygroundShowsPassagesAndScoresAndTheInspectorShowsTheDocumentsLife() {
        app = TestApp.start(TestApp.settings(dataDir));
        putText(app, "revenue", """
                {"title": "Quarterly results",
                 "body": "Revenue grew eleven percent in the third quarter, driven by subscriptions in Europe.",
                 "metadata": {"team": "finance"}}""");
        putText(app, "garden", """
                {"title": "Tomatoes", "body": "Water tomato plants deeply twice a week and give them plenty of sun.",
                 "metadata": {"team": "garden"}}""");
        awaitEmbedded(app, "revenue");
        awaitEmbedded(app, "garden");
        long cut = app.app().database().headPosition(); // before the password document existed
        putText(app, "password", """
                {"title": "Resetting your password",
                 "body": "If you forgot your password, open Account settings and choose Reset password. We email you a link that is valid for one hour.",
                 "metadata": {"team": "support", "year": 2024}}""");
        awaitEmbedded(app, "password");
        putText(app, "password", """
                {"title": "Resetting your password",
                 "body": "If you forgot your password, open Account settings and choose Reset password. We email you a link that is valid for one hour.",
                 "metadata": {"team": "support", "year": 2025}}""");
        long version = app.get("/v1/tenants/acme/documents/password").json().getJsonNumber("version").longValue();
        TestApp.await("the live index has the password document's last version", PATIENCE,
                () -> app.app().indexes().forSpace("default").version("acme", "password").orElse(-1) == version);
        Browser browser = browsers.start();

        // a point-in-time version of the default space, cut before the password document
        browser.open(app.baseUrl() + "/admin#/indexes");
        String space = "section#view-indexes section[data-space=\"default\"]";
        String pointInTime = space + " form[data-test=point-in-time]";
        // another model can be picked for a re-embedding (empty: the live model)
        browser.reveal(space + " form[data-test=rebuild]");
        assertThat(browser.options(space + " form[data-test=rebuild] select[name=model]"))
                .as("the model choices of the default space's rebuild form").contains("", "all-minilm-l6-v2-q");
        browser.reveal(pointInTime);
        browser.type(pointInTime + " input[name=untilPosition]", Long.toString(cut));
        browser.click(pointInTime + " button[type=submit]");
        browser.awaitText(space + " tr[data-version=\"2\"] [data-field=role]", "pointInTime");
        browser.awaitText(space + " tr[data-version=\"2\"] [data-field=progress]", "caught up");
        browser.screenshot("point-in-time-version");

        // by meaning: none of the query's words is in the password document
        browser.click("a[data-nav=search]");
        String form = "section#view-search form[data-test=search]";
        browser.type(form + " input[name=tenant]", "acme");
        browser.select(form + " select[name=space]", "default");
        browser.select(form + " select[name=indexVersion]", "");
        browser.select(form + " select[name=mode]", "knn");
        browser.select(form + " select[name=queryKind]", "text");
        browser.type(form + " textarea[name=query]", "I cannot log in, how do I get new login credentials?");
        browser.type(form + " input[name=k]", "3");
        browser.click(form + " button[type=submit]");

        String hits = "section#view-search ol[data-test=hits]";
        browser.awaitCount(hits + " li[data-document]", "three hits", n -> n == 3);
        assertThat(browser.attributes(hits + " li[data-document]", "data-document"))
                .containsExactlyInAnyOrder("password", "revenue", "garden")
                .first().isEqualTo("password");
        String best = hits + " li[data-document=\"password\"]";
        assertThat(browser.text(best + " [data-field=title]")).isEqualTo("Resetting your password");
        assertThat(browser.text(best + " [data-field=passage]")).contains("Reset password");
        List<Double> scores = browser.texts(hits + " li[data-document] [data-field=score]").stream()
                .map(Double::parseDouble).toList();
        assertThat(scores).as("scores, best first").isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(scores.getFirst()).isGreaterThan(scores.getLast());
        browser.screenshot("search-hits");

        // the same search against the point-in-time version: the password document did not exist yet
        browser.select(form + " select[name=indexVersion]", "2");
        browser.click(form + " button[type=submit]");
        browser.awaitCount(hits + " li[data-document]", "two hits, without the password document", n -> n == 2);
        assertThat(browser.all(hits + " li[data-document=\"password\"]")).isEmpty();
        browser.screenshot("search-point-in-time");

        // a problem answer is shown, not swallowed: a vector of the wrong dimension
        browser.select(form + " select[name=indexVersion]", "");
        browser.select(form + " select[name=queryKind]", "vector");
        browser.type(form + " textarea[name=query]", "[1, 0, 0, 0]");
        browser.click(form + " button[type=submit]");
        browser.awaitText("section#view-search [data-test=error]", "contains 384", text -> text.contains("384"));
        browser.screenshot("search-problem");

        // the inspector, from the hit: the document's events in log order and its state in each index version
        browser.select(form + " select[name=queryKind]", "text");
        browser.type(form + " textarea[name=query]", "forgot login");
        browser.click(form + " button[type=submit]");
        browser.click(hits + " li[data-document=\"password\"] a[data-action=inspect]");
        browser.find("section#view-documents");
        assertThat(browser.url()).endsWith("#/documents/acme/password");
        String timeline = "section#view-documents ol[data-test=timeline]";
        browser.awaitCount(timeline + " li[data-event]", "three events", n -> n == 3);
        List<String> types = List.of("DocumentCreated", "DocumentEmbedded", "DocumentMetadataChanged");
        assertThat(browser.attributes(timeline + " li[data-event]", "data-event")).containsExactlyElementsOf(types);
        assertThat(browser.texts(timeline + " li[data-event] [data-field=type]")).containsExactlyElementsOf(types);
        assertThat(browser.texts(timeline + " li[data-event] [data-field=timestamp]")).hasSize(3)
                .allSatisfy(timestamp -> assertThat(timestamp).isNotBlank());
        List<Long> sequences = browser.texts(timeline + " li[data-event] [data-field=sequence]").stream()
                .map(sequence -> Long.parseLong(sequence.replaceAll("\\D", ""))).toList();
        assertThat(sequences).as("sequence numbers in log order").isSorted().doesNotHaveDuplicates();
        assertThat(browser.text("section#view-documents [data-test=state]")).contains("Resetting your password");
        String versions = "section#view-documents table[data-test=document-versions]";
        browser.awaitText(versions + " tr[data-version=\"1\"] [data-field=state]", "present");
        assertThat(browser.text(versions + " tr[data-version=\"1\"] [data-field=version]")).isEqualTo(Long.toString(version));
        browser.awaitText(versions + " tr[data-version=\"2\"] [data-field=state]", "absent");
        browser.screenshot("document-inspector");
        List<Long> positions = browser.texts(timeline + " li[data-event] [data-field=position]").stream()
                .map(position -> Long.parseLong(position.replaceAll("\\D", ""))).toList();
        assertThat(positions).as("positions in the log, in order").hasSize(3).isSorted().doesNotHaveDuplicates();

        // what search answered before the metadata change: a point-in-time version cut just before that event
        browser.click(timeline + " li[data-event=DocumentMetadataChanged] button[data-action=point-in-time-before]");
        assertThat(browser.confirm(true)).contains("position " + (positions.getLast() - 1));
        browser.awaitText("#toast", "Point-in-time version 3");
        TestApp.await("url of the playground on version 3", PATIENCE, () -> browser.url().endsWith("#/search/default/3"));
        TestApp.await("version 3 built", PATIENCE, () -> app.get("/v1/admin/indexes").json().getJsonArray("spaces")
                .getValuesAs(JsonObject.class).stream().filter(s -> s.getString("space").equals("default")).findFirst()
                .orElseThrow().getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .anyMatch(v -> v.getInt("version") == 3 && v.containsKey("progress")
                        && v.getJsonObject("progress").getBoolean("caughtUp")));
        TestApp.await("the playground set to version 3", PATIENCE,
                () -> "3".equals(browser.find(form + " select[name=indexVersion]").getDomProperty("value")));
        browser.type(form + " textarea[name=query]", "forgot login");
        browser.type(form + " input[name=k]", "1");
        browser.click(form + " button[type=submit]");
        browser.awaitText(hits + " li[data-document=\"password\"]", "the password document as it was: year 2024",
                text -> text.contains("2024"));
        browser.screenshot("search-before-the-metadata-change");

        // the same page from a deep link, typed into the form
        browser.open(app.baseUrl() + "/admin#/documents/acme/garden");
        browser.awaitCount(timeline + " li[data-event]", "two events", n -> n == 2);
        assertThat(browser.find("section#view-documents form[data-test=document] input[name=documentId]")
                .getDomProperty("value")).isEqualTo("garden");
        browser.awaitText(versions + " tr[data-version=\"2\"] [data-field=state]", "present");
        browser.screenshot("document-deep-link");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    // ---- helpers

    /** Whether the toast, if one shows, is not an error. */
    private static boolean toastIsNoError(Browser browser) {
        return !browser.visible("#toast.error");
    }

    private static void tinyDocuments(TestApp app, int count) {
        StringBuilder ndjson = new StringBuilder();
        IntStream.range(0, count).forEach(i -> ndjson.append("{\"documentId\": \"d").append(i)
                .append("\", \"title\": \"D").append(i).append("\", \"body\": \"document ").append(i)
                .append("\", \"vectors\": {\"space\": \"tiny\", \"vector\": [").append(1 + i % 7).append(", ")
                .append(i % 5).append(", ").append(i % 3).append(", 1]}}\n"));
        TestApp.Response answer = app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", ndjson.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("\"problem\"");
    }

    private static void putText(TestApp app, String documentId, String json) {
        TestApp.Response answer = app.put("/v1/tenants/acme/documents/" + documentId, json);
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
    }

    private static void awaitEmbedded(TestApp app, String documentId) {
        TestApp.await(documentId + " embedded", PATIENCE, () -> "embedded".equals(
                app.get("/v1/tenants/acme/documents/" + documentId).json().getString("embeddingStatus")));
    }

    private static JsonObject space(TestApp app, String space) {
        return app.get("/v1/admin/indexes").json().getJsonArray("spaces").getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("space").equals(space)).findFirst().orElseThrow();
    }

    private static JsonObject version(JsonObject space, int version) {
        return space.getJsonArray("versions").getValuesAs(JsonObject.class).stream()
                .filter(v -> v.getInt("version") == version).findFirst().orElseThrow();
    }
}
