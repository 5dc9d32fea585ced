package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SentRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Siblings of the attack findings 2 to 5 (AttackFindingsTest), end to end on the shared test hub: what a receiver
 * writes into the head of its answer reaches the requester only as the hub understood it, on routed requests and on
 * relays alike; a response_url query parameter is rewritten in the spec's spelling only.
 */
class RelayedAnswerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LOCATIONS_SENDER = SimulatedPlatform.modulePath("locations", "SENDER");
    private static final String COMMANDS_SENDER = SimulatedPlatform.modulePath("commands", "SENDER");

    /** The Link header the CPO puts on its locations page (null: none). */
    private static final AtomicReference<String> cpoLink = new AtomicReference<>();

    private static RunningHub hub;
    private static PartyRole cpoRole;
    private static PartyRole emspRole;
    private static PartyRole stranger;
    private static SimulatedPlatform cpo;
    private static SimulatedPlatform emsp;
    private static String cpoId;
    private static String emspId;

    @BeforeAll
    static void start() {
        hub = RunningHub.shared();
        cpoRole = Parties.cpo();
        emspRole = Parties.emsp();
        stranger = Parties.cpo();
        cpo = SimulatedPlatform.builder().name("answer-cpo").role(cpoRole)
                .modules("locations:SENDER", "commands:RECEIVER", "chargingprofiles:RECEIVER",
                        "hubclientinfo:RECEIVER")
                .route("GET", LOCATIONS_SENDER, request -> {
                    OcpiReply page = OcpiReply.ok(JsonNodeFactory.instance.arrayNode());
                    String link = cpoLink.get();
                    return Mono.just(link == null ? page : page.withHeader("Link", link));
                })
                .start();
        // the eMSP answers every CommandResult in the name of a third party
        emsp = SimulatedPlatform.builder().name("answer-emsp").role(emspRole)
                .modules("locations:RECEIVER", "commands:SENDER", "chargingprofiles:SENDER", "hubclientinfo:RECEIVER")
                .route("POST", COMMANDS_SENDER + "/**", request -> Mono.just(OcpiReply.ok(null)
                        .withHeader("OCPI-from-country-code", stranger.countryCode())
                        .withHeader("OCPI-from-party-id", stranger.partyId())
                        .withHeader("OCPI-to-country-code", stranger.countryCode())
                        .withHeader("OCPI-to-party-id", stranger.partyId())))
                .start();
        cpoId = RoutingParties.registerWith(hub, cpo, cpoRole);
        emspId = RoutingParties.registerWith(hub, emsp, emspRole);
    }

    @AfterAll
    static void stop() {
        RoutingParties.removeFrom(hub, cpo, cpoId);
        RoutingParties.removeFrom(hub, emsp, emspId);
    }

    @BeforeEach
    void reset() {
        cpoLink.set(null);
    }

    /**
     * Finding 3 on the relay path: the CPO posts its CommandResult to the hub URL it was given; the eMSP answers with
     * routing headers naming a third party; the CPO is told the answer comes from the eMSP and is meant for itself
     * (TF 4.1.8: a response via a hub carries to = requesting party, from = receiving party).
     */
    @Test
    void aRelayedResultIsAnsweredInTheOwnersNameOnly() {
        String original = emsp.commandResultUrl("spoof1");
        String body = "{\"response_url\":\"" + original + "\",\"token\":"
                + JSON.writeValueAsString(OcpiSamples.token(emspRole, "TOKSP", Instant.now()))
                + ",\"location_id\":\"LOC1\"}";

        SimulatedResponse answer = emsp.call("POST", hubEndpoint("commands:RECEIVER") + "/START_SESSION", body,
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);
        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();

        SentRequest result = cpo.awaitSent(s -> s.url().startsWith(hub.url() + "/ocpi/2.2.1/relay/"), WAIT);
        assertThat(result.answered()).as(result.line()).isTrue();
        assertThat(result.response().header("OCPI-from-country-code")).isEqualTo(emspRole.countryCode());
        assertThat(result.response().header("OCPI-from-party-id")).isEqualTo(emspRole.partyId());
        assertThat(result.response().header("OCPI-to-country-code")).isEqualTo(cpoRole.countryCode());
        assertThat(result.response().header("OCPI-to-party-id")).isEqualTo(cpoRole.partyId());
    }

    /** Finding 3, plain route: a receiver that writes no routing headers still gets the hub's on its answer. */
    @Test
    void aRoutedAnswerWithoutRoutingHeadersGetsTheHubs() {
        SimulatedResponse page = getLocations();

        assertThat(page.header("OCPI-from-party-id")).isEqualTo(cpoRole.partyId());
        assertThat(page.header("OCPI-from-country-code")).isEqualTo(cpoRole.countryCode());
        assertThat(page.header("OCPI-to-party-id")).isEqualTo(emspRole.partyId());
        assertThat(page.header("OCPI-to-country-code")).isEqualTo(emspRole.countryCode());
    }

    /** Finding 2 sibling: every parameter but rel is dropped; the rel is rebuilt as the hub writes it. */
    @Test
    void onlyTheRelOfALinkReachesTheRequester() {
        cpoLink.set("<" + cpo.baseUrl() + LOCATIONS_SENDER + "?offset=2&limit=2>; title=\"next page\"; "
                + "type=\"application/json\"; REL=next; anchor=\"" + cpo.baseUrl() + "/x\"");

        SimulatedResponse page = getLocations();

        assertThat(page.header("Link")).isEqualTo("<" + hubEndpoint("locations:SENDER")
                + "?offset=2&limit=2>; rel=\"next\"");
    }

    /**
     * Minor finding: a link under the receiver's endpoint whose suffix the hub's firewall would refuse is dropped,
     * not handed to the requester (who would get 400 following it), and not relayed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/%2e%2e/%2e%2e/credentials", "/..%2fcredentials", "/LOC%2F1", "/LOC1;x=1"})
    void aLinkWithAnEncodedDotOrSlashIsDropped(String suffix) {
        cpoLink.set("<" + cpo.baseUrl() + LOCATIONS_SENDER + suffix + ">; rel=\"next\"");

        SimulatedResponse page = getLocations();

        assertThat(page.httpStatus()).as(page.rawBody()).isEqualTo(200);
        assertThat(page.header("Link")).isNull();
    }

    /**
     * Finding 4 siblings: a name in another case, a {@code ;}-separated parameter, the parameter twice: refused by
     * the hub (200/2001 naming response_url, from = the hub), nothing forwarded.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Response_URL=%s", "RESPONSE_URL=%s", "duration=60;response_url=%s",
            "duration=60&;response_url=%s", "response_url=%s&response_url=%s", "%%72esponse_url=%s"})
    void anotherSpellingOfResponseUrlIsRefused(String spelling) {
        String url = URLEncoder.encode(emsp.chargingProfileResultUrl("sp"), StandardCharsets.UTF_8);
        String session = "SES-SP" + Math.abs(spelling.hashCode());
        String query = spelling.replace("%s", url).replace("%%", "%");
        if (!query.startsWith("duration")) {
            query = "duration=60&" + query;
        }

        SimulatedResponse answer = emsp.call("GET", hubEndpoint("chargingprofiles:RECEIVER") + "/" + session + "?"
                + query, null, RoutingParties.route(emspRole, cpoRole)).block(WAIT);

        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("response_url");
        assertThat(answer.header("OCPI-from-party-id")).isEqualTo("HUB");
        assertThat(cpo.received()).noneMatch(r -> r.path().endsWith("/" + session));
    }

    private static SimulatedResponse getLocations() {
        return emsp.call("GET", hubEndpoint("locations:SENDER") + "?limit=2", null,
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);
    }

    private static String hubEndpoint(String moduleInterface) {
        return emsp.hubEndpoints().get(moduleInterface);
    }
}
