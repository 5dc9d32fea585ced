package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;

import tools.jackson.databind.JsonNode;

/**
 * Faults an outside tester found by attacking the console and the admin API (issue 9): each test is one fault's
 * input, with the answer it should get. Rows of the message log are awaited by polling the admin API, never by
 * sleeping.
 */
class ConsoleAttackTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RunningHub hub;
    private static ConsoleHttp operator;

    @BeforeAll
    static void signIn() {
        hub = RunningHub.shared();
        String name = ConsoleAccessTest.unique("attack");
        operator = new ConsoleHttp(hub.url());
        assertThat(operator.signIn(name, ConsoleAccessTest.account(name, "OPERATOR")).location()).isEqualTo("/admin");
    }

    /**
     * A member names an object id of 3000 characters in a URL (OCPI ids have at most 36). Its message log row is in
     * the same COPY batch as other members' rows; PostgreSQL refused the whole batch ("index row size exceeds btree
     * maximum" on message_log_object), so the rows before and after it were lost from the trace too.
     */
    @Test
    void anOverlongObjectIdLosesNoRowOfTheMessageLog() {
        RoutingParties parties = RoutingParties.register(hub);
        try {
            String run = Long.toString(System.nanoTime(), 36);
            String before = "attack-before-" + run;
            String hostile = "attack-long-" + run;
            String after = "attack-after-" + run;
            String sibling = "attack-wide-" + run;
            String locations = parties.hub("locations:SENDER");
            send(parties, locations + "/LOC-" + run, before);
            send(parties, locations + "/" + "X".repeat(3000), hostile);
            send(parties, locations + "/LOC-" + run, after);
            // sibling: a CPO's push to the hub (another module interface, refused) with an id of 2800 characters
            Map<String, String> push = RoutingParties.with(RoutingParties.route(parties.cpoRole,
                    new PartyRole("HUB", "NL", "HUB", "hub")), "X-Request-ID", sibling);
            assertThat(parties.cpo.call("PUT", parties.cpo.hubEndpoints().get("locations:RECEIVER") + "/"
                    + parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId() + "/" + "Y".repeat(2800),
                    "{}", push).block(WAIT)).isNotNull();

            for (String requestId : List.of(before, hostile, after, sibling)) {
                await("message log row of " + requestId).atMost(WAIT)
                        .until(() -> rows(requestId).size() == 1);
            }
            assertThat(rows(hostile).get(0).get("object_id").asString()).startsWith("XXXX");
        } finally {
            parties.closeAndRemove(hub);
        }
    }

    /**
     * A platform name with a line break (or another control character) was taken and written as is into the hub's
     * log ("platform … created", "audit: …"), where it forged a second log line. The name must be refused, naming
     * the field, through the admin API and through the wizard.
     */
    @Test
    void aPlatformNameWithControlCharactersIsRefusedNamingTheField() {
        PartyRole role = Parties.cpo();
        AdminClient.Answer api = hub.admin().createPlatform(
                "Evil\n2026-12-01T07:00:00.000Z  INFO forged log line", List.of(role));
        assertThat(api.status()).as(api.error()).isEqualTo(400);
        assertThat(api.error()).contains("name");

        // sibling: an escape sequence (terminal colours) through the wizard
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", operator.csrfToken("/admin/onboard"));
        form.put("name", "Evil \u001b[31mred");
        form.put("roles[0].role", "CPO");
        form.put("roles[0].countryCode", role.countryCode());
        form.put("roles[0].partyId", role.partyId());
        form.put("step", "create");
        ConsoleHttp.Answer wizard = operator.postForm("/admin/onboard", form, "Accept", "text/html");
        assertThat(wizard.status()).isEqualTo(400);
        assertThat(wizard.body()).contains("id=\"name-problem\"").doesNotContain("id=\"token-a\"");
    }

    /**
     * A confirmation URL without its query parameter (an edited or truncated link) was answered by Spring's
     * "Whitelabel Error Page" instead of the console's page with a message.
     */
    @Test
    void aConfirmationLinkWithoutItsActionIsAConsolePageWithAMessage() {
        String platform = hub.admin().createPlatform("Confirm Without Action", List.of(Parties.cpo()))
                .text("id");
        try {
            ConsoleHttp.Answer noAction = operator.get("/admin/platforms/" + platform + "/confirm",
                    "Accept", "text/html");
            assertThat(noAction.status()).isEqualTo(400);
            assertThat(noAction.body()).doesNotContain("Whitelabel")
                    .contains("choose one of the actions offered on the platform");

            // sibling: an account's confirmation without its change (as ADMIN)
            ConsoleHttp admin = new ConsoleHttp(hub.url());
            admin.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
            ConsoleHttp.Answer noChange = admin.get("/admin/accounts/" + RunningHub.CONSOLE_ADMIN + "/confirm",
                    "Accept", "text/html");
            assertThat(noChange.status()).isEqualTo(400);
            assertThat(noChange.body()).doesNotContain("Whitelabel")
                    .contains("choose one of the actions offered for the account");
        } finally {
            hub.admin().call(org.springframework.http.HttpMethod.DELETE, "/platforms/" + platform, null);
        }
    }

    /** A console URL that names no page is a page in the console's words, not Spring's Whitelabel page. */
    @Test
    void aConsoleUrlThatNamesNoPageIsNoWhitelabelPage() {
        ConsoleHttp.Answer missing = operator.get("/admin/no-such-page", "Accept", "text/html");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).doesNotContain("Whitelabel").contains("/admin");
        // sibling: a GET of a route that takes only POST
        ConsoleHttp.Answer wrongMethod = operator.get("/admin/deliveries/replay-all", "Accept", "text/html");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.body()).doesNotContain("Whitelabel");
        // sibling: sign-out typed into the address bar (it is a form's POST)
        assertThat(operator.get("/admin/sign-out", "Accept", "text/html").body()).doesNotContain("Whitelabel");
    }

    /**
     * A forged wizard form whose role row index the page never offered ({@code roles[300]}, {@code roles[-1]},
     * {@code roles[x]}) failed in Spring's binding with HTTP 500 and a stack trace of ~400 lines in the log. It must
     * be the wizard again with 400 and a message; nothing is created.
     */
    @Test
    void aForgedRoleRowIndexIsTheWizardWithAMessageNotA500() {
        for (String index : List.of("300", "-1", "x", "99999999999")) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("_csrf", operator.csrfToken("/admin/onboard"));
            form.put("name", "Forged Rows");
            form.put("roles[" + index + "].role", "CPO");
            form.put("step", "create");
            ConsoleHttp.Answer answer = operator.postForm("/admin/onboard", form, "Accept", "text/html");
            assertThat(answer.status()).as("roles[" + index + "]").isEqualTo(400);
            assertThat(answer.body()).contains("id=\"onboard-problem\"").contains("role row")
                    .doesNotContain("id=\"token-a\"");
        }
    }

    /**
     * README's flow: trace "the request_id the simulator prints". For a CPO's push that id finds only the broadcast
     * acceptance (deliveries carry the hub's own request ids), and the page offered no way on to the deliveries:
     * the timeline's correlation id must link to the whole correlation, which shows the delivery.
     */
    @Test
    void aPushFoundByItsRequestIdLeadsToItsDeliveries() {
        RoutingParties parties = RoutingParties.register(hub);
        try {
            String run = Long.toString(System.nanoTime(), 36).toUpperCase();
            String requestId = "attack-push-" + run;
            String correlationId = "attack-push-corr-" + run;
            String id = "ATT-" + run;
            Map<String, String> headers = RoutingParties.with(RoutingParties.with(RoutingParties.route(
                    parties.cpoRole, new PartyRole("HUB", "NL", "HUB", "hub")), "X-Request-ID", requestId),
                    "X-Correlation-ID", correlationId);
            String body = org.ocpihub.testkit.party.OcpiSamples.location(parties.cpoRole, id,
                    org.ocpihub.testkit.party.OcpiSamples.seedTime(1)).toString();
            assertThat(parties.cpo.call("PUT", parties.cpo.hubEndpoints().get("locations:RECEIVER") + "/"
                    + parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId() + "/" + id, body, headers)
                    .block(WAIT).statusCode()).isEqualTo(1000);
            await("the delivery's row").atMost(WAIT).until(() -> hub.admin()
                    .get("/trace?correlation_id=" + correlationId).body().size() >= 2);

            String link = "href=\"/admin/trace?correlation_id=" + correlationId + "\"";
            assertThat(operator.get("/admin/trace?request_id=" + requestId, "Accept", "text/html").body())
                    .contains("Broadcast accepted").contains(link);
            assertThat(operator.get("/admin/trace?correlation_id=" + correlationId, "Accept", "text/html").body())
                    .contains("data-kind=\"DELIVERY\"");
        } finally {
            parties.closeAndRemove(hub);
        }
    }

    private static void send(RoutingParties parties, String url, String requestId) {
        Map<String, String> headers = RoutingParties.with(parties.emspToCpo(), "X-Request-ID", requestId);
        assertThat(parties.emsp.call("GET", url, null, headers).block(WAIT)).isNotNull();
    }

    private static List<JsonNode> rows(String requestId) {
        AdminClient.Answer answer = hub.admin().get("/trace?request_id=" + requestId);
        assertThat(answer.status()).as(answer.error()).isEqualTo(200);
        List<JsonNode> out = new java.util.ArrayList<>();
        answer.body().forEach(out::add);
        return out;
    }
}
