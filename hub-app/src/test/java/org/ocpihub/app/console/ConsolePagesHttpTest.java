package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;

/**
 * Part E's pages over plain HTTP (no browser): a value a page cannot use is answered 400 with a message naming the
 * field, shown next to it, never a stack trace or a class name; unknown ids are 404 in words; token A appears only
 * on the answer that issued it.
 */
class ConsolePagesHttpTest {

    private static final Pattern TOKEN_A = Pattern.compile("id=\"token-a\" type=\"text\" readonly value=\"([^\"]+)\"");

    private static ConsoleHttp operator;

    @BeforeAll
    static void signIn() {
        RunningHub.shared();
        String name = ConsoleAccessTest.unique("pages-e");
        String password = ConsoleAccessTest.account(name, "OPERATOR");
        operator = new ConsoleHttp(RunningHub.shared().url());
        operator.signIn(name, password);
    }

    @Test
    void aDeliveriesFilterThatCannotBeReadNamesItsField() {
        assertNamed("/admin/deliveries?from=yesterday", "f-from-problem", "query parameter from must be a date");
        assertNamed("/admin/deliveries?to=31.12.2026", "f-to-problem", "query parameter to must be a date");
        assertNamed("/admin/deliveries?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "f-from-problem",
                "query parameter from must be before to");
        assertProblem(page("/admin/deliveries?module=pirates"), 400, "query parameter module must be an OCPI module");
        assertProblem(page("/admin/deliveries?window=3w"), 400, "query parameter window must be one of 15m, 1h");
        assertProblem(page("/admin/deliveries?receiver=nobody"), 400, "query parameter receiver must be a platform id");
        assertThat(page("/admin/deliveries?window=24h&status=replayed").status()).isEqualTo(200);
    }

    @Test
    void aTraceSearchNeedsACriterionAndAPartyAsCcPid() {
        ConsoleHttp.Answer empty = page("/admin/trace");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).contains("id=\"trace-hint\"");
        assertNamed("/admin/trace?party=NLX/ABCD", "t-party-problem", "field party must be a country code and a party id");
        assertNamed("/admin/trace?party=N", "t-party-problem", "field party must be");
        // lenient about the separator and the case: a sibling that is a party
        ConsoleHttp.Answer dashed = page("/admin/trace?party=nl-abc");
        assertThat(dashed.status()).isEqualTo(200);
        assertThat(dashed.body()).doesNotContain("t-party-problem");
        assertThat(page("/admin/trace?request_id=" + UUID.randomUUID()).body()).contains("Nothing in the message log");
    }

    @Test
    void anAuditFilterThatCannotBeReadNamesItsField() {
        assertProblem(page("/admin/audit?platform=nobody"), 400, "query parameter platform must be a platform id");
        assertProblem(page("/admin/audit?before=yesterday"), 400, "query parameter before must be a date");
        assertThat(page("/admin/audit?action=account.&actor=nobody-at-all").body())
                .contains("No operator action matches.");
    }

    @Test
    void theWizardNamesTheFieldTheServiceRefusesNextToIt() {
        PartyRole role = Parties.cpo();
        ConsoleHttp.Answer longCountry = onboard(Map.of("name", "Too Long Country", "roles[0].role", "CPO",
                "roles[0].countryCode", "NLD", "roles[0].partyId", role.partyId(), "step", "create"));
        assertProblem(longCountry, 400, "field roles[0].country_code is longer than 2 characters");
        assertThat(fieldProblem(longCountry.body(), "country-0-problem")).contains("country_code");

        ConsoleHttp.Answer hub = onboard(Map.of("name", "Claims HUB", "roles[0].role", "HUB",
                "roles[0].countryCode", "NL", "roles[0].partyId", role.partyId(), "step", "create"));
        assertProblem(hub, 400, "cannot be HUB");
        assertThat(fieldProblem(hub.body(), "role-0-problem")).contains("HUB");

        // a blank second row is ignored; an error in the third row is shown on the third row
        Map<String, String> rows = new LinkedHashMap<>(Map.of("name", "Row Three", "roles[0].role", "CPO",
                "roles[0].countryCode", "NL", "roles[0].partyId", role.partyId(), "step", "create"));
        rows.put("roles[1].role", "");
        rows.put("roles[2].role", "EMSP");
        rows.put("roles[2].countryCode", "DE");
        ConsoleHttp.Answer third = onboard(rows);
        assertProblem(third, 400, "missing required field: roles[1].party_id");
        assertThat(fieldProblem(third.body(), "party-2-problem")).contains("party_id");

        ConsoleHttp.Answer noUrl = onboard(Map.of("name", "No Url", "roles[0].role", "CPO", "roles[0].countryCode",
                "NL", "roles[0].partyId", role.partyId(), "token", "abc", "step", "register"));
        assertProblem(noUrl, 400, "missing required field: versions_url");
        assertThat(fieldProblem(noUrl.body(), "versions-url-problem")).contains("versions_url");
    }

    @Test
    void tokenAIsOnlyOnTheAnswerThatIssuedIt() {
        PartyRole role = Parties.cpo();
        ConsoleHttp.Answer created = onboard(Map.of("name", "Once Only " + role.partyId(), "roles[0].role", "CPO",
                "roles[0].countryCode", role.countryCode(), "roles[0].partyId", role.partyId(), "step", "create"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("Cache-Control")).contains("no-store");
        Matcher m = TOKEN_A.matcher(created.body());
        assertThat(m.find()).as("token A on the page").isTrue();
        String tokenA = m.group(1);
        Matcher id = Pattern.compile("/admin/onboard/([0-9a-f-]{36})/status").matcher(created.body());
        assertThat(id.find()).isTrue();

        assertThat(page("/admin/onboard/" + id.group(1)).body()).contains("PLANNED").doesNotContain(tokenA);
        assertThat(page("/admin/onboard/" + id.group(1) + "/status").body()).doesNotContain(tokenA);
        assertThat(page("/admin/audit").body()).doesNotContain(tokenA);
        RunningHub.shared().admin().call(org.springframework.http.HttpMethod.DELETE, "/platforms/" + id.group(1),
                null);
    }

    @Test
    void unknownIdsAreAnsweredInWords() {
        assertProblem(page("/admin/onboard/" + UUID.randomUUID()), 404, "no platform with id");
        assertThat(page("/admin/onboard/not-an-id/status").body()).contains("no platform with id not-an-id");
        String token = operator.csrfToken("/admin/deliveries");
        assertProblem(operator.postForm("/admin/deliveries/" + UUID.randomUUID() + "/replay", Map.of("_csrf", token),
                "Accept", "text/html"), 404, "Replay refused: no delivery with id");
    }

    private static ConsoleHttp.Answer onboard(Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("_csrf", operator.csrfToken("/admin/onboard"));
        return operator.postForm("/admin/onboard", form, "Accept", "text/html");
    }

    private static ConsoleHttp.Answer page(String path) {
        return operator.get(path, "Accept", "text/html");
    }

    private static void assertNamed(String path, String problemId, String message) {
        ConsoleHttp.Answer answer = page(path);
        assertProblem(answer, 400, message);
        assertThat(fieldProblem(answer.body(), problemId)).as(path).contains(message);
    }

    private static void assertProblem(ConsoleHttp.Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).contains(message).doesNotContain("Exception").doesNotContain("org.ocpihub");
    }

    /** The text of the field problem with this id. */
    private static String fieldProblem(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(html);
        return m.find() ? m.group(1) : "";
    }
}
