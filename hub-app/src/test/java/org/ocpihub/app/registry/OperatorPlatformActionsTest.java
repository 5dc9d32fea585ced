package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.TokenEncoding;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.JsonNode;

/**
 * The operator services of issue 9 through the JSON admin API (PlatformOperations, AuditLog, status history, Hub
 * Client Info view): every action is audited with its result, success and failure; the status history catches the
 * database's changes whoever made them; a new token encoding is used on the hub's next call; the still-alive check
 * runs on demand; a failed hub-initiated registration says in operator words what to fix.
 */
class OperatorPlatformActionsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RunningHub hub = RunningHub.shared();
    private final AdminClient admin = hub.admin();

    // ---- audit log ----

    @Test
    void successesAndFailuresAreAuditedWithWhoWhatWhichPlatformAndResult() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Audited Co " + cpo.partyId(), List.of(cpo));
        String id = created.text("id");
        String tokenA = created.text("token_a");
        String newTokenA = admin.post("/platforms/" + id + "/token-a", null).text("token_a");
        assertThat(newTokenA).isNotBlank();
        assertThat(admin.post("/platforms/" + id + "/suspend", null).status()).isEqualTo(200);
        AdminClient.Answer badEncoding = admin.call(HttpMethod.PUT, "/platforms/" + id + "/token-encoding",
                Map.of("token_encoding", "ROT13"));
        assertThat(badEncoding.status()).isEqualTo(400);
        assertThat(badEncoding.error()).contains("token_encoding").contains("BASE64 or RAW");
        String nobody = UUID.randomUUID().toString();
        AdminClient.Answer unknown = admin.post("/platforms/" + nobody + "/reactivate", null);
        assertThat(unknown.status()).isEqualTo(404);
        // a refused create (the role is granted already) is audited with the name the operator gave
        AdminClient.Answer twice = admin.createPlatform("Audited Twice " + cpo.partyId(), List.of(cpo));
        assertThat(twice.status()).isEqualTo(409);

        List<JsonNode> entries = entries(admin.get("/audit?platform=" + id));
        assertThat(entries).extracting(e -> e.get("action").asString() + " " + e.get("outcome").asString())
                .containsExactly("platform.token-encoding FAILED", "platform.suspend OK", "platform.token-a OK",
                        "platform.create OK");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.get("actor").asString()).isEqualTo("admin-token");
            assertThat(e.get("via").asString()).isEqualTo("api");
            assertThat(e.get("platform_name").asString()).isEqualTo("Audited Co " + cpo.partyId());
            assertThat(e.get("at").asString()).endsWith("Z");
        });
        assertThat(entries.get(0).get("detail").asString()).isEqualTo(badEncoding.error());
        assertThat(entries.get(1).get("detail").asString()).contains("SUSPENDED");

        JsonNode notFound = entries(admin.get("/audit?action=platform.reactivate&limit=50")).stream()
                .filter(e -> e.get("detail").asString().contains(nobody)).findFirst().orElseThrow();
        assertThat(notFound.get("outcome").asString()).isEqualTo("FAILED");
        assertThat(notFound.get("detail").asString()).isEqualTo(unknown.error());
        JsonNode refusedCreate = entries(admin.get("/audit?action=platform.create&limit=50")).stream()
                .filter(e -> ("Audited Twice " + cpo.partyId()).equals(e.path("platform_name").asString(null)))
                .findFirst().orElseThrow();
        assertThat(refusedCreate.get("outcome").asString()).isEqualTo("FAILED");
        assertThat(refusedCreate.get("detail").asString()).isEqualTo(twice.error());

        // filters: action prefix, actor, time; no token ever in the log
        assertThat(entries(admin.get("/audit?platform=" + id + "&action=platform.s")))
                .extracting(e -> e.get("action").asString()).containsExactly("platform.suspend");
        assertThat(entries(admin.get("/audit?platform=" + id + "&actor=someone-else"))).isEmpty();
        assertThat(entries(admin.get("/audit?platform=" + id + "&from=2999-01-01T00:00:00Z"))).isEmpty();
        assertThat(entries(admin.get("/audit?platform=" + id + "&limit=1"))).hasSize(1);
        assertThat(admin.get("/audit?limit=500").body().toString()).doesNotContain(tokenA, newTokenA);

        // delete: audited, and the entries outlive the platform (with its name)
        assertThat(admin.call(HttpMethod.DELETE, "/platforms/" + id, null).status()).isEqualTo(204);
        JsonNode deleted = entries(admin.get("/audit?platform=" + id)).get(0);
        assertThat(deleted.get("action").asString()).isEqualTo("platform.delete");
        assertThat(deleted.get("outcome").asString()).isEqualTo("OK");
        assertThat(deleted.get("platform_name").asString()).isEqualTo("Audited Co " + cpo.partyId());
    }

    @Test
    void badAuditQueriesAre400NamingTheParameter() {
        for (String[] row : new String[][] {{"platform=not-a-uuid", "platform"}, {"from=yesterday", "from"},
                {"to=2026-13-45", "to"}, {"limit=0", "limit"}, {"limit=many", "limit"}}) {
            AdminClient.Answer answer = admin.get("/audit?" + row[0]);
            assertThat(answer.status()).as(row[0]).isEqualTo(400);
            assertThat(answer.error()).as(row[0]).contains(row[1]).doesNotContain("Exception", "org.");
        }
    }

    // ---- status history ----

    @Test
    void statusHistoryFollowsCreateHandshakeSuspendReactivateNewestFirst() {
        PartyRole cpo = Parties.cpo();
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("history").role(cpo)
                .modules("locations:SENDER").start()) {
            String id = RoutingParties.registerWith(hub, platform, cpo);
            assertThat(admin.post("/platforms/" + id + "/suspend", null).status()).isEqualTo(200);
            assertThat(admin.post("/platforms/" + id + "/reactivate", null).status()).isEqualTo(200);

            AdminClient.Answer history = admin.get("/platforms/" + id + "/status-history");

            assertThat(history.status()).isEqualTo(200);
            List<String> changes = new ArrayList<>();
            history.body().forEach(c -> changes.add((c.get("old_status").isNull() ? "-" : c.get("old_status")
                    .asString()) + ">" + c.get("new_status").asString()));
            assertThat(changes).containsExactly("SUSPENDED>CONNECTED", "CONNECTED>SUSPENDED", "PLANNED>CONNECTED",
                    "->PLANNED");
            history.body().forEach(c -> assertThat(c.get("at").asString()).endsWith("Z"));
            assertThat(admin.get("/platforms/" + UUID.randomUUID() + "/status-history").status()).isEqualTo(404);
        }
    }

    // ---- token encoding ----

    @Test
    void aNewTokenEncodingIsUsedOnTheHubsNextCallToThePlatform() {
        PartyRole cpo = Parties.cpo();
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("encoding").role(cpo)
                .modules("locations:SENDER").start()) {
            String id = RoutingParties.registerWith(hub, platform, cpo);
            String tokenC = platform.tokenIssuedToHub().orElseThrow();
            assertThat(admin.get("/platforms/" + id).text("token_encoding")).isEqualTo("BASE64");

            AdminClient.Answer changed = admin.call(HttpMethod.PUT, "/platforms/" + id + "/token-encoding",
                    Map.of("token_encoding", "RAW"));

            assertThat(changed.status()).as(String.valueOf(changed.body())).isEqualTo(200);
            assertThat(changed.text("token_encoding")).isEqualTo("RAW");
            assertThat(changed.body().toString()).doesNotContain(tokenC);
            platform.clearReceived();
            assertThat(admin.post("/platforms/" + id + "/still-alive", null).status()).isEqualTo(200);
            RecordedRequest call = platform.awaitRequest(r -> r.path().equals("/ocpi/versions"), WAIT);
            assertThat(call.header("Authorization")).isEqualTo(TokenEncoding.RAW.authorizationHeader(tokenC));

            // and back, in any case
            admin.call(HttpMethod.PUT, "/platforms/" + id + "/token-encoding", Map.of("token_encoding", "base64"));
            platform.clearReceived();
            admin.post("/platforms/" + id + "/still-alive", null);
            assertThat(platform.awaitRequest(r -> r.path().equals("/ocpi/versions"), WAIT).header("Authorization"))
                    .isEqualTo(TokenEncoding.BASE64.authorizationHeader(tokenC));

            AdminClient.Answer missing = admin.call(HttpMethod.PUT, "/platforms/" + id + "/token-encoding",
                    Map.of("encoding", "RAW"));
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.error()).contains("token_encoding");
            AdminClient.Answer number = admin.call(HttpMethod.PUT, "/platforms/" + id + "/token-encoding",
                    "{\"token_encoding\": 1}");
            assertThat(number.status()).isEqualTo(400);
            assertThat(number.error()).contains("token_encoding");
        }
    }

    // ---- still-alive now ----

    @Test
    void stillAliveNowOnADeadPlatformCountsFailuresUntilOfflineAndBringsItBack() {
        PartyRole cpo = Parties.cpo();
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("alive-now").role(cpo)
                .modules("locations:SENDER").start()) {
            String id = RoutingParties.registerWith(hub, platform, cpo);
            AdminClient.Answer alive = admin.post("/platforms/" + id + "/still-alive", null);
            assertThat(alive.status()).isEqualTo(200);
            assertThat(alive.body().get("alive").asBoolean()).isTrue();
            assertThat(alive.text("status")).isEqualTo("CONNECTED");

            platform.faults(Fault.REFUSE_500);
            AdminClient.Answer first = admin.post("/platforms/" + id + "/still-alive", null);
            assertThat(first.body().get("alive").asBoolean()).isFalse();
            assertThat(first.text("status")).isEqualTo("CONNECTED");
            assertThat(first.text("message")).contains("did not answer").contains("1 of 3").contains("CONNECTED");
            AdminClient.Answer last = first;
            for (int i = 0; i < 2 && !"OFFLINE".equals(last.text("status")); i++) {
                last = admin.post("/platforms/" + id + "/still-alive", null);
            }
            assertThat(last.text("status")).isEqualTo("OFFLINE");
            assertThat(last.text("message")).contains("now OFFLINE");
            assertThat(admin.get("/platforms/" + id).text("status")).isEqualTo("OFFLINE");
            // the still-alive check's change is in the status history too (written by the database)
            assertThat(admin.get("/platforms/" + id + "/status-history").body().get(0).get("new_status").asString())
                    .isEqualTo("OFFLINE");

            platform.faults(Fault.NONE);
            AdminClient.Answer back = admin.post("/platforms/" + id + "/still-alive", null);
            assertThat(back.body().get("alive").asBoolean()).isTrue();
            assertThat(back.text("status")).isEqualTo("CONNECTED");
            assertThat(entries(admin.get("/audit?platform=" + id + "&action=platform.still-alive")))
                    .extracting(e -> e.get("detail").asString()).first().asString().contains("CONNECTED");
        }
    }

    @Test
    void stillAliveNowOnAPlannedPlatformIs409SayingWhy() {
        AdminClient.Answer created = admin.createPlatform("Planned Alive Co", List.of(Parties.cpo()));
        AdminClient.Answer answer = admin.post("/platforms/" + created.text("id") + "/still-alive", null);
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.error()).contains("PLANNED").contains("registered");
    }

    // ---- hub-initiated registration: what to fix ----

    @Test
    void registrationWithAVersionsUrlAnswering404SaysSo() {
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("reg-404").role(Parties.cpo())
                .modules("locations:SENDER").start()) {
            String id = admin.createPlatform("Reg 404 Co", platform.roles()).text("id");
            String wrong = platform.baseUrl() + "/ocpi/no-versions-here";

            AdminClient.Answer answer = admin.post("/platforms/" + id + "/register",
                    Map.of("versions_url", wrong, "token", platform.issueTokenA()));

            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.error()).contains("the platform's versions URL answered HTTP 404").contains(wrong)
                    .contains("check that the URL is right");
            assertAuditedFailure(id, answer.error());
        }
    }

    @Test
    void registrationWithAPlatformClaimingAnUngrantedRoleNamesTheRole() {
        PartyRole granted = Parties.cpo();
        PartyRole ungranted = Parties.emsp();
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("reg-role").role(granted).role(ungranted)
                .modules("locations:SENDER").start()) {
            String id = admin.createPlatform("Reg Role Co", List.of(granted)).text("id");

            AdminClient.Answer answer = admin.post("/platforms/" + id + "/register",
                    Map.of("versions_url", platform.versionsUrl(), "token", platform.issueTokenA()));

            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.error()).contains("the platform claims role EMSP DE/" + ungranted.partyId()
                    + ", which was not granted");
            assertAuditedFailure(id, answer.error());
        }
    }

    @Test
    void registrationWithAPlatformWithout221SaysSo() {
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("reg-211").role(Parties.cpo())
                .modules("locations:SENDER").faults(Fault.NO_MATCHING_VERSION, Fault.NONE).start()) {
            String id = admin.createPlatform("Reg 211 Co", platform.roles()).text("id");

            AdminClient.Answer answer = admin.post("/platforms/" + id + "/register",
                    Map.of("versions_url", platform.versionsUrl(), "token", platform.issueTokenA()));

            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.error()).contains("the platform offers no 2.2.1").contains("3002");
            assertAuditedFailure(id, answer.error());
        }
    }

    /** A sibling of the 404: the platform refuses the token the operator typed. */
    @Test
    void registrationWithATokenThePlatformRefusesSaysToCheckTheToken() {
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("reg-401").role(Parties.cpo())
                .modules("locations:SENDER").start()) {
            String id = admin.createPlatform("Reg 401 Co", platform.roles()).text("id");

            AdminClient.Answer answer = admin.post("/platforms/" + id + "/register",
                    Map.of("versions_url", platform.versionsUrl(), "token", "not-the-token-it-issued"));

            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.error()).contains("the platform's versions URL answered HTTP 401")
                    .contains("check the token");
            assertThat(answer.error()).doesNotContain("not-the-token-it-issued");
        }
    }

    // ---- Hub Client Info view ----

    @Test
    void clientInfoViewListsWhatHubClientInfoTellsThePlatform() {
        PartyRole mine = Parties.cpo();
        PartyRole other = Parties.emsp();
        try (SimulatedPlatform asker = SimulatedPlatform.builder().name("hci-view").role(mine)
                .modules("locations:SENDER", "hubclientinfo:RECEIVER").start()) {
            String id = RoutingParties.registerWith(hub, asker, mine);
            String otherId = admin.createPlatform("HCI View Other", List.of(other)).text("id");

            AdminClient.Answer view = admin.get("/platforms/" + id + "/client-info");

            assertThat(view.status()).isEqualTo(200);
            List<String> parties = new ArrayList<>();
            view.body().forEach(c -> parties.add(c.get("country_code").asString() + "/" + c.get("party_id")
                    .asString() + " " + c.get("role").asString() + " " + c.get("status").asString()));
            assertThat(parties).contains("DE/" + other.partyId() + " EMSP PLANNED")
                    .noneMatch(p -> p.startsWith("NL/" + mine.partyId() + " "));
            // the same as the platform's own GET hubclientinfo, all pages
            String hci = asker.hubEndpoints().get("hubclientinfo:SENDER");
            if (hci != null) {
                var own = asker.call("GET", hci, null).block(WAIT);
                assertThat(Integer.parseInt(own.header("X-Total-Count"))).isEqualTo(view.body().size());
            }
            assertThat(admin.get("/platforms/" + UUID.randomUUID() + "/client-info").status()).isEqualTo(404);
            admin.call(HttpMethod.DELETE, "/platforms/" + otherId, null);
        }
    }

    private void assertAuditedFailure(String platformId, String message) {
        List<JsonNode> entries = entries(admin.get("/audit?platform=" + platformId + "&action=platform.register"));
        assertThat(entries).isNotEmpty();
        assertThat(entries.get(0).get("outcome").asString()).isEqualTo("FAILED");
        assertThat(entries.get(0).get("detail").asString()).isEqualTo(message);
    }

    private static List<JsonNode> entries(AdminClient.Answer answer) {
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        answer.body().forEach(out::add);
        return out;
    }
}
