package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.console.web.AgreementMatrix;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.springframework.http.HttpMethod;

/**
 * The Agreements page over plain HTTP (issue 13): a VIEWER sees the page and the matrix but no form, and cannot
 * create or delete (403 from the security chain, the console's not-allowed page for a confirmation); a POST without
 * its CSRF token is refused; a refused create names its field, never a stack trace; in mode {@code open} a pair with
 * an agreement is still "open"; in mode {@code per-party} opting a party in turns its open cells refused.
 */
class AgreementsPageHttpTest {

    private static RunningHub hub;
    private static PartyRole cpo;
    private static PartyRole emsp;
    private static List<String> platforms;
    private static ConsoleHttp operator;
    private static ConsoleHttp viewer;

    @BeforeAll
    static void signIn() {
        hub = RunningHub.shared();
        cpo = Parties.cpo();
        emsp = Parties.emsp();
        platforms = List.of(created(hub, "Agreements HTTP CPO", cpo), created(hub, "Agreements HTTP eMSP", emsp));
        operator = signedIn(hub, "agreements-op", "OPERATOR");
        viewer = signedIn(hub, "agreements-viewer", "VIEWER");
    }

    @AfterAll
    static void removePlatforms() {
        platforms.forEach(id -> hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null));
    }

    @Test
    void aViewerSeesTheMatrixButCannotCreateOrDelete() {
        ConsoleHttp.Answer page = viewer.get("/admin/agreements?parties=" + ours(), "Accept", "text/html");
        assertThat(page.status()).isEqualTo(200);
        // the shared hub holds every other test's parties too: the filter leaves exactly these two
        assertThat(page.body().split("<th scope=\"row\">", -1)).hasSize(3);
        assertThat(page.body()).contains("href=\"/admin/agreements\"").contains("id=\"mode\">open<")
                .contains(cellMarker(label(cpo), label(emsp), "open"))
                .doesNotContain("id=\"create-form\"").doesNotContain("agree locations");

        ConsoleHttp.Answer create = viewer.postForm("/admin/agreements",
                form(viewer.csrfToken("/admin/agreements"), "modules", "locations"), "Accept", "text/html");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.body()).contains("your role does not allow this");

        String id = createAsOperator("tariffs");
        ConsoleHttp.Answer confirm = viewer.get("/admin/agreements/" + id + "/confirm", "Accept", "text/html");
        assertThat(confirm.status()).isEqualTo(403);
        assertThat(confirm.body()).contains("Changing agreements needs the OPERATOR role").doesNotContain("Delete agreement");
        ConsoleHttp.Answer delete = viewer.postForm("/admin/agreements/" + id + "/delete",
                Map.of("_csrf", viewer.csrfToken("/admin/agreements")), "Accept", "text/html");
        assertThat(delete.status()).isEqualTo(403);
        assertThat(agreementId(operator.get("/admin/agreements", "Accept", "text/html").body())).isEqualTo(id);

        // mode open: the agreement is listed, the pair's cell stays open
        ConsoleHttp.Answer tariffs = viewer.get("/admin/agreements?module=tariffs&parties=" + ours(), "Accept",
                "text/html");
        assertThat(tariffs.body()).contains(cellMarker(label(cpo), label(emsp), "open"))
                .contains("data-agreement=\"" + id + "\"");
        deleteAsOperator(id);
    }

    @Test
    void aPostWithoutItsCsrfTokenIsRefused() {
        Map<String, String> noToken = form(null, "modules", "locations");
        ConsoleHttp.Answer create = operator.postForm("/admin/agreements", noToken, "Accept", "text/html");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.body()).contains("this form is out of date or did not come from the console");
        assertThat(agreementId(operator.get("/admin/agreements", "Accept", "text/html").body())).isNull();

        String id = createAsOperator("sessions");
        ConsoleHttp.Answer delete = operator.postForm("/admin/agreements/" + id + "/delete",
                Map.of("_csrf", "forged"), "Accept", "text/html");
        assertThat(delete.status()).isEqualTo(403);
        assertThat(agreementId(operator.get("/admin/agreements", "Accept", "text/html").body())).isEqualTo(id);
        deleteAsOperator(id);
    }

    @Test
    void aRefusedCreateNamesItsFieldAndKeepsTheValues() {
        ConsoleHttp.Answer module = operator.postForm("/admin/agreements",
                form(operator.csrfToken("/admin/agreements"), "modules", "pirates"), "Accept", "text/html");
        assertThat(module.status()).isEqualTo(400);
        assertThat(fieldProblem(module.body(), "modules-problem")).contains("modules[0]: unknown module");
        assertThat(module.body()).doesNotContain("Exception").doesNotContain("org.ocpihub");

        Map<String, String> window = form(operator.csrfToken("/admin/agreements"), "modules", "cdrs");
        window.put("valid_from", "2027-01-01T00:00:00Z");
        window.put("valid_until", "next year");
        ConsoleHttp.Answer until = operator.postForm("/admin/agreements", window, "Accept", "text/html");
        assertThat(until.status()).isEqualTo(400);
        assertThat(fieldProblem(until.body(), "valid-until-problem")).contains("valid_until: not a DateTime");
        assertThat(until.body()).contains("value=\"2027-01-01T00:00:00Z\"");

        Map<String, String> same = form(operator.csrfToken("/admin/agreements"), "modules", "all");
        same.put("party_b", label(cpo));
        ConsoleHttp.Answer self = operator.postForm("/admin/agreements", same, "Accept", "text/html");
        assertThat(self.status()).isEqualTo(400);
        assertThat(fieldProblem(self.body(), "party-b-problem")).contains("party_b: must be another party");
        assertThat(agreementId(operator.get("/admin/agreements", "Accept", "text/html").body())).isNull();
    }

    @Test
    void inPerPartyModeOptingInGatesTheParty() {
        try (RunningHub perParty = RunningHub.start(Map.of("hub.agreements.mode", "per-party"))) {
            ConsoleHttp op = signedIn(perParty, "agreements-opt", "OPERATOR");
            String page = op.get("/admin/agreements?parties=" + ours(), "Accept", "text/html").body();
            assertThat(page).contains("id=\"mode\">per-party<").contains("id=\"opt-ins\"")
                    .contains(cellMarker(label(cpo), label(emsp), "open"));
            ConsoleHttp.Answer confirm = op.get("/admin/agreements/opt/confirm?party=" + label(cpo) + "&change=in",
                    "Accept", "text/html");
            assertThat(confirm.status()).isEqualTo(200);
            assertThat(confirm.body()).contains("Opt " + label(cpo) + " in?");
            ConsoleHttp.Answer in = op.postForm("/admin/agreements/opt-in",
                    Map.of("_csrf", op.csrfToken("/admin/agreements"), "party", label(cpo)), "Accept", "text/html");
            assertThat(in.status()).isEqualTo(303);
            assertThat(in.location()).isEqualTo("/admin/agreements?module=locations&done=opted-in");
            String gated = op.get(in.location() + "&parties=" + ours(), "Accept", "text/html").body();
            assertThat(gated).contains("The party opted in").contains(cellMarker(label(cpo), label(emsp), "refused"))
                    .contains("data-party=\"" + label(cpo) + "\" data-opted-in=\"true\"");
            ConsoleHttp.Answer out = op.postForm("/admin/agreements/opt-out",
                    Map.of("_csrf", op.csrfToken("/admin/agreements"), "party", label(cpo)), "Accept", "text/html");
            assertThat(out.location()).isEqualTo("/admin/agreements?module=locations&done=opted-out");
            assertThat(op.get(out.location() + "&parties=" + ours(), "Accept", "text/html").body())
                    .contains(cellMarker(label(cpo), label(emsp), "open"));
        }
    }

    @Test
    void aNarrowedMatrixKeepsItsPartiesThroughACreateAndADelete() {
        String filter = label(cpo) + " " + label(emsp);
        Map<String, String> fields = form(operator.csrfToken("/admin/agreements"), "modules", "tokens");
        fields.put("shown", "tokens");
        fields.put("shown_parties", filter);
        ConsoleHttp.Answer created = operator.postForm("/admin/agreements", fields, "Accept", "text/html");
        assertThat(created.status()).as(created.body()).isEqualTo(303);
        assertThat(created.location()).isEqualTo("/admin/agreements?module=tokens&parties=" + ours() + "&done=created");
        String page = operator.get(created.location(), "Accept", "text/html").body();
        assertThat(page).contains(cellMarker(label(cpo), label(emsp), "open"))
                .contains("id=\"parties\"").contains("value=\"" + filter + "\"").doesNotContain("id=\"matrix-cut\"");
        String id = agreementId(page);
        assertThat(page).contains("/admin/agreements/" + id + "/confirm?parties=");

        ConsoleHttp.Answer confirm = operator.get("/admin/agreements/" + id + "/confirm?parties=" + ours(), "Accept",
                "text/html");
        assertThat(confirm.body()).contains("name=\"shown_parties\" value=\"" + filter + "\"");
        ConsoleHttp.Answer deleted = operator.postForm("/admin/agreements/" + id + "/delete",
                Map.of("_csrf", operator.csrfToken("/admin/agreements"), "shown_parties", filter), "Accept",
                "text/html");
        assertThat(deleted.status()).isEqualTo(303);
        assertThat(deleted.location()).isEqualTo("/admin/agreements?module=locations&parties=" + ours()
                + "&done=deleted");

        ConsoleHttp.Answer nobody = viewer.get("/admin/agreements?parties=XX%2F", "Accept", "text/html");
        assertThat(nobody.status()).isEqualTo(200);
        assertThat(nobody.body()).contains("id=\"no-match\"").doesNotContain("id=\"matrix\"");
    }

    @Test
    void aMatrixOfMoreThanFortyPartiesShowsFortyAndSaysHowToSeeTheOthers() {
        List<String> more = new ArrayList<>();
        try {
            for (int i = 0; i < AgreementMatrix.MAX_PARTIES + 1; i++) {
                more.add(created(hub, "Agreements crowd", Parties.emsp()));
            }
            String page = operator.get("/admin/agreements", "Accept", "text/html").body();
            assertThat(page.split("<th scope=\"row\">", -1)).hasSize(AgreementMatrix.MAX_PARTIES + 1);
            Matcher cut = Pattern.compile("id=\"matrix-cut\"[^>]*>Showing the first\\s*<span>(\\d+)</span> of "
                    + "<span>(\\d+)</span> parties").matcher(page);
            assertThat(cut.find()).as("the notice that the matrix is cut").isTrue();
            assertThat(Integer.parseInt(cut.group(1))).isEqualTo(AgreementMatrix.MAX_PARTIES);
            assertThat(Integer.parseInt(cut.group(2))).isGreaterThanOrEqualTo(AgreementMatrix.MAX_PARTIES + 3);
            // the create form still offers every party, also those the matrix leaves out
            assertThat(page).contains("value=\"" + label(cpo) + "\"").contains("value=\"" + label(emsp) + "\"");
        } finally {
            more.forEach(id -> hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null));
        }
    }

    /** The two parties of this test as the matrix's filter, URL-encoded. */
    private static String ours() {
        return URLEncoder.encode(label(cpo) + " " + label(emsp), StandardCharsets.UTF_8);
    }

    /** Creates an agreement for one module between the two parties as the operator; returns its id. */
    private static String createAsOperator(String module) {
        ConsoleHttp.Answer created = operator.postForm("/admin/agreements",
                form(operator.csrfToken("/admin/agreements"), "modules", module), "Accept", "text/html");
        assertThat(created.status()).as(created.body()).isEqualTo(303);
        assertThat(created.location()).isEqualTo("/admin/agreements?module=locations&done=created");
        String id = agreementId(operator.get("/admin/agreements", "Accept", "text/html").body());
        assertThat(id).isNotNull();
        return id;
    }

    private static void deleteAsOperator(String id) {
        ConsoleHttp.Answer deleted = operator.postForm("/admin/agreements/" + id + "/delete",
                Map.of("_csrf", operator.csrfToken("/admin/agreements")), "Accept", "text/html");
        assertThat(deleted.status()).isEqualTo(303);
        assertThat(deleted.location()).isEqualTo("/admin/agreements?module=locations&done=deleted");
    }

    /** The create form for the CPO and the eMSP, with {@code field=value}; without {@code _csrf} when token is null. */
    private static Map<String, String> form(String token, String field, String value) {
        Map<String, String> form = new LinkedHashMap<>();
        if (token != null) {
            form.put("_csrf", token);
        }
        form.put("party_a", label(cpo));
        form.put("party_b", label(emsp));
        form.put(field, value);
        return form;
    }

    /** The id of the agreement between the CPO and the eMSP listed on the page, or null. */
    private static String agreementId(String html) {
        Matcher m = Pattern.compile("data-agreement=\"([0-9a-f-]{36})\" data-pair=\"" + Pattern.quote(label(emsp)
                + " " + label(cpo)) + "\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    private static String cellMarker(String row, String column, String state) {
        return "data-row=\"" + row + "\" data-column=\"" + column + "\" data-state=\"" + state + "\"";
    }

    private static String fieldProblem(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(html);
        return m.find() ? m.group(1).replace("&#39;", "'") : "";
    }

    private static ConsoleHttp signedIn(RunningHub on, String prefix, String role) {
        String name = ConsoleAccessTest.unique(prefix);
        AdminClient.Answer account = on.admin().post("/accounts", Map.of("username", name, "role", role));
        assertThat(account.status()).as(account.error()).isEqualTo(201);
        ConsoleHttp http = new ConsoleHttp(on.url());
        assertThat(http.signIn(name, account.text("password")).location()).isEqualTo("/admin");
        return http;
    }

    private static String created(RunningHub on, String name, PartyRole role) {
        AdminClient.Answer answer = on.admin().createPlatform(name + " " + role.partyId(), List.of(role));
        assertThat(answer.status()).as(answer.error()).isEqualTo(201);
        return answer.text("id");
    }

    private static String label(PartyRole p) {
        return p.countryCode() + "/" + p.partyId();
    }
}
