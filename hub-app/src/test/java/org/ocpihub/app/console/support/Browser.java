package org.ocpihub.app.console.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless browser for the console's tests: Debian's Chromium ({@value #CHROMIUM}) driven by its chromedriver
 * ({@value #CHROMEDRIVER}) through Selenium, never Selenium Manager (nothing is downloaded). Each instance has a
 * fresh user-data directory (no cookies from an earlier test), deleted on {@link #close()}. Waits are
 * {@link WebDriverWait}s on conditions, never sleeps.
 *
 * <p>Without Chromium the tests do not pass silently: {@link #requireChromium()} prints why and fails under
 * {@code CI=true}, and skips with the printed reason elsewhere. {@code .ci/run} installs both packages.
 *
 * <p>Screenshots ({@link #screenshot}) go to {@code target/console-screenshots/<name>.png} of hub-app (the test's
 * working directory), or to the folder in the system property {@code console.screenshots}.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** How long a wait for a page condition may take before the test fails naming the condition. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String baseUrl;
    private final Path userData;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Browser(String baseUrl, Path userData, ChromeDriverService service, ChromeDriver driver) {
        this.baseUrl = baseUrl;
        this.userData = userData;
        this.service = service;
        this.driver = driver;
    }

    /** Why no browser can run here, or empty when Chromium and chromedriver are installed. */
    public static Optional<String> unavailable() {
        for (String exe : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(exe))) {
                return Optional.of(exe + " is missing: install it with `apt-get install -y --no-install-recommends "
                        + "chromium chromium-driver` (.ci/run does)");
            }
        }
        return Optional.empty();
    }

    /**
     * Call first in every browser test (e.g. in {@code @BeforeAll}): without Chromium, prints the reason and fails
     * under {@code CI=true}, or skips the test with the reason elsewhere.
     */
    public static void requireChromium() {
        Optional<String> reason = unavailable();
        if (reason.isEmpty()) {
            return;
        }
        String message = "console browser tests cannot run: " + reason.get();
        System.out.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** Starts a headless Chromium on a fresh profile, for pages under {@code baseUrl} (e.g. the hub's URL). */
    public static Browser open(String baseUrl) {
        requireChromium();
        Path userData;
        try {
            userData = Files.createTempDirectory("console-browser-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // as root Chromium needs --no-sandbox; the rest keeps it quiet and self-contained (tech-notes)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + userData, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            return new Browser(baseUrl, userData, service, driver);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(userData);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens {@code path} (e.g. {@code /admin}) on the hub. */
    public Browser get(String path) {
        driver.get(baseUrl + path);
        return this;
    }

    /**
     * Waits until {@code condition} holds and returns its value. A page being replaced while the condition reads it
     * (a stale element) counts as "not yet".
     */
    public <T> T waitUntil(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    /** Waits until an element is visible and returns it. */
    public WebElement visible(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the browser shows {@code path} (no query) on the hub. */
    public void waitForPath(String path) {
        new WebDriverWait(driver, WAIT).until(d -> {
            String url = d.getCurrentUrl();
            String here = url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
            int q = here.indexOf('?');
            return (q < 0 ? here : here.substring(0, q)).equals(path);
        });
    }

    /** Fills the sign-in form and submits it; waits until the browser has left the sign-in page or shows a message. */
    public void signIn(String username, String password) {
        get("/admin/sign-in");
        WebElement user = visible(By.id("username"));
        user.clear();
        user.sendKeys(username);
        WebElement pass = driver.findElement(By.id("password"));
        pass.clear();
        pass.sendKeys(password);
        pass.submit();
        waitUntil(d -> !d.getCurrentUrl().endsWith("/admin/sign-in"));
    }

    /** The visible text of the page's body. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** The browser's console session cookie, if it has one. */
    public Optional<Cookie> cookie(String name) {
        // cookies are scoped to /admin: ask on a console page
        return Optional.ofNullable(driver.manage().getCookieNamed(name));
    }

    /**
     * Saves a PNG of the whole window as {@code <name>.png} (also at tablet width as {@code <name>-tablet.png} when
     * asked) and returns its path.
     */
    public Path screenshot(String name) {
        Path dir = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #screenshot} at tablet width (768 px), then back to the laptop size. */
    public Path tabletScreenshot(String name) {
        Dimension laptop = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(768, 1024));
        try {
            return screenshot(name + "-tablet");
        } finally {
            driver.manage().window().setSize(laptop);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(userData);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete the browser profile " + root + ": " + e.getMessage());
        }
    }
}
