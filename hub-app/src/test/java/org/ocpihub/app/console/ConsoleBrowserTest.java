package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.Browser;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.RunningHub;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (headless Chromium, {@link Browser}): sign-in and sign-out, the throttle's message,
 * what a VIEWER sees, account management through its confirmations, htmx carrying the CSRF token. Each test takes
 * screenshots of the pages it visits (hub-app/target/console-screenshots). Without Chromium these tests fail under
 * CI=true and are skipped with a printed reason elsewhere.
 */
class ConsoleBrowserTest {

    private static RunningHub hub;

    @BeforeAll
    static void hub() {
        Browser.requireChromium();
        hub = RunningHub.shared();
    }

    @Test
    void signInShowsTheOverviewAndSignOutEndsTheSession() {
        try (Browser browser = Browser.open(hub.url())) {
            browser.get("/admin");
            browser.waitForPath("/admin/sign-in"); // not signed in: sent to the sign-in page
            browser.visible(By.id("username"));
            browser.screenshot("sign-in");
            browser.tabletScreenshot("sign-in");

            browser.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
            browser.waitForPath("/admin");
            assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Overview");
            assertThat(browser.text()).contains("Member platforms by status").contains("CONNECTED")
                    .contains("Signed in as " + RunningHub.CONSOLE_ADMIN);
            browser.screenshot("overview");
            browser.tabletScreenshot("overview");

            Cookie session = browser.cookie(ConsoleHttp.SESSION_COOKIE).orElseThrow();
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            assertThat(session.getPath()).isEqualTo("/admin");
            assertThat(browser.driver().findElements(By.linkText("Accounts"))).hasSize(1);

            browser.driver().findElement(By.xpath("//button[text()='Sign out']")).click();
            browser.waitForPath("/admin/sign-in");
            assertThat(browser.visible(By.cssSelector("p.notice")).getText()).isEqualTo("You are signed out.");
            browser.screenshot("signed-out");

            // the old cookie no longer opens the console, from the browser or from a script
            browser.get("/admin");
            browser.waitForPath("/admin/sign-in");
            ConsoleHttp script = new ConsoleHttp(hub.url()).useSession(session.getValue());
            assertThat(script.get("/admin", "Accept", "text/html").location()).isEqualTo("/admin/sign-in");
            assertThat(script.get("/admin").status()).isEqualTo(401);
        }
    }

    @Test
    void aWrongPasswordShowsAMessageAndTheThrottleLocks() {
        String name = ConsoleAccessTest.unique("browser-throttled");
        String password = ConsoleAccessTest.account(name, "VIEWER");
        try (Browser browser = Browser.open(hub.url())) {
            browser.signIn(name, "not-the-password");
            assertThat(browser.visible(By.cssSelector("p.problem")).getText())
                    .isEqualTo("Wrong username or password. Check both and try again.");
            browser.screenshot("sign-in-wrong-password");
            for (int i = 2; i <= 5; i++) {
                browser.signIn(name, "not-the-password-" + i);
            }
            assertThat(browser.visible(By.cssSelector("p.problem")).getText()).startsWith("Too many failed sign-ins");
            browser.signIn(name, password);
            assertThat(browser.visible(By.cssSelector("p.problem")).getText()).startsWith("Too many failed sign-ins");
            browser.screenshot("sign-in-locked");
        }
    }

    @Test
    void aViewerSeesNoAccountActionsAndCannotOpenThem() {
        String name = ConsoleAccessTest.unique("browser-viewer");
        String password = ConsoleAccessTest.account(name, "VIEWER");
        try (Browser browser = Browser.open(hub.url())) {
            browser.signIn(name, password);
            browser.waitForPath("/admin");
            List<String> nav = browser.driver().findElements(By.cssSelector("header nav a")).stream()
                    .map(WebElement::getText).toList();
            assertThat(nav).contains("Overview").doesNotContain("Accounts");
            assertThat(browser.text()).contains("(VIEWER)");
            browser.screenshot("overview-viewer");
            browser.get("/admin/accounts");
            browser.waitUntil(d -> browser.text().contains("your role does not allow this"));
            browser.screenshot("accounts-refused-to-viewer");
        }
    }

