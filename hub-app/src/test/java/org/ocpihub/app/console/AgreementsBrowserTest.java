package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.Browser;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.http.HttpMethod;

/**
 * The Agreements page in a real browser (issue 13, "The console shows and edits the matrix"), on a hub in mode
 * {@code required} so that an agreement turns a cell from refused to agreed: an operator creates an agreement through
 * the form, sees the cell change, is shown a field problem for a window that ends before it starts (the values kept),
 * fills a refused cell of another module with its one-click "agree", and deletes both through their confirmations.
 * Screenshots go to hub-app/target/console-screenshots.
 */
class AgreementsBrowserTest {

    private static RunningHub hub;
    private static PartyRole cpo;
    private static PartyRole emsp;
    private static String cpoId;
    private static String emspId;

    @BeforeAll
    static void hub() {
        Browser.requireChromium();
        hub = RunningHub.start(Map.of("hub.agreements.mode", "required"));
        cpo = Parties.cpo();
        emsp = Parties.emsp();
        cpoId = created(hub.admin().createPlatform("Agreements CPO " + cpo.partyId(), List.of(cpo)));
        emspId = created(hub.admin().createPlatform("Agreements eMSP " + emsp.partyId(), List.of(emsp)));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.admin().call(HttpMethod.DELETE, "/platforms/" + cpoId, null);
            hub.admin().call(HttpMethod.DELETE, "/platforms/" + emspId, null);
            hub.close();
        }
    }

    @Test
    void anOperatorFillsTheMatrixAndEmptiesItAgain() {
        String operator = ConsoleAccessTest.unique("agreer");
        AdminClient.Answer account = hub.admin().post("/accounts", Map.of("username", operator, "role", "OPERATOR"));
        assertThat(account.status()).as(account.error()).isEqualTo(201);
        String a = label(cpo);
        String b = label(emsp);
        try (Browser browser = Browser.open(hub.url())) {
            browser.signIn(operator, account.text("password"));
            browser.driver().findElement(By.linkText("Agreements")).click();
            browser.waitForPath("/admin/agreements");
            // the test database holds every other test's parties, more than the matrix's 40: narrow it to these two
            type(browser, "parties", a + " " + b);
            browser.driver().findElement(By.id("show-module")).click();
            browser.waitUntil(d -> d.findElements(By.cssSelector("#matrix tbody th[scope='row']")).size() == 2);
            assertThat(browser.driver().findElements(By.id("matrix-cut"))).isEmpty();
            assertThat(browser.visible(By.id("mode")).getText()).isEqualTo("required");
            assertThat(browser.driver().findElement(By.id("mode-meaning")).getText())
                    .contains("only while an agreement between them covers it");
            assertThat(cell(browser, a, b).getDomAttribute("data-state")).isEqualTo("refused");
            assertThat(cell(browser, a, b).getText()).contains("refused");
            assertThat(cell(browser, a, a).getDomAttribute("data-state")).isEqualTo("self");
            assertThat(browser.driver().findElement(By.cssSelector("th[data-party='" + a + "']")).getText())
                    .contains("CPO");
            browser.screenshot("agreements-refused");

            // the form: party A, party B, locations
            fill(browser, a, b, "locations", "", "");
            browser.driver().findElement(By.id("create")).click();
            assertThat(browser.visible(By.id("agreements-notice")).getText()).contains("The agreement is created");
            assertThat(cell(browser, a, b).getDomAttribute("data-state")).isEqualTo("agreed");
            assertThat(cell(browser, b, a).getDomAttribute("data-state")).isEqualTo("agreed");
            // the pair in its stored order: DE/… sorts before NL/…
            By ours = By.cssSelector("#agreements tr[data-pair='" + b + " " + a + "']");
            WebElement row = browser.driver().findElement(ours);
            assertThat(row.getText()).contains(a).contains(b).contains("locations").contains("active")
                    .contains(operator + " (console)");
            browser.screenshot("agreements-agreed");
            browser.tabletScreenshot("agreements-agreed");

            // a window that ends before it starts: named next to valid_until, the values kept
            fill(browser, a, b, "tariffs", "2027-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
            browser.driver().findElement(By.id("create")).click();
            assertThat(browser.visible(By.id("valid-until-problem")).getText())
                    .contains("valid_until: must be after valid_from");
            assertThat(browser.driver().findElement(By.id("valid-from")).getDomProperty("value"))
                    .isEqualTo("2027-01-01T00:00:00Z");
            assertThat(new Select(browser.driver().findElement(By.id("party-b"))).getFirstSelectedOption()
                    .getDomAttribute("value")).isEqualTo(b);
            assertThat(browser.driver().findElement(By.id("module-tariffs")).isSelected()).isTrue();
            assertThat(browser.text()).doesNotContain("Exception");
            browser.screenshot("agreements-field-problem");

            // another module's matrix: the refused cell's one-click agree
            new Select(browser.driver().findElement(By.id("module"))).selectByValue("tariffs");
            browser.driver().findElement(By.id("show-module")).click();
            browser.waitUntil(d -> "tariffs".equals(d.findElement(By.id("matrix")).getDomAttribute("data-module")));
            assertThat(cell(browser, a, b).getDomAttribute("data-state")).isEqualTo("refused");
            cell(browser, a, b).findElement(By.cssSelector("form.agree button")).click();
            browser.visible(By.id("agreements-notice"));
            assertThat(browser.driver().findElement(By.id("matrix")).getDomAttribute("data-module"))
                    .isEqualTo("tariffs");
            assertThat(cell(browser, a, b).getDomAttribute("data-state")).isEqualTo("agreed");
            assertThat(browser.driver().findElements(ours)).hasSize(2);
            browser.screenshot("agreements-one-click");

            // delete both through their confirmations: the cells are refused again
            for (int i = 0; i < 2; i++) {
                browser.driver().findElement(ours).findElement(By.cssSelector("a.danger")).click();
                assertThat(browser.visible(By.id("question")).getText()).startsWith("Delete the agreement between");
                if (i == 0) {
                    browser.screenshot("agreements-confirm-delete");
                }
                browser.driver().findElement(By.id("confirm")).click();
                assertThat(browser.visible(By.id("agreements-notice")).getText()).contains("The agreement is deleted");
            }
            assertThat(browser.driver().findElements(ours)).isEmpty();
            assertThat(cell(browser, a, b).getDomAttribute("data-state")).isEqualTo("refused");
        }
    }

    private static void fill(Browser browser, String a, String b, String module, String from, String until) {
        new Select(browser.visible(By.id("party-a"))).selectByValue(a);
        new Select(browser.driver().findElement(By.id("party-b"))).selectByValue(b);
        WebElement box = browser.driver().findElement(By.id("module-" + module));
        if (!box.isSelected()) {
            box.click();
        }
        type(browser, "valid-from", from);
        type(browser, "valid-until", until);
    }

    private static void type(Browser browser, String id, String text) {
        WebElement field = browser.driver().findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private static WebElement cell(Browser browser, String row, String column) {
        return browser.visible(By.cssSelector("#matrix td[data-row='" + row + "'][data-column='" + column + "']"));
    }

    private static String label(PartyRole p) {
        return p.countryCode() + "/" + p.partyId();
    }

    private static String created(AdminClient.Answer answer) {
        assertThat(answer.status()).as(answer.error()).isEqualTo(201);
        return answer.text("id");
    }
}
