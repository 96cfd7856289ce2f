package io.vectorsync.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's Activity view in a real headless Chromium while documents are written and searches run in the
 * background: its charts (charts.js, inline SVG) show the ingest and search rates and the processors' lag, and a
 * rebuild started meanwhile shows a progress bar that reaches 100 % and says it caught up. Screenshots go to
 * {@code target/screenshots/ConsoleChartsBrowserTest/}, the Activity view at 1280 pixels wide as in the README's
 * picture (docs/console-activity.png, taken the same way after two minutes of such load).
 */
class ConsoleChartsBrowserTest {

    private static final String RATES = "section#view-activity figure[data-chart=rates]";
    private static final String LAG = "section#view-activity figure[data-chart=lag]";

    @RegisterExtension
    final Browser.Recorder browsers = new Browser.Recorder();

    @TempDir
    Path dataDir;
    private TestApp app;
    private Thread load;
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicReference<Throwable> loadFailure = new AtomicReference<>();

    @AfterEach
    void stop() throws InterruptedException {
        stopLoad();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theActivityChartsShowRatesLagAndARebuildToTheEnd() throws InterruptedException {
        app = TestApp.start(TestApp.settings(dataDir));
        Browser browser = browsers.start();
        browser.open(app.baseUrl() + "/admin#/activity");
        browser.awaitAttribute("#live", "data-state", "connected");
        browser.find(RATES + " svg[role=img]");
        assertThat(browser.all(RATES + " svg title")).as("the chart's accessible name").hasSize(1);
        browser.awaitText("#rebuilds-body", "No index version is being built");
        // the charts are drawn again every half second: anything the content security policy refused would show here
        browser.js("window.__refused = []; document.addEventListener('securitypolicyviolation', "
                + "e => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));");

        load = Thread.ofPlatform().name("charts-load").start(this::writeAndSearch);
        awaitPeak(browser, RATES + " li[data-series=ingest]");
        awaitPeak(browser, RATES + " li[data-series=searches]");
        assertThat(browser.attributes(RATES + " polyline[data-series=ingest]", "points").getFirst().split(" "))
                .as("the ingest line has points").hasSizeGreaterThan(1);
        assertThat(browser.text(RATES + " li[data-series=ingest]")).contains("documents written").contains("/s");

        TestApp.Response started = app.post("/v1/admin/indexes/tiny/versions", "application/json", "{}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String version = "#rebuilds-body li[data-space=tiny][data-version=\"" + started.json().getInt("version") + "\"]";
        browser.find(version + " progress");
        awaitPeak(browser, LAG + " li[data-series]"); // the processors fall behind the writes; the new version starts a log behind
        assertThat(browser.texts(LAG + " li[data-series]")).anyMatch(text -> text.startsWith("vector-index"));

        browser.awaitText(version, "caught up");
        browser.awaitAttribute(version + " progress", "data-percent", "100");
        assertThat(browser.text(version + " [data-field=percent]")).isEqualTo("100 %");
        browser.resize(1280, 800).screenshot("activity");

        stopLoad();
        assertThat(loadFailure.get()).as("the background writes and searches").isNull();
        assertThat(browser.scriptErrors()).isEmpty();
        assertThat((List<?>) browser.js("return window.__refused;")).as("refused by the CSP").isEmpty();
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) browser.js(
                "return performance.getEntriesByType('resource').map(entry => entry.name);");
        assertThat(requested).anyMatch(url -> url.endsWith("/admin/charts.js"))
                .allSatisfy(url -> assertThat(url).startsWith(app.baseUrl() + "/"));
    }

    /** Waits until the legend entry's series (any, if the selector matches several) peaked above zero in the window. */
    private static void awaitPeak(Browser browser, String legend) {
        browser.until("a peak above zero in " + legend, d -> browser.attributes(legend, "data-peak").stream()
                .anyMatch(peak -> Double.parseDouble(peak) > 0));
    }

    /** Batches of tiny documents and searches against them, until {@link #stopLoad}. */
    private void writeAndSearch() {
        try {
            for (int round = 0; loading.get(); round++) {
                expect200(app.post("/v1/tenants/acme/documents:batch", "application/x-ndjson", batch(round)));
                for (int search = 0; search < 3; search++) {
                    expect200(app.post("/v1/tenants/acme/search", "application/json",
                            "{\"space\": \"tiny\", \"vector\": [1, " + search + ", 0, 1], \"k\": 3}"));
                }
                Thread.sleep(Duration.ofMillis(100));
            }
        } catch (RuntimeException | AssertionError | InterruptedException e) {
            loadFailure.set(e);
        }
    }

    /** 50 tiny documents, the round's share of 2,000 written again and again (new bodies each time). */
    private static String batch(int round) {
        int from = round % 40 * 50;
        StringBuilder ndjson = new StringBuilder();
        IntStream.range(from, from + 50).forEach(i -> ndjson.append("{\"documentId\": \"d").append(i)
                .append("\", \"title\": \"D\", \"body\": \"document ").append(i).append(" round ").append(round)
                .append("\", \"vectors\": {\"space\": \"tiny\", \"vector\": [").append(1 + i % 7).append(", ")
                .append(i % 5).append(", ").append(i % 3).append(", 1]}}\n"));
        return ndjson.toString();
    }

    private static void expect200(TestApp.Response response) {
        if (response.status() != 200 || response.body().contains("\"problem\"")) {
            throw new AssertionError(response.toString());
        }
    }

    private void stopLoad() throws InterruptedException {
        if (load != null) {
            loading.set(false);
            load.join(Duration.ofSeconds(60));
            load = null;
        }
    }
}
