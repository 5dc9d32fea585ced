package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.Browser;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.http.HttpMethod;

/**
 * The console's overview, Platforms table and platform page (issue 9 items 2-4) in a real browser, with simulated
 * platforms from the testkit registered with the shared hub. Every page visited is checked not to show a member
 * token (the platforms' tokens for and from the hub, and every token A except on the one page that issues it).
 * Screenshots go to hub-app/target/console-screenshots.
 */
class PlatformPagesBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    private static RunningHub hub;

    /** Simulated platforms this test started, closed and removed after it. */
    private final List<SimulatedPlatform> started = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    /** Tokens that no console page may show. */
    private final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void hub() {
        Browser.requireChromium();
        hub = RunningHub.shared();
    }

    @AfterEach
    void removePlatforms() {
        started.forEach(SimulatedPlatform::close);
        created.forEach(id -> hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null));
    }

    @Test
    void theOverviewShowsConnectedPlatformsTheirTrafficAndRefreshesLive() {
        RoutingParties parties = RoutingParties.register(hub);
        keep(parties.cpo, parties.cpoPlatformId);
        keep(parties.emsp, parties.emspPlatformId);
        String id = "CONSOLE-LOC-" + RUN;
        parties.cpo.locations().put(OcpiSamples.location(parties.cpoRole, id, OcpiSamples.seedTime(1)));
        SimulatedResponse answer = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/" + id, null,
                parties.emspToCpo()).block(WAIT);
        assertThat(answer.statusCode()).isEqualTo(1000);

        try (Browser browser = signedIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD)) {
            browser.get("/admin");
            assertThat(browser.visible(By.id("platforms-heading")).getText()).isEqualTo("Member platforms by status");
            // the eMSP's request, as sender, and the CPO's, as receiver, arrive with a poll (the log is batched)
            browser.waitUntil(d -> !d.findElements(By.cssSelector("#traffic tr[data-platform='"
                    + parties.emspPlatformId + "'][data-direction='SENT']")).isEmpty()
                    && !d.findElements(By.cssSelector("#traffic tr[data-platform='" + parties.cpoPlatformId
                    + "'][data-direction='RECEIVED']")).isEmpty());
            WebElement sent = browser.driver().findElement(By.cssSelector("#traffic tr[data-platform='"
                    + parties.emspPlatformId + "'][data-direction='SENT']"));
            assertThat(sent.getText()).contains(parties.emsp.name()).contains("sent (platform → hub)");
            assertThat(Integer.parseInt(sent.findElement(By.cssSelector("td.requests")).getText()))
                    .isGreaterThanOrEqualTo(1);
            assertThat(browser.text()).contains("Broadcast fan-out per receiving platform")
                    .contains("failed deliveries waiting for replay")
                    .contains("circuit breakers not closed (on this instance)");
            browser.screenshot("overview-live");
            browser.tabletScreenshot("overview-live");
            noTokens(browser);

            // a new CONNECTED platform shows up without a reload: the fragment is polled by htmx
            JavascriptExecutor js = (JavascriptExecutor) browser.driver();
            js.executeScript("window.consoleTestMarker = 'still the same page'");
            // CONNECTED plus OFFLINE: the still-alive check may turn a closed platform of an earlier test OFFLINE
            // meanwhile, which must not hide the new one
            int before = count(browser, "CONNECTED") + count(browser, "OFFLINE");
            PartyRole role = Parties.cpo();
            SimulatedPlatform extra = RoutingParties.cpo(role);
            keep(extra, RoutingParties.registerWith(hub, extra, role));
            browser.waitUntil(d -> count(browser, "CONNECTED") + count(browser, "OFFLINE") == before + 1);
            assertThat(js.executeScript("return window.consoleTestMarker")).isEqualTo("still the same page");

            // each status links to the Platforms table filtered by it
            browser.driver().findElement(By.id("status-CONNECTED")).click();
            browser.waitForPath("/admin/platforms");
            assertThat(new Select(browser.visible(By.id("status"))).getFirstSelectedOption().getText())
                    .isEqualTo("CONNECTED");
            assertThat(statuses(browser)).isNotEmpty().containsOnly("CONNECTED");
        }
    }

    @Test
    void thePlatformsTableFiltersSearchesAndPages() {
        String prefix = "table-" + RUN;
        PartyRole cpo1 = Parties.cpo();
        PartyRole cpo2 = Parties.cpo();
        PartyRole emsp = Parties.emsp();
        String a = create(prefix + "-a", cpo1);
        create(prefix + "-b", cpo2);
        String c = create(prefix + "-c", emsp);
        assertThat(hub.admin().post("/platforms/" + c + "/suspend", null).status()).isEqualTo(200);

        try (Browser browser = signedIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD)) {
            // paged, by query parameters a bookmark keeps
            browser.get("/admin/platforms?q=" + prefix + "&size=2");
            assertThat(names(browser)).containsExactly(prefix + "-a", prefix + "-b");
            assertThat(browser.text()).contains("3 of").contains("page 1 of 2");
            browser.screenshot("platforms");
            browser.tabletScreenshot("platforms");
            browser.driver().findElement(By.linkText("Next")).click();
            browser.waitUntil(d -> names(browser).equals(List.of(prefix + "-c")));
            assertThat(browser.driver().getCurrentUrl()).contains("page=2").contains("q=" + prefix);

            // htmx swaps the table as the operator types (search by party), keeping the page
            browser.get("/admin/platforms");
            JavascriptExecutor js = (JavascriptExecutor) browser.driver();
            js.executeScript("window.consoleTestMarker = 'kept'");
            WebElement q = browser.visible(By.id("q"));
            q.sendKeys(cpo2.countryCode() + "/" + cpo2.partyId());
            browser.waitUntil(d -> names(browser).equals(List.of(prefix + "-b")));
            assertThat(js.executeScript("return window.consoleTestMarker")).isEqualTo("kept");
            browser.waitUntil(d -> d.getCurrentUrl().contains("q=")); // pushed: the URL can be bookmarked

            // by name, then a status filter, then a role filter
            q.clear();
            q.sendKeys(prefix);
            browser.waitUntil(d -> names(browser).size() == 3);
            new Select(browser.driver().findElement(By.id("status"))).selectByVisibleText("SUSPENDED");
            browser.waitUntil(d -> names(browser).equals(List.of(prefix + "-c")));
            new Select(browser.driver().findElement(By.id("status"))).selectByVisibleText("any");
            new Select(browser.driver().findElement(By.id("role"))).selectByVisibleText("CPO");
            browser.waitUntil(d -> names(browser).equals(List.of(prefix + "-a", prefix + "-b")));
            assertThat(browser.driver().findElement(By.cssSelector("tr[data-platform='" + a + "']")).getText())
                    .contains("CPO " + cpo1.countryCode() + "/" + cpo1.partyId()).contains("PLANNED");
            noTokens(browser);

            // each name leads to the platform's page
            browser.driver().findElement(By.linkText(prefix + "-a")).click();
            browser.waitForPath("/admin/platforms/" + a);
            assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo(prefix + "-a");
        }
        // without JavaScript the same filter is a plain GET
        ConsoleHttp http = new ConsoleHttp(hub.url());
        http.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
        ConsoleHttp.Answer page = http.get("/admin/platforms?q=" + prefix + "&status=suspended", "Accept",
                "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(prefix + "-c").doesNotContain(prefix + "-a<");
        // a status that does not exist is said, not a 500
        ConsoleHttp.Answer wrong = http.get("/admin/platforms?status=BROKEN&q=" + prefix, "Accept", "text/html");
        assertThat(wrong.status()).isEqualTo(200);
        assertThat(wrong.body()).contains("status must be one of PLANNED, CONNECTED, OFFLINE, SUSPENDED");
    }

    @Test
    void suspendThenReactivateThroughTheirConfirmationPages() {
        PartyRole role = Parties.cpo();
        SimulatedPlatform cpo = RoutingParties.cpo(role);
        String id = RoutingParties.registerWith(hub, cpo, role);
        keep(cpo, id);
        assertThat(credentialsCall(cpo).statusCode()).isEqualTo(1000);

        try (Browser browser = signedIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD)) {
            browser.get("/admin/platforms/" + id);
            assertThat(browser.visible(By.id("platform-status")).getText()).isEqualTo("CONNECTED");
            assertThat(browser.text()).contains("Granted roles").contains("Registered endpoints")
                    .contains("Status history").contains("What Hub Client Info tells this platform")
                    .contains("CPO").contains(role.countryCode() + "/" + role.partyId()).contains("BASE64");
            assertThat(browser.driver().findElements(By.cssSelector("#endpoints tbody tr"))).isNotEmpty();
            browser.screenshot("platform");
            browser.tabletScreenshot("platform");
            noTokens(browser);

            // suspend: a link to a confirmation page whose form POSTs; by keyboard
            browser.driver().findElement(By.id("action-suspend")).click();
            browser.waitForPath("/admin/platforms/" + id + "/confirm");
            assertThat(browser.visible(By.id("question")).getText()).startsWith("Suspend " + cpo.name() + "?");
            browser.screenshot("platform-confirm-suspend");
            browser.visible(By.id("confirm")).sendKeys(Keys.ENTER);
            browser.waitUntil(d -> browser.text().contains("The platform is suspended."));
            assertThat(browser.visible(By.id("platform-status")).getText()).isEqualTo("SUSPENDED");
            assertThat(browser.driver().findElement(By.id("history")).getText()).contains("SUSPENDED");
            // the platform's OCPI calls are refused while it is suspended
            assertThat(credentialsCall(cpo).httpStatus()).isEqualTo(401);

            browser.driver().findElement(By.id("action-reactivate")).click();
            assertThat(browser.visible(By.id("question")).getText()).startsWith("Reactivate " + cpo.name() + "?");
            browser.screenshot("platform-confirm-reactivate");
            browser.visible(By.id("confirm")).click();
            browser.waitUntil(d -> browser.text().contains("The platform is reactivated."));
            assertThat(browser.visible(By.id("platform-status")).getText()).isEqualTo("CONNECTED");
            assertThat(credentialsCall(cpo).statusCode()).isEqualTo(1000);
            noTokens(browser);
        }
        // both actions are in the audit log under the console user
        AdminClient.Answer audit = hub.admin().get("/audit?platform=" + id);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body().toString()).contains("platform.suspend").contains("platform.reactivate")
                .contains(RunningHub.CONSOLE_ADMIN).contains("console");
    }

    @Test
    void aNewTokenAIsShownOnceWithACopyButtonAndWorks() {
        PartyRole role = Parties.emsp();
        AdminClient.Answer made = hub.admin().createPlatform("token-a-" + RUN, List.of(role));
        String id = made.text("id");
        created.add(id);
        secrets.add(made.text("token_a"));

        String tokenA;
        try (Browser browser = signedIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD)) {
            browser.get("/admin/platforms/" + id);
            browser.visible(By.id("action-token-a")).click();
            assertThat(browser.visible(By.id("question")).getText()).startsWith("Issue a new token A for");
            browser.screenshot("platform-confirm-token-a");
            browser.visible(By.id("confirm")).click();
            WebElement field = browser.visible(By.id("token-a"));
            tokenA = field.getDomAttribute("value");
            assertThat(tokenA).isNotBlank().isNotEqualTo(made.text("token_a"));
            assertThat(browser.driver().getCurrentUrl()).doesNotContain(tokenA).doesNotContain("?");
            assertThat(browser.driver().findElement(By.id("hub-versions-url")).getDomAttribute("value"))
                    .isEqualTo(hub.versionsUrl());
            // the copy button appears with its script (no inline script under the CSP) and copies
            WebElement copy = browser.visible(By.id("copy-token-a"));
            copy.click();
            browser.waitUntil(d -> !d.findElement(By.cssSelector("[data-copy-status='token-a']")).getText()
                    .isBlank());
            browser.screenshot("platform-token-a");
            noTokens(browser); // the old token A and member tokens; the new one is this page's purpose

            // never shown again
            secrets.add(tokenA);
            browser.get("/admin/platforms/" + id);
            browser.visible(By.id("platform-status"));
            noTokens(browser);
            browser.get("/admin/platforms?q=token-a-" + RUN);
            noTokens(browser);
        }
        // the new token A works for the platform's handshake
        SimulatedPlatform emsp = SimulatedPlatform.builder().name("token-a-" + RUN).role(role)
                .modules("locations:RECEIVER").start();
        started.add(emsp);
        assertThat(emsp.registerWith(hub.versionsUrl(), tokenA).block(WAIT).isSuccess()).isTrue();
    }

    @Test
    void stillAliveNowTokenEncodingRegisterAndDeleteFromThePlatformPage() {
        PartyRole role = Parties.cpo();
        SimulatedPlatform cpo = RoutingParties.cpo(role);
        String id = RoutingParties.registerWith(hub, cpo, role);
        keep(cpo, id);

        try (Browser browser = signedIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD)) {
            browser.get("/admin/platforms/" + id);
            browser.visible(By.id("action-still-alive")).click();
            assertThat(browser.visible(By.id("question")).getText()).startsWith("Run the still-alive check for");
            browser.screenshot("platform-confirm-still-alive");
            browser.visible(By.id("confirm")).click();
            assertThat(browser.visible(By.id("notice")).getText())
                    .isEqualTo("the platform answered at its versions URL: it is alive, status CONNECTED");

            // token encoding: choose, confirm
            new Select(browser.visible(By.id("encoding"))).selectByVisibleText("RAW");
            browser.driver().findElement(By.cssSelector("#encoding-form button")).click();
            assertThat(browser.visible(By.id("question")).getText()).contains("to RAW?");
            browser.screenshot("platform-confirm-token-encoding");
            browser.visible(By.id("confirm")).click();
            browser.waitUntil(d -> browser.text().contains("The token encoding is changed."));
            assertThat(browser.visible(By.id("token-encoding")).getText()).isEqualTo("RAW");
            assertThat(hub.admin().get("/platforms/" + id).text("token_encoding")).isEqualTo("RAW");

            // register with a platform that cannot be reached: the operator message, the URL kept, no token shown
            SimulatedPlatform gone = RoutingParties.cpo(Parties.cpo());
            String goneUrl = gone.versionsUrl();
            String goneToken = gone.issueTokenA();
            gone.close();
            secrets.add(goneToken);
            browser.get("/admin/platforms/" + id);
            browser.visible(By.id("action-register")).click();
            browser.visible(By.id("versionsUrl")).sendKeys(goneUrl);
            browser.driver().findElement(By.id("token")).sendKeys(goneToken);
            browser.screenshot("platform-confirm-register");
            browser.driver().findElement(By.id("confirm")).click();
            assertThat(browser.visible(By.id("problem")).getText()).startsWith("registration failed");
            assertThat(browser.driver().findElement(By.id("versionsUrl")).getDomAttribute("value"))
                    .isEqualTo(goneUrl);
            assertThat(browser.driver().findElement(By.id("token")).getDomAttribute("value")).isNull();
            browser.screenshot("platform-register-failed");
            noTokens(browser);
        }

        // delete: confirmation, then the table says so; the API no longer knows it
        String doomed = create("doomed-" + RUN, Parties.emsp());
        try (Browser browser = signedIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD)) {
            browser.get("/admin/platforms/" + doomed);
            browser.visible(By.id("action-delete")).click();
            assertThat(browser.visible(By.id("question")).getText()).startsWith("Delete doomed-" + RUN + "?");
            browser.screenshot("platform-confirm-delete");
            browser.visible(By.id("confirm")).click();
            browser.waitForPath("/admin/platforms");
            assertThat(browser.visible(By.cssSelector("p.notice")).getText()).isEqualTo("The platform is deleted.");
            assertThat(hub.admin().get("/platforms/" + doomed).status()).isEqualTo(404);
            created.remove(doomed);

            // an unknown platform: a friendly page, not JSON or a stack trace
            browser.get("/admin/platforms/" + UUID.randomUUID());
            assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Not found");
            assertThat(browser.text()).contains("no platform with id").contains("Back to the platforms");
            browser.screenshot("platform-not-found");
        }
        ConsoleHttp http = new ConsoleHttp(hub.url());
        http.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
        for (String unknown : List.of(doomed, "not-a-platform-id", UUID.randomUUID() + "/confirm?action=suspend")) {
            ConsoleHttp.Answer missing = http.get("/admin/platforms/" + unknown, "Accept", "text/html");
            assertThat(missing.status()).as(unknown).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("text/html");
            assertThat(missing.body()).contains("no platform with id").doesNotContain("Exception");
        }
        // an action refused for its state shows its status: still-alive on a PLANNED platform is 409
        String planned = create("planned-" + RUN, Parties.emsp());
        String csrf = http.csrfToken("/admin/platforms/" + planned);
        ConsoleHttp.Answer refused = http.postForm("/admin/platforms/" + planned + "/still-alive",
                Map.of("_csrf", csrf), "Accept", "text/html");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("the still-alive check runs only for a registered platform");
    }

    @Test
    void aViewerSeesNoActionsAndAForgedSuspendIsRefused() {
        PartyRole role = Parties.cpo();
        SimulatedPlatform cpo = RoutingParties.cpo(role);
        String id = RoutingParties.registerWith(hub, cpo, role);
        keep(cpo, id);
        String viewer = ConsoleAccessTest.unique("platform-viewer");
        String password = ConsoleAccessTest.account(viewer, "VIEWER");

        try (Browser browser = signedIn(viewer, password)) {
            browser.get("/admin/platforms/" + id);
            assertThat(browser.visible(By.id("platform-status")).getText()).isEqualTo("CONNECTED");
            assertThat(browser.driver().findElements(By.id("actions"))).isEmpty();
            assertThat(browser.driver().findElements(By.partialLinkText("Suspend"))).isEmpty();
            browser.screenshot("platform-viewer");
            browser.get("/admin/platforms/" + id + "/confirm?action=suspend");
            assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Not allowed");
            noTokens(browser);
        }
        // a forged POST with the viewer's valid session and CSRF token
        ConsoleHttp http = new ConsoleHttp(hub.url());
        http.signIn(viewer, password);
        String csrf = http.csrfToken("/admin/platforms/" + id);
        ConsoleHttp.Answer forged = http.postForm("/admin/platforms/" + id + "/suspend", Map.of("_csrf", csrf),
                "Accept", "text/html");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(hub.admin().get("/platforms/" + id).text("status")).isEqualTo("CONNECTED");
        assertThat(credentialsCall(cpo).statusCode()).isEqualTo(1000);
    }

    // ---- helpers ----

    private static Browser signedIn(String username, String password) {
        Browser browser = Browser.open(hub.url());
        browser.signIn(username, password);
        browser.waitForPath("/admin");
        return browser;
    }

    /** Keeps a registered simulated platform for cleanup and its tokens for {@link #noTokens}. */
    private void keep(SimulatedPlatform platform, String platformId) {
        started.add(platform);
        created.add(platformId);
        platform.tokenForHub().ifPresent(secrets::add);
        platform.tokenIssuedToHub().ifPresent(secrets::add);
    }

    private String create(String name, PartyRole role) {
        AdminClient.Answer made = hub.admin().createPlatform(name, List.of(role));
        assertThat(made.status()).as(String.valueOf(made.body())).isEqualTo(201);
        created.add(made.text("id"));
        secrets.add(made.text("token_a"));
        return made.text("id");
    }

    /** The page's source shows none of the tokens collected so far. */
    private void noTokens(Browser browser) {
        String source = browser.driver().getPageSource();
        for (String secret : secrets) {
            assertThat(source).as("a token on " + browser.driver().getCurrentUrl()).doesNotContain(secret);
        }
    }

    private static int count(Browser browser, String status) {
        return Integer.parseInt(browser.driver().findElement(By.id("count-" + status)).getText().strip());
    }

    private static List<String> names(Browser browser) {
        return browser.driver().findElements(By.cssSelector("#platform-table tbody tr[data-platform] td:first-child"))
                .stream().map(WebElement::getText).toList();
    }

    private static List<String> statuses(Browser browser) {
        return browser.driver().findElements(By.cssSelector("#platform-table tbody tr[data-platform] td:nth-child(3)"))
                .stream().map(WebElement::getText).toList();
    }

    private static SimulatedResponse credentialsCall(SimulatedPlatform platform) {
        return platform.call("GET", hub.url() + "/ocpi/2.2.1/credentials", null).block(WAIT);
    }
}