    @Test
    void anAdminManagesAccountsThroughConfirmations() {
        String name = ConsoleAccessTest.unique("browser-made");
        try (Browser browser = Browser.open(hub.url())) {
            browser.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
            browser.driver().findElement(By.linkText("Accounts")).click();
            browser.waitForPath("/admin/accounts");
            browser.screenshot("accounts");
            browser.tabletScreenshot("accounts");

            // create, by keyboard: type, choose the role, Enter
            browser.visible(By.id("new-username")).sendKeys(name);
            new Select(browser.driver().findElement(By.id("new-role"))).selectByVisibleText("OPERATOR");
            browser.driver().findElement(By.id("new-username")).sendKeys(Keys.ENTER);
            assertThat(browser.visible(By.id("issued-username")).getText()).isEqualTo(name);
            String password = browser.driver().findElement(By.id("issued-password")).getDomAttribute("value");
            assertThat(password).hasSize(20);
            browser.screenshot("account-created");

            // disable: a link to a confirmation page, whose form POSTs (no JavaScript needed)
            browser.get("/admin/accounts");
            row(browser, name).findElement(By.linkText("Disable…")).click();
            browser.waitForPath("/admin/accounts/" + name + "/confirm");
            assertThat(browser.text()).contains("Disable " + name + "?");
            browser.screenshot("account-confirm-disable");
            browser.visible(By.id("confirm")).sendKeys(Keys.ENTER);
            browser.waitUntil(d -> browser.text().contains("The account is disabled."));
            assertThat(row(browser, name).getText()).contains("disabled");

            // change the role: choose, confirm
            new Select(row(browser, name).findElement(By.tagName("select"))).selectByVisibleText("VIEWER");
            row(browser, name).findElement(By.xpath(".//button[text()='Change role…']")).click();
            browser.waitUntil(d -> browser.text().contains("Change the role of " + name + " to VIEWER?"));
            browser.visible(By.id("confirm")).click();
            browser.waitUntil(d -> browser.text().contains("The role is changed."));
            assertThat(row(browser, name).findElements(By.tagName("td")).get(1).getText()).isEqualTo("VIEWER");

            // reset the password: shown once
            row(browser, name).findElement(By.linkText("Reset password…")).click();
            browser.visible(By.id("confirm")).click();
            browser.waitUntil(d -> browser.text().contains("Password reset"));
            String fresh = browser.driver().findElement(By.id("issued-password")).getDomAttribute("value");
            assertThat(fresh).hasSize(20).isNotEqualTo(password);
            browser.screenshot("account-password-reset");
        }
        // what the page did is what the API sees
        var account = accountJson(name);
        assertThat(account.get("role").asString()).isEqualTo("VIEWER");
        assertThat(account.get("enabled").asBoolean()).isFalse();
        assertThat(account.toString()).doesNotContain("password");
    }

    @Test
    void htmxLoadsUnderTheContentSecurityPolicyAndSendsTheCsrfToken() {
        String target = ConsoleAccessTest.unique("browser-htmx");
        ConsoleAccessTest.account(target, "VIEWER");
        try (Browser browser = Browser.open(hub.url())) {
            browser.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
            browser.get("/admin/accounts");
            JavascriptExecutor js = (JavascriptExecutor) browser.driver();
            browser.waitUntil(d -> Boolean.TRUE.equals(js.executeScript("return typeof htmx !== 'undefined'")));
            assertThat(js.executeScript("return htmx.config.includeIndicatorStyles")).isEqualTo(false);
            // an htmx POST from the page carries the token from the body's hx-headers: the change is made
            js.executeScript("htmx.ajax('POST', '/admin/accounts/" + target + "/disable', "
                    + "{source: document.body, target: '#main', swap: 'none'})");
            browser.waitUntil(d -> !accountJson(target).get("enabled").asBoolean());
        }
    }

    private static WebElement row(Browser browser, String username) {
        return browser.visible(By.cssSelector("tr[data-username='" + username + "']"));
    }

    private static tools.jackson.databind.JsonNode accountJson(String username) {
        for (var account : hub.admin().get("/accounts").body()) {
            if (account.get("username").asString().equals(username)) {
                return account;
            }
        }
        throw new AssertionError("no account " + username + " in " + Map.of());
    }
}
