package io.vectorsync.app;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven through its WebDriver ({@code chromium} and {@code chromium-driver}, which
 * {@code bin/test} installs and names in {@code VECTORSYNC_CHROMIUM} and {@code VECTORSYNC_CHROMEDRIVER}). Every
 * step waits, patiently, for what it needs: the machine may be slow. {@link #screenshot} saves PNGs to
 * {@code target/screenshots/<TestClass>/<nn>-<name>.png}; a test that fails leaves a screenshot, the page's HTML
 * and the browser's log there too (through {@link Recorder}, or {@link #saveFailure}).
 */
final class Browser implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
    private static final Map<String, AtomicInteger> SHOTS = new ConcurrentHashMap<>();
    /** No CDP bindings for this Chromium on the classpath is fine: only raw CDP commands are used. */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(Level.SEVERE);
    }
    private static final int MAX_SCREENSHOT_HEIGHT = 6000;

    /** Before any page script: keeps what the page reports as broken, for {@link #scriptErrors}. */
    private static final String ERROR_HOOK = """
            (() => {
              const log = window.__vectorsyncErrors = [];
              const text = (value) => value instanceof Error ? (value.stack || String(value)) : String(value);
              window.addEventListener('error', (e) => log.push('uncaught: ' + (e.error ? text(e.error) : e.message)));
              window.addEventListener('unhandledrejection', (e) => log.push('unhandled rejection: ' + text(e.reason)));
              const error = console.error.bind(console);
              console.error = (...args) => { log.push('console.error: ' + args.map(text).join(' ')); error(...args); };
            })();""";

    private final String testClass;
    private final Path userDataDir;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path dir;

    private Browser(String testClass) {
        this.testClass = testClass;
        this.dir = SCREENSHOTS.resolve(testClass);
        String chromium = executable("VECTORSYNC_CHROMIUM", "chromium");
        String chromedriver = executable("VECTORSYNC_CHROMEDRIVER", "chromium-driver");
        try {
            if (SHOTS.putIfAbsent(testClass, new AtomicInteger()) == null) { // first in this run: no stale evidence
                deleteQuietly(dir);
            }
            Files.createDirectories(dir);
            userDataDir = Files.createTempDirectory("vectorsync-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the driver and the browser are named, so Selenium Manager never looks for (or downloads) either
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .withAppendLog(true)
                .withLogLevel(ChromiumDriverLogLevel.WARNING)
                .withTimeout(PATIENCE)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--window-size=1400,1000",
                "--user-data-dir=" + userDataDir);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (WebDriverException e) {
            deleteQuietly(userDataDir);
            throw new AssertionError("could not start " + chromium + " through " + chromedriver
                    + " (its log: " + dir.resolve("chromedriver.log") + ")", e);
        }
        driver = started;
        driver.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ERROR_HOOK));
    }

    /** A fresh browser (its own temporary profile) whose screenshots go under the test class's name. */
    static Browser start(Class<?> testClass) {
        return new Browser(testClass.getSimpleName());
    }

    private static String executable(String variable, String debianPackage) {
        String path = System.getenv(variable);
        if (path == null || path.isBlank()) {
            throw new AssertionError(variable + " is not set: run the tests with bin/test, which installs the Debian"
                    + " package " + debianPackage + " and sets it (or set it yourself to the executable)");
        }
        if (!Files.isExecutable(Path.of(path))) {
            throw new AssertionError(variable + "=" + path + " is not an executable file: install the Debian package "
                    + debianPackage + " (bin/test does)");
        }
        return path;
    }

    // ---- navigation and reading

    /** Loads an absolute URL (e.g. {@code app.baseUrl() + "/admin#/indexes"}). */
    Browser open(String url) {
        driver.get(url);
        return this;
    }

    /** Makes the window this size (CSS pixels), e.g. for a screenshot of a given size. */
    Browser resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        return this;
    }

    String url() {
        return driver.getCurrentUrl();
    }

    String title() {
        return driver.getTitle();
    }

    /** The first element matching the CSS selector once it is there and visible. */
    WebElement find(String css) {
        return until("a visible " + css, d -> {
            for (WebElement element : d.findElements(By.cssSelector(css))) {
                if (element.isDisplayed()) {
                    return element;
                }
            }
            return null;
        });
    }

    /** Every element matching the selector now (without waiting), visible or not. */
    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Whether an element matching the selector is there and visible now. */
    boolean visible(String css) {
        try {
            return all(css).stream().anyMatch(WebElement::isDisplayed);
        } catch (StaleElementReferenceException e) {
            return false;
        }
    }

    /** The trimmed text of the first visible match, once there is one. */
    String text(String css) {
        return until("the text of " + css, d -> textNow(css));
    }

    /** Waits until the first visible match's text contains the given text; returns the whole text. */
    String awaitText(String css, String contains) {
        return awaitText(css, "contains '" + contains + "'", text -> text.contains(contains));
    }

    /** Waits until the first visible match's text satisfies the condition; returns the text. */
    String awaitText(String css, String description, Predicate<String> condition) {
        String[] last = {null};
        try {
            return until("the text of " + css + " " + description, d -> {
                last[0] = textNow(css);
                return last[0] != null && condition.test(last[0]) ? last[0] : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + (last[0] == null ? " (no visible " + css + ")"
                    : " (it was '" + last[0] + "')"), e.getCause());
        }
    }

    /** Waits until the number of elements matching the selector satisfies the condition; returns the elements. */
    List<WebElement> awaitCount(String css, String description, Predicate<Integer> condition) {
        int[] last = {-1};
        try {
            return until(description + " of " + css, d -> {
                List<WebElement> elements = d.findElements(By.cssSelector(css));
                last[0] = elements.size();
                return condition.test(elements.size()) ? elements : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (there were " + last[0] + ")", e.getCause());
        }
    }

    /** The trimmed texts of every match, read at one moment (a live re-render in between is retried). */
    List<String> texts(String css) {
        return until("the texts of " + css, d -> d.findElements(By.cssSelector(css)).stream()
                .map(element -> element.getText().trim()).toList());
    }

    /** An attribute of every match, read at one moment (absent ones as null are left out). */
    List<String> attributes(String css, String attribute) {
        return until("the " + attribute + " of " + css, d -> d.findElements(By.cssSelector(css)).stream()
                .map(element -> element.getDomAttribute(attribute)).filter(java.util.Objects::nonNull).toList());
    }

    /** Waits until nothing matching the selector is visible any more. */
    void awaitGone(String css) {
        until("no visible " + css, d -> visible(css) ? null : Boolean.TRUE);
    }

    /** Waits for an attribute of the first match to have the given value. */
    void awaitAttribute(String css, String attribute, String value) {
        String[] last = {null};
        try {
            until(css + " with " + attribute + "=\"" + value + "\"", d -> {
                List<WebElement> elements = d.findElements(By.cssSelector(css));
                last[0] = elements.isEmpty() ? null : elements.getFirst().getDomAttribute(attribute);
                return value.equals(last[0]) ? Boolean.TRUE : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (it was " + (last[0] == null ? "absent" : "\"" + last[0] + "\"")
                    + ")", e.getCause());
        }
    }

    /** Waits until the condition, evaluated against the page, holds (or returns non-null). */
    <T> T until(String what, Function<ChromeDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);
        try {
            return wait.until(d -> {
                T value = condition.apply(driver);
                return value instanceof Boolean b && !b ? null : value;
            });
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + PATIENCE.toSeconds() + " s waiting for " + what
                    + " on " + driver.getCurrentUrl(), e);
        }
    }

    private String textNow(String css) {
        for (WebElement element : driver.findElements(By.cssSelector(css))) {
            if (element.isDisplayed()) {
                return element.getText().trim();
            }
        }
        return null;
    }

    // ---- acting

    /** Clicks the first visible match once it is enabled (retrying while something covers it). */
    Browser click(String css) {
        until("a clickable " + css, d -> {
            WebElement element = find(css);
            if (!element.isEnabled()) {
                return null;
            }
            try {
                element.click();
                return Boolean.TRUE;
            } catch (ElementNotInteractableException e) { // covered (ElementClickInterceptedException) or not yet usable
                return null;
            }
        });
        return this;
    }

    /**
     * Opens every closed {@code <details>} around the first match (by clicking its summary, as a user would), so that
     * what it holds shows.
     */
    Browser reveal(String css) {
        until("every <details> around " + css + " open", d -> {
            List<WebElement> elements = d.findElements(By.cssSelector(css));
            if (elements.isEmpty()) {
                return null;
            }
            WebElement summary = (WebElement) js("""
                    let closed = null;
                    for (let e = arguments[0]; e; e = e.parentElement) {
                      if (e.tagName === 'DETAILS' && !e.open) closed = e;
                    }
                    return closed && closed.querySelector(':scope > summary');""", elements.getFirst());
            if (summary == null) {
                return Boolean.TRUE;
            }
            try {
                summary.click();
            } catch (ElementNotInteractableException e) {
                // covered for now: try again
            }
            return null;
        });
        return this;
    }

    /** Replaces the value of a text, number or textarea field. */
    Browser type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        if (!field.getDomProperty("value").isEmpty()) { // some inputs refuse clear(): select and delete instead
            js("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", field);
        }
        field.sendKeys(text);
        return this;
    }

    /** Picks an option of a select by its value. */
    Browser select(String css, String value) {
        until("an option with value \"" + value + "\" in " + css, d -> {
            Select select = new Select(find(css));
            if (select.getOptions().stream().noneMatch(o -> value.equals(o.getDomProperty("value")))) {
                return null;
            }
            select.selectByValue(value);
            return Boolean.TRUE;
        });
        return this;
    }

    /** The option values of a select, once it has any. */
    List<String> options(String css) {
        return until("options in " + css, d -> {
            List<String> values = new Select(find(css)).getOptions().stream().map(o -> o.getDomProperty("value")).toList();
            return values.isEmpty() ? null : values;
        });
    }

    /** Ticks or clears a checkbox. */
    Browser check(String css, boolean checked) {
        WebElement box = find(css);
        if (box.isSelected() != checked) {
            click(css);
        }
        return this;
    }

    /** Waits for the confirmation dialog ({@code dialog#confirm}) to open; returns the question it asks. */
    String awaitDialog() {
        return until("the confirmation dialog to open", d -> {
            List<WebElement> dialogs = d.findElements(By.cssSelector("dialog#confirm[open]"));
            return dialogs.isEmpty() || !dialogs.getFirst().isDisplayed() ? null : dialogs.getFirst().getText().trim();
        });
    }

    /** Answers the open confirmation dialog and waits for it to close. */
    void answerDialog(boolean yes) {
        click("dialog#confirm[open] button[data-confirm=" + (yes ? "yes" : "no") + "]");
        until("the confirmation dialog to close", d -> d.findElements(By.cssSelector("dialog#confirm[open]")).isEmpty());
    }

    /** Waits for the confirmation dialog and answers it; returns the question it asked. */
    String confirm(boolean yes) {
        String question = awaitDialog();
        answerDialog(yes);
        return question;
    }

    Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * Calls {@code fetch} from the page, as its own script would (same origin, with the cookies the browser holds
     * for it, and only the headers given); answers the status and the body.
     */
    Fetched fetch(String method, String path, Map<String, String> headers) {
        @SuppressWarnings("unchecked")
        List<Object> answer = (List<Object>) js("""
                return fetch(arguments[0], {method: arguments[1], headers: arguments[2], credentials: 'same-origin'})
                  .then(async r => [r.status, await r.text()]);""", path, method, headers);
        return new Fetched(((Number) answer.get(0)).intValue(), (String) answer.get(1));
    }

    record Fetched(int status, String body) {
    }

    /** The cookie the browser holds by that name for the current page, with what no script sees (null: none). */
    Cookie cookie(String name) {
        return driver.manage().getCookieNamed(name);
    }

    /** Gives the browser a cookie for the current page's site, as if the server had set it. */
    void addCookie(Cookie cookie) {
        driver.manage().addCookie(cookie);
    }

    /** The page's HTML as it is now. */
    String html() {
        return (String) js("return document.documentElement.outerHTML;");
    }

    /** What the page reported as broken since it was loaded: uncaught errors, unhandled rejections, console.error. */
    @SuppressWarnings("unchecked")
    List<String> scriptErrors() {
        Object errors = js("return window.__vectorsyncErrors || [];");
        return errors instanceof List<?> list ? (List<String>) list : List.of();
    }

    // ---- evidence

    /** Saves the page as {@code target/screenshots/<TestClass>/<nn>-<name>.png}; returns the file. */
    Path screenshot(String name) {
        Path file = dir.resolve(String.format("%02d-%s.png", SHOTS.get(testClass).incrementAndGet(), name.replaceAll("[^A-Za-z0-9._-]+", "-")));
        try {
            Files.write(file, png());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The whole page, not only the window (up to a sane height), else the window. */
    private byte[] png() {
        try {
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
            double width = ((Number) size.get("width")).doubleValue();
            double height = Math.min(((Number) size.get("height")).doubleValue(), MAX_SCREENSHOT_HEIGHT);
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                    "format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", Math.max(width, 1), "height", Math.max(height, 1), "scale", 1)));
            return Base64.getDecoder().decode((String) shot.get("data"));
        } catch (RuntimeException e) {
            return driver.getScreenshotAs(OutputType.BYTES);
        }
    }

    /** A screenshot, the page's HTML and the browser's log, named after the failed test; never throws. */
    void saveFailure(String testName, Throwable failure) {
        String name = "FAILED-" + testName;
        try {
            Path shot = screenshot(name);
            String base = shot.getFileName().toString().replaceFirst("\\.png$", "");
            Files.writeString(dir.resolve(base + ".html"), driver.getPageSource());
            List<String> log = new ArrayList<>();
            log.add("url: " + driver.getCurrentUrl());
            log.add("failure: " + failure);
            log.add("script errors: " + scriptErrors());
            try {
                for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                    log.add(entry.toString());
                }
            } catch (RuntimeException e) {
                log.add("(no browser log: " + e + ")");
            }
            Files.write(dir.resolve(base + ".log"), log);
            failure.addSuppressed(new AssertionError("the browser's page at the failure: " + shot + " (and .html, .log)"));
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(userDataDir);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: nothing to do
        }
    }

    /**
     * Opens browsers for a test and closes them after it; when the test fails, each leaves its evidence (screenshot,
     * page HTML, browser log) before anything else (the test's {@code @AfterEach}, e.g. stopping the app) runs.
     * Register with {@code @RegisterExtension final Browser.Recorder browsers = new Browser.Recorder();}.
     */
    static final class Recorder implements BeforeEachCallback, TestExecutionExceptionHandler, AfterEachCallback {

        private final List<Browser> open = new ArrayList<>();
        private final Set<Throwable> recorded = ConcurrentHashMap.newKeySet();
        private Class<?> testClass;

        /** A new browser, closed after the test. */
        Browser start() {
            if (testClass == null) {
                throw new IllegalStateException("Browser.Recorder must be registered with @RegisterExtension");
            }
            Browser browser = Browser.start(testClass);
            open.add(browser);
            return browser;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            testClass = context.getRequiredTestClass();
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            if (recorded.add(failure)) {
                for (Browser browser : open) {
                    browser.saveFailure(context.getRequiredTestMethod().getName(), failure);
                }
            }
            throw failure;
        }

        @Override
        public void afterEach(ExtensionContext context) {
            List<Browser> closing = List.copyOf(open);
            open.clear();
            for (Browser browser : closing) {
                browser.close();
            }
        }
    }
}
