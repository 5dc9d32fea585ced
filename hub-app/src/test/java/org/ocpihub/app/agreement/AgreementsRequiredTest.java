package org.ocpihub.app.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.AsyncResultBehaviour;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 13 item 2: each effect of an agreement, on a hub with {@code hub.agreements.mode=required}, with simulated
 * platforms over real HTTP. The cast:
 * <ul>
 *   <li>{@code cpo} and {@code emsp}: an agreement for all modules;</li>
 *   <li>{@code cpo} and {@code stranger} (an eMSP): an agreement for tariffs only;</li>
 *   <li>{@code otherCpo}: no agreement with anybody.</li>
 * </ul>
 * Other test classes' platforms share the database; without agreements they are invisible here.
 */
class AgreementsRequiredTest {

    private static final Duration WAIT = RoutingParties.WAIT;
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final String EMSP_MODULES[] = {"tokens:SENDER", "locations:RECEIVER", "tariffs:RECEIVER",
            "commands:SENDER", "hubclientinfo:RECEIVER"};

    private static RunningHub hub;
    private static PartyRole cpoRole;
    private static PartyRole emspRole;
    private static PartyRole strangerRole;
    private static PartyRole otherCpoRole;
    private static SimulatedPlatform cpo;
    private static SimulatedPlatform emsp;
    private static SimulatedPlatform stranger;
    private static SimulatedPlatform otherCpo;
    private static final List<String> platformIds = new ArrayList<>();

    @BeforeAll
    static void hubAndParties() {
        hub = RunningHub.start(Map.of("hub.agreements.mode", "required"));
        cpoRole = Parties.cpo();
        emspRole = Parties.emsp();
        strangerRole = Parties.emsp();
        otherCpoRole = Parties.cpo();
        cpo = RoutingParties.cpo(cpoRole);
        otherCpo = RoutingParties.cpo(otherCpoRole);
        emsp = SimulatedPlatform.builder().name("agr-emsp").role(emspRole).modules(EMSP_MODULES).start();
        stranger = SimulatedPlatform.builder().name("agr-stranger").role(strangerRole).modules(EMSP_MODULES).start();
        platformIds.add(RoutingParties.registerWith(hub, cpo, cpoRole));
        platformIds.add(RoutingParties.registerWith(hub, emsp, emspRole));
        platformIds.add(RoutingParties.registerWith(hub, stranger, strangerRole));
        platformIds.add(RoutingParties.registerWith(hub, otherCpo, otherCpoRole));
        agree(cpoRole, emspRole, List.of("all"), null, null);
        agree(strangerRole, cpoRole, List.of("tariffs"), null, null);
    }

