package org.ocpihub.app.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.JsonNode;

/**
 * Issue 13 item 1: agreements in the admin API (400s naming the field, 404s, audit), the per-party mode, open mode
 * unchanged, and a change reaching another instance through {@code registry_changed}.
 */
class AgreementsAdminTest {

    private static final Duration WAIT = RoutingParties.WAIT;

    private static Map<String, Object> party(String cc, String pid) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("country_code", cc);
        p.put("party_id", pid);
        return p;
    }

    private static Map<String, Object> party(PartyRole role) {
        return party(role.countryCode(), role.partyId());
    }

    private static Map<String, Object> body(Object a, Object b, Object modules, String from, String until) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("party_a", a);
        body.put("party_b", b);
        body.put("modules", modules);
        if (from != null) {
            body.put("valid_from", from);
        }
        if (until != null) {
            body.put("valid_until", until);
        }
        return body;
    }

    @Test
    void badAgreementsAreRefusedNamingTheFieldAndAudited() {
        RunningHub hub = RunningHub.shared();
        AdminClient admin = hub.admin();
        PartyRole cpo = Parties.cpo();
        PartyRole emsp = Parties.emsp();
        String cpoId = admin.createPlatform("agr-admin-cpo", List.of(cpo)).text("id");
        String emspId = admin.createPlatform("agr-admin-emsp", List.of(emsp)).text("id");
        try {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("party_b: no platform hosts ZZ/QQQ; onboard the platform first",
                    toJson(body(party(cpo), party("ZZ", "QQQ"), List.of("locations"), null, null)));
            expected.put("modules[1]: unknown module 'foo'; one of cdrs, chargingprofiles, commands, locations, "
                    + "sessions, tariffs, tokens, or all",
                    toJson(body(party(cpo), party(emsp), List.of("tokens", "foo"), null, null)));
            expected.put("modules[0]: unknown module 'credentials'; one of cdrs, chargingprofiles, commands, "
                    + "locations, sessions, tariffs, tokens, or all",
                    toJson(body(party(cpo), party(emsp), List.of("credentials"), null, null)));
            expected.put("valid_until: must be after valid_from (2027-02-01T00:00:00Z), got 2027-01-01T00:00:00Z",
                    toJson(body(party(cpo), party(emsp), List.of("all"), "2027-02-01T00:00:00Z",
                            "2027-01-01T00:00:00Z")));
            expected.put("valid_from: not a DateTime (RFC 3339, e.g. 2027-01-01T00:00:00Z): 'next tuesday'",
                    toJson(body(party(cpo), party(emsp), List.of("all"), "next tuesday", null)));
            expected.put("party_b: must be another party than party_a (" + cpo.countryCode() + "/" + cpo.partyId()
                    + ")", toJson(body(party(cpo), party(cpo.countryCode().toLowerCase(),
                    cpo.partyId().toLowerCase()), List.of("all"), null, null)));
            expected.put("party_a.party_id: must be at most 3 printable ASCII characters, got 'TOOLONG'",
                    toJson(body(party("NL", "TOOLONG"), party(emsp), List.of("all"), null, null)));
            // siblings: the other field, the other party, a character outside printable ASCII (shown, not dropped)
            expected.put("party_b.country_code: must be at most 2 printable ASCII characters, got 'NLD'",
                    toJson(body(party(cpo), party("NLD", "ABC"), List.of("all"), null, null)));
            expected.put("party_b.party_id: must be at most 3 printable ASCII characters, got 'A\u00c9'",
                    toJson(body(party(cpo), party("NL", "A\u00c9"), List.of("all"), null, null)));
            expected.put("party_a.country_code: must be at most 2 printable ASCII characters, got 'N?'",
                    toJson(body(party("N\u0007", "ABC"), party(emsp), List.of("all"), null, null)));
            expected.put("modules: required, one or more of cdrs, chargingprofiles, commands, locations, sessions, "
                    + "tariffs, tokens, or all", toJson(body(party(cpo), party(emsp), List.of(), null, null)));
            expected.put("party_a: required, {\"country_code\": ..., \"party_id\": ...}",
                    "{\"party_b\":" + toJson(party(emsp)) + ",\"modules\":[\"all\"]}");
            expected.forEach((message, json) -> {
                AdminClient.Answer answer = admin.call(HttpMethod.POST, "/agreements", json);
                assertThat(answer.status()).as(json).isEqualTo(400);
                assertThat(answer.error()).as(json).isEqualTo(message);
            });
            AdminClient.Answer badFilter = admin.get("/agreements?party=NLALP");
            assertThat(badFilter.status()).isEqualTo(400);
            assertThat(badFilter.error()).isEqualTo("party: must be CC/PID, e.g. NL/ALP");
            assertThat(admin.get("/agreements/not-an-id").status()).isEqualTo(404);
            assertThat(admin.call(HttpMethod.DELETE, "/agreements/00000000-0000-4000-8000-000000000000", null)
                    .status()).isEqualTo(404);
            assertThat(admin.get("/agreements?party=" + cpo.countryCode() + "/" + cpo.partyId()).body()).isEmpty();

            AdminClient.Answer created = admin.post("/agreements", body(party(emsp), party(cpo),
                    List.of("tokens", "locations"), null, "2099-01-01T00:00:00Z"));
            assertThat(created.status()).isEqualTo(201);
            JsonNode view = created.body();
            assertThat(view.get("modules")).extracting(JsonNode::asString).containsExactly("locations", "tokens");
            assertThat(view.get("valid_until").asString()).isEqualTo("2099-01-01T00:00:00Z");
            assertThat(view.get("valid_from").isNull()).isTrue();
            assertThat(view.get("active").asBoolean()).isTrue();
            assertThat(view.get("created_by").asString()).contains("api");
            String id = view.get("id").asString();
            assertThat(admin.get("/agreements?party=" + cpo.countryCode() + "/" + cpo.partyId()).body())
                    .extracting(a -> a.get("id").asString()).containsExactly(id);
            assertThat(admin.call(HttpMethod.DELETE, "/agreements/" + id, null).status()).isEqualTo(204);
            assertThat(admin.get("/agreements/" + id).status()).isEqualTo(404);

            JsonNode audit = admin.get("/audit?action=agreement.create&limit=50").body();
            assertThat(audit).anySatisfy(e -> {
                assertThat(e.get("outcome").asString()).isEqualTo("FAILED");
                assertThat(e.get("detail").asString()).startsWith("modules[1]: unknown module 'foo'");
            });
            assertThat(audit).anySatisfy(e -> {
                assertThat(e.get("outcome").asString()).isEqualTo("OK");
                assertThat(e.get("detail").asString()).isEqualTo("agreement " + id + " for locations, tokens, "
                        + "valid until 2099-01-01T00:00:00Z");
            });
            assertThat(admin.get("/audit?action=agreement.delete&limit=50").body())
                    .anySatisfy(e -> assertThat(e.get("detail").asString()).contains(id + " for locations, tokens "
                            + "deleted"));
        } finally {
            admin.call(HttpMethod.DELETE, "/platforms/" + cpoId, null);
            admin.call(HttpMethod.DELETE, "/platforms/" + emspId, null);
        }
    }

    private static String toJson(Object value) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(value);
    }

    /**
     * Per-party mode: an operator moves a live network over party by party. Traffic between parties that did not opt
     * in flows as in open mode; once the CPO opts in, it needs agreements; opting out restores it. The other
     * instance (the shared hub, on the same database) has the agreement in its snapshot through LISTEN/NOTIFY.
     */
    @Test
    void perPartyModeGatesOnlyPartiesThatOptedInAndChangesReachEveryInstance() {
        try (RunningHub hub = RunningHub.start(Map.of("hub.agreements.mode", "per-party"));
             SimulatedPlatform cpo = RoutingParties.cpo(Parties.cpo());
             SimulatedPlatform emsp = SimulatedPlatform.builder().name("agr-pp-emsp").role(Parties.emsp())
                     .modules("locations:RECEIVER", "tokens:SENDER").start()) {
            PartyRole cpoRole = cpo.roles().get(0);
            PartyRole emspRole = emsp.roles().get(0);
            String cpoId = RoutingParties.registerWith(hub, cpo, cpoRole);
            String emspId = RoutingParties.registerWith(hub, emsp, emspRole);
            AdminClient admin = hub.admin();
            try {
                cpo.locations().put(OcpiSamples.location(cpoRole, "AGR-PP", OcpiSamples.seedTime(1)));
                String url = emsp.hubEndpoints().get("locations:SENDER") + "/AGR-PP";
                Map<String, String> route = RoutingParties.route(emspRole, cpoRole);

                assertThat(emsp.call("GET", url, null, route).block(WAIT).isSuccess()).as("nobody opted in").isTrue();

                AdminClient.Answer optIn = admin.call(HttpMethod.PUT, "/agreements/opt-ins/" + cpoRole.countryCode()
                        + "/" + cpoRole.partyId(), null);
                assertThat(optIn.status()).isEqualTo(200);
                assertThat(optIn.body().get("mode").asString()).isEqualTo("per-party");
                assertThat(optIn.body().get("opted_in")).anySatisfy(p -> assertThat(p.get("party_id").asString())
                        .isEqualTo(cpoRole.partyId()));
                SimulatedResponse refused = emsp.call("GET", url, null, route).block(WAIT);
                assertThat(refused.httpStatus()).isEqualTo(403);
                assertThat(refused.statusMessage()).contains("for module locations");

                PlatformRegistry other = RunningHub.shared().context().getBean(PlatformRegistry.class);
                String id = admin.post("/agreements", body(party(cpoRole), party(emspRole), List.of("locations"),
                        null, null)).text("id");
                long start = System.nanoTime();
                assertThat(emsp.call("GET", url, null, route).block(WAIT).isSuccess()).as("agreed").isTrue();

                // the other instance reloads on registry_changed (measured, not asserted: no timing in tests)
                await().atMost(WAIT).until(() -> other.snapshot().agreements().all().stream()
                        .anyMatch(a -> a.id().toString().equals(id)));
                System.out.printf("agreement visible on the other instance after %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);

                admin.call(HttpMethod.DELETE, "/agreements/" + id, null);
                assertThat(emsp.call("GET", url, null, route).block(WAIT).httpStatus()).isEqualTo(403);
                AdminClient.Answer optOut = admin.call(HttpMethod.DELETE, "/agreements/opt-ins/"
                        + cpoRole.countryCode() + "/" + cpoRole.partyId(), null);
                assertThat(optOut.status()).isEqualTo(200);
                assertThat(emsp.call("GET", url, null, route).block(WAIT).isSuccess()).as("opted out").isTrue();

                AdminClient.Answer unknown = admin.call(HttpMethod.PUT, "/agreements/opt-ins/ZZ/QQQ", null);
                assertThat(unknown.status()).isEqualTo(400);
                assertThat(unknown.error()).isEqualTo("party: no platform hosts ZZ/QQQ; onboard the platform first");
            } finally {
                admin.call(HttpMethod.DELETE, "/platforms/" + cpoId, null);
                admin.call(HttpMethod.DELETE, "/platforms/" + emspId, null);
            }
        }
    }

    /** Open mode (the default) gates nothing: a pair without any agreement routes as before. */
    @Test
    void openModeRoutesWithoutAgreements() {
        RunningHub hub = RunningHub.shared();
        assertThat(hub.admin().get("/agreements/policy").body().get("mode").asString()).isEqualTo("open");
        try (RoutingParties parties = RoutingParties.register(hub)) {
            parties.cpo.locations().put(OcpiSamples.location(parties.cpoRole, "AGR-OPEN", OcpiSamples.seedTime(1)));
            SimulatedResponse answer = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/AGR-OPEN", null,
                    parties.emspToCpo()).block(WAIT);
            assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
            parties.closeAndRemove(hub);
        }
    }
}
