package io.vectorsync.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's API reference in a real headless Chromium: reached from the navigation, it renders the operations of
 * the OpenAPI document, and every request the page made went to the app itself.
 */
class OpenApiConsoleBrowserTest {

    @RegisterExtension
    final Browser.Recorder browsers = new Browser.Recorder();

    @TempDir
    Path dataDir;
    TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theApiPageRendersTheDocumentsOperationsFromThisServerOnly() {
        app = TestApp.start(TestApp.settings(dataDir));
        Browser browser = browsers.start();
        browser.open(app.baseUrl() + "/admin");
        browser.click("a[data-nav=api]");

        String search = "#api-body [data-operation='POST /v1/tenants/{tenant}/search']";
        browser.awaitText(search + " summary", "Search a tenant's documents");
        assertThat(browser.url()).endsWith("#/api");
        assertThat(browser.all("#api-body [data-test=operation]")).hasSizeGreaterThan(40);
        browser.click(search + " summary");
        assertThat(browser.text(search)).contains("SearchRequest").contains("415").contains("application/problem+json");
        browser.screenshot("api-reference");

        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) browser.js(
                "return performance.getEntriesByType('resource').map(entry => entry.name);");
        assertThat(requested).isNotEmpty().anyMatch(url -> url.contains("/openapi"));
        String origin = URI.create(app.baseUrl()).getAuthority();
        assertThat(requested).allSatisfy(url -> assertThat(URI.create(url).getAuthority()).isEqualTo(origin));
        assertThat(browser.scriptErrors()).isEmpty();
    }
}