    @AfterAll
    static void close() {
        for (String id : platformIds) {
            hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null);
        }
        for (SimulatedPlatform p : new SimulatedPlatform[] {cpo, emsp, stranger, otherCpo}) {
            p.close();
        }
        hub.close();
    }

    private static Map<String, Object> party(PartyRole role) {
        return Map.of("country_code", role.countryCode(), "party_id", role.partyId());
    }

    private static AdminClient.Answer tryAgree(PartyRole a, PartyRole b, List<String> modules, String from,
                                               String until) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("party_a", party(a));
        body.put("party_b", party(b));
        body.put("modules", modules);
        if (from != null) {
            body.put("valid_from", from);
        }
        if (until != null) {
            body.put("valid_until", until);
        }
        return hub.admin().post("/agreements", body);
    }

    private static String agree(PartyRole a, PartyRole b, List<String> modules, String from, String until) {
        AdminClient.Answer created = tryAgree(a, b, modules, from, until);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.text("id");
    }

    private static String name(PartyRole role) {
        return role.countryCode() + "/" + role.partyId();
    }

    private static SimulatedResponse call(SimulatedPlatform from, String method, String url, String body,
                                          Map<String, String> headers) {
        return from.call(method, url, body, headers).block(WAIT);
    }

    private static String locationUrlAtHub(SimulatedPlatform asker, PartyRole owner, String id) {
        return asker.hubEndpoints().get("locations:SENDER") + "/" + owner.countryCode() + "/" + owner.partyId() + "/"
                + id;
    }

    private static SimulatedResponse broadcast(PartyRole owner, SimulatedPlatform platform, String module,
                                               ObjectNode object, String id) {
        String url = platform.hubEndpoints().get(module + ":RECEIVER") + "/" + owner.countryCode() + "/"
                + owner.partyId() + "/" + id;
        SimulatedResponse accepted = call(platform, "PUT", url, object.toString(), RoutingParties.route(owner, HUB));
        assertThat(accepted.statusCode()).as(accepted.rawBody()).isEqualTo(1000);
        return accepted;
    }

    private static boolean addressedTo(RecordedRequest r, PartyRole role) {
        return role.partyId().equals(r.header("OCPI-to-party-id"))
                && role.countryCode().equals(r.header("OCPI-to-country-code"));
    }

    @Test
    void directRoutingWithoutTheAgreementForTheModuleIsRefusedNamingIt() {
        String id = "AGR-DIRECT-1";
        cpo.locations().put(OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(1)));
        cpo.tariffs().put(OcpiSamples.tariff(cpoRole, "AGR-TARIFF-1", OcpiSamples.seedTime(1)));

        SimulatedResponse refused = call(stranger, "GET", stranger.hubEndpoints().get("locations:SENDER") + "/"
                + id, null, RoutingParties.route(strangerRole, cpoRole));

        assertThat(refused.httpStatus()).isEqualTo(403);
        assertThat(refused.statusCode()).isEqualTo(2000);
        assertThat(refused.statusMessage()).isEqualTo("no roaming agreement between " + name(strangerRole) + " and "
                + name(cpoRole) + " for module locations; the hub operator manages agreements");
        assertThat(cpo.received()).as("nothing was forwarded").noneMatch(r -> r.path().endsWith("/" + id)
                && addressedTo(r, cpoRole) && strangerRole.partyId().equals(r.header("OCPI-from-party-id")));

        // the module the agreement names goes through; the agreed eMSP reaches the location
        SimulatedResponse tariffs = call(stranger, "GET", stranger.hubEndpoints().get("tariffs:SENDER"), null,
                RoutingParties.route(strangerRole, cpoRole));
        assertThat(tariffs.isSuccess()).as(tariffs.rawBody()).isTrue();
        assertThat(tariffs.data().valueStream().map(t -> t.path("id").asString())).contains("AGR-TARIFF-1");
        SimulatedResponse agreed = call(emsp, "GET", emsp.hubEndpoints().get("locations:SENDER") + "/" + id, null,
                RoutingParties.route(emspRole, cpoRole));
        assertThat(agreed.isSuccess()).as(agreed.rawBody()).isTrue();
        assertThat(agreed.data().path("id").asString()).isEqualTo(id);
    }

    @Test
    void anAgreementCountsOnlyInsideItsWindow() {
        String future = agree(otherCpoRole, strangerRole, List.of("locations"), "2099-01-01T00:00:00Z", null);
        try {
            otherCpo.locations().put(OcpiSamples.location(otherCpoRole, "AGR-WINDOW", OcpiSamples.seedTime(1)));
            SimulatedResponse early = call(stranger, "GET", stranger.hubEndpoints().get("locations:SENDER")
                    + "/AGR-WINDOW", null, RoutingParties.route(strangerRole, otherCpoRole));

            assertThat(early.httpStatus()).isEqualTo(403);
            assertThat(early.statusMessage()).contains("for module locations is valid now (agreement " + future
                    + " is valid from 2099-01-01T00:00:00Z until no end)");
        } finally {
            assertThat(hub.admin().call(HttpMethod.DELETE, "/agreements/" + future, null).status()).isEqualTo(204);
        }
    }

    @Test
    void aBroadcastGoesOnlyToReceiversWithAnAgreementForItsModule() {
        String location = "AGR-BC-LOC";
        String tariff = "AGR-BC-TAR";
        broadcast(cpoRole, cpo, "locations", OcpiSamples.location(cpoRole, location, OcpiSamples.seedTime(2)),
                location);
        broadcast(cpoRole, cpo, "tariffs", OcpiSamples.tariff(cpoRole, tariff, OcpiSamples.seedTime(2)), tariff);

        emsp.awaitRequest(r -> r.path().endsWith("/" + location) && addressedTo(r, emspRole), WAIT);
        emsp.awaitRequest(r -> r.path().endsWith("/" + tariff) && addressedTo(r, emspRole), WAIT);
        stranger.awaitRequest(r -> r.path().endsWith("/" + tariff) && addressedTo(r, strangerRole), WAIT);
        // the stranger's tariff arrived; the location, pushed first, was never for it
        assertThat(stranger.received()).noneMatch(r -> r.path().endsWith("/" + location)
                && addressedTo(r, strangerRole));
        assertThat(otherCpo.received()).noneMatch(r -> r.path().contains("AGR-BC-"));
    }

    @Test
    void getAllViaTheHubShowsOnlyOwnersTheRequesterHasAnAgreementWith() {
        broadcast(otherCpoRole, otherCpo, "locations",
                OcpiSamples.location(otherCpoRole, "AGR-GA-OTHER", OcpiSamples.seedTime(3)), "AGR-GA-OTHER");
        broadcast(cpoRole, cpo, "locations", OcpiSamples.location(cpoRole, "AGR-GA-CPO", OcpiSamples.seedTime(3)),
                "AGR-GA-CPO");
        // the other CPO's location is stored (its owner sees it), and so is ours (the agreed eMSP sees it)
        await().atMost(WAIT).until(() -> ids(getAll(otherCpo, otherCpoRole)).contains("AGR-GA-OTHER"));
        await().atMost(WAIT).until(() -> ids(getAll(emsp, emspRole)).contains("AGR-GA-CPO"));

        List<JsonNode> seen = getAll(emsp, emspRole);
        assertThat(seen).extracting(o -> o.get("country_code").asString() + "/" + o.get("party_id").asString())
                .containsOnly(name(cpoRole));
        assertThat(ids(getAll(stranger, strangerRole))).as("tariffs only: no locations of anybody").isEmpty();
    }

    private static List<JsonNode> getAll(SimulatedPlatform asker, PartyRole requester) {
        SimulatedResponse page = call(asker, "GET", asker.hubEndpoints().get("locations:SENDER") + "?limit=100",
                null, RoutingParties.route(requester, HUB));
        assertThat(page.isSuccess()).as(page.rawBody()).isTrue();
        List<JsonNode> objects = new ArrayList<>();
        page.data().forEach(objects::add);
        return objects;
    }

    private static List<String> ids(List<JsonNode> objects) {
        return objects.stream().map(o -> o.get("id").asString()).toList();
    }

    @Test
    void hubClientInfoListsOnlyPartiesTheMemberMayCommunicateWithAndTellsTheAgreedOnes() {
        PartyRole agreedRole = Parties.cpo();
        PartyRole strangeRole = Parties.cpo();
        AdminClient admin = hub.admin();
        String agreedId = admin.createPlatform("agr-hci-agreed", List.of(agreedRole)).text("id");
        String strangeId = admin.createPlatform("agr-hci-strange", List.of(strangeRole)).text("id");
        try {
            agree(agreedRole, emspRole, List.of("locations"), null, null);

            List<String> listed = new ArrayList<>();
            SimulatedResponse list = call(emsp, "GET", emsp.hubEndpoints().get("hubclientinfo:SENDER")
                    + "?limit=1000", null, Map.of());
            assertThat(list.statusCode()).isEqualTo(1000);
            list.data().forEach(i -> listed.add(i.get("country_code").asString() + "/" + i.get("party_id")
                    .asString()));
            assertThat(listed).contains(name(cpoRole), name(agreedRole))
                    .doesNotContain(name(strangeRole), name(otherCpoRole), name(strangerRole));

            admin.post("/platforms/" + strangeId + "/suspend", null);
            admin.post("/platforms/" + agreedId + "/suspend", null);
            emsp.awaitRequest(r -> r.path().endsWith("/" + agreedRole.partyId()) && r.json() != null
                    && "SUSPENDED".equals(r.json().path("status").asString()), WAIT);
            // That a party without an agreement is not told is shown by EligibleReceiversAgreementsTest, not here:
            // Hub Client Info changes are relayed by whichever instance holds the outbox lease, and in the test JVM
            // that may be the shared hub, in open mode, on the same database (a real network has one mode).
        } finally {
            admin.call(HttpMethod.DELETE, "/platforms/" + agreedId, null);
            admin.call(HttpMethod.DELETE, "/platforms/" + strangeId, null);
        }
    }

    @Test
    void openRoutingConsidersOnlyOwnersInAnAgreement() {
        String theirs = "AGR-OR-OTHER";
        otherCpo.locations().put(OcpiSamples.location(otherCpoRole, theirs, OcpiSamples.seedTime(4)));
        broadcast(otherCpoRole, otherCpo, "locations", OcpiSamples.location(otherCpoRole, theirs,
                OcpiSamples.seedTime(4)), theirs);
        String ours = "AGR-OR-CPO";
        cpo.locations().put(OcpiSamples.location(cpoRole, ours, OcpiSamples.seedTime(4)));
        broadcast(cpoRole, cpo, "locations", OcpiSamples.location(cpoRole, ours, OcpiSamples.seedTime(4)), ours);

        // once the hub knows the owner (index or store), the agreed owner is reached and the other refused
        await().atMost(WAIT).untilAsserted(() -> {
            SimulatedResponse found = call(emsp, "GET", emsp.hubEndpoints().get("locations:SENDER") + "/" + ours,
                    null, RoutingParties.route(emspRole, null));
            assertThat(found.isSuccess()).as(found.rawBody()).isTrue();
            assertThat(found.header("OCPI-from-party-id")).isEqualTo(cpoRole.partyId());
        });
        await().atMost(WAIT).untilAsserted(() -> {
            SimulatedResponse refused = call(emsp, "GET", emsp.hubEndpoints().get("locations:SENDER") + "/"
                    + theirs, null, RoutingParties.route(emspRole, null));
            assertThat(refused.httpStatus()).as(refused.rawBody()).isEqualTo(403);
            assertThat(refused.statusMessage()).isEqualTo("no roaming agreement between " + name(emspRole)
                    + " and " + name(otherCpoRole) + " for module locations; the hub operator manages agreements");
        });
    }

    @Test
    void anUnknownCardIsAskedOnlyOfEmspsInAnAgreementForTokens() {
        String uid = "AGR-CARD-" + emspRole.partyId();

        SimulatedResponse answer = call(cpo, "POST", cpo.hubEndpoints().get("tokens:SENDER") + "/" + uid
                + "/authorize", null, RoutingParties.route(cpoRole, null));

        // the agreed eMSP does not know the card: the hub says so, having asked it alone
        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(2004);
        assertThat(answer.statusMessage()).contains("of the 1 party asked, 1 do not know it");
        emsp.awaitRequest(r -> r.path().endsWith("/" + uid + "/authorize"), WAIT);
        assertThat(stranger.received()).as("tariffs only: never asked about a card")
                .noneMatch(r -> r.path().endsWith("/" + uid + "/authorize"));
    }

    @Test
    void aRelayHandedOutKeepsWorkingAfterTheAgreementEnds() {
        String commands = agree(strangerRole, cpoRole, List.of("commands"), null, null);
        cpo.commandBehaviour(new AsyncResultBehaviour("ACCEPTED", 30, "ACCEPTED", Duration.ZERO, false));
        try {
            ObjectNode command = OcpiSamples.token(strangerRole, "AGR-TOK", Instant.now()).objectNode()
                    .put("response_url", stranger.commandResultUrl("agr-relay")).put("location_id", "LOC1");
            command.set("token", OcpiSamples.token(strangerRole, "AGR-TOK", Instant.now()));
            String start = stranger.hubEndpoints().get("commands:RECEIVER") + "/START_SESSION";
            SimulatedResponse sent = call(stranger, "POST", start, command.toString(),
                    RoutingParties.route(strangerRole, cpoRole));
            assertThat(sent.statusCode()).as(sent.rawBody()).isEqualTo(1000);
            String relay = cpo.awaitRequest(r -> r.path().endsWith("/START_SESSION") && r.bodyBytes().length > 0
                    && r.json().path("token").path("uid").asString().equals("AGR-TOK"), WAIT).json()
                    .path("response_url").asString();
            assertThat(relay).startsWith(hub.url() + "/ocpi/2.2.1/relay/");

            assertThat(hub.admin().call(HttpMethod.DELETE, "/agreements/" + commands, null).status()).isEqualTo(204);

            SimulatedResponse result = call(cpo, "POST", relay, "{\"result\":\"ACCEPTED\"}",
                    RoutingParties.route(cpoRole, strangerRole));
            assertThat(result.statusCode()).as(result.rawBody()).isEqualTo(1000);
            stranger.awaitRequest(r -> r.path().endsWith("/agr-relay"), WAIT);
            SimulatedResponse again = call(stranger, "POST", start, command.toString(),
                    RoutingParties.route(strangerRole, cpoRole));
            assertThat(again.httpStatus()).as("a new command needs the agreement").isEqualTo(403);
            assertThat(again.statusMessage()).contains("for module commands");
        } finally {
            cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED);
        }
    }
}
