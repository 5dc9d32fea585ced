package org.ocpihub.router.openrouting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.StrictJson;
import org.ocpihub.ocpi.module.OwnerKind;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Open routing (TF 4.1.8.4, D6) without PostgreSQL: which owner the hub picks for each module, interface and id, and
 * 4001 naming the reason when it cannot. {@link OwnerIndex} is a class backed by PostgreSQL (there is no interface in
 * front of it), so the resolver is given a subclass that answers {@link OwnerIndex#owners} from a map and records
 * which index was asked; the index itself (memory, write-through, a miss read from the table, CiString keys) is
 * covered end to end by hub-app's {@code OpenRoutingTest}.
 */
class OpenRoutingResolverTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final PartyId HUB = PartyId.of("NL", "HUB");
    private static final PartyId EMSP = PartyId.of("DE", "EMS");
    private static final PartyId OTHER_EMSP = PartyId.of("BE", "EMX");
    private static final PartyId CPO = PartyId.of("NL", "CPO");
    private static final PartyId OTHER_CPO = PartyId.of("FR", "CPX");

    /** The owner index as routing reads it, in memory; {@code asked} lists "KIND id" per lookup. */
    private static final class KnownOwners extends OwnerIndex {

        private final Map<String, Set<PartyId>> owners = new HashMap<>();
        private final List<String> asked = new ArrayList<>();

        KnownOwners() {
            super(null);
        }

        KnownOwners with(OwnerKind kind, String id, PartyId... parties) {
            owners.put(kind + " " + id, Set.of(parties));
            return this;
        }

        @Override
        public void learn(OwnerKind kind, String objectId, PartyId owner) {
            throw new AssertionError("resolving must not learn");
        }

        @Override
        public Mono<Set<PartyId>> owners(OwnerKind kind, String objectId) {
            asked.add(kind + " " + objectId);
            return Mono.just(owners.getOrDefault(kind + " " + objectId, Set.of()));
        }
    }

    private final KnownOwners index = new KnownOwners()
            .with(OwnerKind.TOKEN, "TOK1", EMSP)
            .with(OwnerKind.LOCATION, "LOC1", CPO)
            .with(OwnerKind.SESSION_CPO, "SES1", CPO)
            .with(OwnerKind.SESSION_EMSP, "SES1", EMSP)
            .with(OwnerKind.RESERVATION, "RES1", OTHER_CPO)
            .with(OwnerKind.LOCATION, "SHARED", CPO, OTHER_CPO);
    private final OpenRoutingResolver resolver = new OpenRoutingResolver(index);

    // ---- who the request goes to ----

    @ParameterizedTest(name = "{0} {1} → {3}")
    @CsvSource(delimiter = '|', value = {
            // an eMSP asks a CPO: the object's id names the CPO through the index
            "GET|/locations/sender/LOC1|LOCATION LOC1|NL/CPO",
            "GET|/locations/sender/LOC1/EVSE1/1|LOCATION LOC1|NL/CPO",
            "POST|/tokens/sender/TOK1/authorize|TOKEN TOK1|DE/EMS",
            "PUT|/sessions/sender/SES1/charging_preferences|SESSION_CPO SES1|NL/CPO",
            "PUT|/chargingprofiles/receiver/SES1|SESSION_CPO SES1|NL/CPO",
            "GET|/chargingprofiles/receiver/SES1|SESSION_CPO SES1|NL/CPO",
            "DELETE|/chargingprofiles/receiver/SES1|SESSION_CPO SES1|NL/CPO",
            // a CPO's session update without cdr_token: the eMSP the session was learned for
            "PATCH|/sessions/receiver/NL/CPO/SES1|SESSION_EMSP SES1|DE/EMS"})
    void theOwnerComesFromTheIndexForTheObjectInTheUrl(String method, String suffix, String lookup, String owner) {
        assertThat(resolve(method, suffix, "{}")).isEqualTo(party(owner));
        assertThat(index.asked).containsExactly(lookup);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "PUT|/sessions/receiver/NL/CPO/SES7",
            "PATCH|/sessions/receiver/NL/CPO/SES1",
            "POST|/cdrs/receiver"})
    void sessionsAndCdrsGoToTheCdrTokensPartyWithoutAnyLookup(String method, String suffix) {
        String body = "{\"id\":\"X\",\"cdr_token\":{\"uid\":\"TOK9\",\"country_code\":\"BE\",\"party_id\":\"EMX\"}}";

        assertThat(resolve(method, suffix, body)).isEqualTo(OTHER_EMSP);
        assertThat(index.asked).isEmpty();
    }

    /** D6: the {country_code}/{party_id} in a URL names the data owner (the caller), never the receiver. */
    @Test
    void theUrlsPartySegmentsAreNeverTheReceiver() {
        assertThat(resolve("PATCH", "/sessions/receiver/DE/EMS/SES1", "{}")).isEqualTo(EMSP);
        assertThat(index.asked).containsExactly("SESSION_EMSP SES1");
        index.asked.clear();
        assertThat(resolve("PUT", "/sessions/receiver/DE/EMS/SES1",
                "{\"cdr_token\":{\"country_code\":\"BE\",\"party_id\":\"EMX\"}}")).isEqualTo(OTHER_EMSP);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "START_SESSION|{\"location_id\":\"LOC1\",\"token\":{\"uid\":\"TOK1\"}}|LOCATION LOC1|NL/CPO",
            "RESERVE_NOW|{\"location_id\":\"LOC1\",\"reservation_id\":\"RES2\"}|LOCATION LOC1|NL/CPO",
            "UNLOCK_CONNECTOR|{\"location_id\":\"LOC1\",\"evse_uid\":\"E1\",\"connector_id\":\"1\"}|LOCATION LOC1|NL/CPO",
            "STOP_SESSION|{\"session_id\":\"SES1\"}|SESSION_CPO SES1|NL/CPO",
            "CANCEL_RESERVATION|{\"reservation_id\":\"RES1\"}|RESERVATION RES1|FR/CPX",
            // a session or reservation id only counts for the command that is about it
            "START_SESSION|{\"session_id\":\"SES1\",\"location_id\":\"LOC1\"}|LOCATION LOC1|NL/CPO",
            "STOP_SESSION|{\"location_id\":\"LOC1\"}|LOCATION LOC1|NL/CPO"})
    void aCommandGoesToTheCpoOfItsLocationSessionOrReservation(String command, String body, String lookup,
                                                               String owner) {
        assertThat(resolve("POST", "/commands/receiver/" + command, body)).isEqualTo(party(owner));
        assertThat(index.asked).containsExactly(lookup);
    }

    // ---- 4001 with the reason ----

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET|/locations/sender",
            "GET|/sessions/sender",
            "GET|/cdrs/sender",
            "GET|/tokens/sender",
            "PUT|/tokens/receiver/DE/EMS/TOK1",
            "PUT|/locations/receiver/NL/CPO/LOC1",
            "GET|/tariffs/sender/TAR1",
            "PUT|/tariffs/receiver/NL/CPO/TAR1",
            "POST|/commands/sender/START_SESSION/1",
            "PUT|/chargingprofiles/receiver",
            "POST|/chargingprofiles/sender/SES1",
            "GET|/sessions/sender/SES1"})
    void whatTheHubCannotRouteWithoutToHeadersIs4001NamingTheRequest(String method, String suffix) {
        RoutingException refused = refusal(method, suffix, "{}");

        assertThat(refused.getMessage()).isEqualTo("the hub cannot find the receiver of " + method + " "
                + suffix.split("/")[1] + " " + suffix.split("/")[2].toUpperCase() + " without OCPI-to headers");
        assertThat(index.asked).isEmpty();
    }

    @Test
    void aCdrWithoutAWholeCdrTokenIs4001NamingTheField() {
        for (String body : List.of("{}", "{\"cdr_token\":{\"country_code\":\"DE\"}}",
                "{\"cdr_token\":{\"country_code\":\"\",\"party_id\":\"EMS\"}}",
                "{\"cdr_token\":{\"country_code\":\"DE\",\"party_id\":null}}",
                "{\"cdr_token\":{\"country_code\":\"DEU\",\"party_id\":\"EMSP\"}}")) {
            assertThat(refusal("POST", "/cdrs/receiver", body).getMessage()).as(body)
                    .isEqualTo("cannot route the CDR: no cdr_token.country_code/party_id");
        }
    }

    @Test
    void anUnknownIdIs4001NamingTheObject() {
        assertThat(refusal("GET", "/locations/sender/LOC9", "{}").getMessage())
                .isEqualTo("cannot find the receiver: the hub has not seen location LOC9; send OCPI-to headers");
        assertThat(refusal("POST", "/tokens/sender/TOK9/authorize", "{}").getMessage())
                .contains("has not seen token TOK9");
        assertThat(refusal("PATCH", "/sessions/receiver/NL/CPO/SES9", "{}").getMessage())
                .contains("has not seen session SES9");
        assertThat(refusal("POST", "/commands/receiver/CANCEL_RESERVATION", "{\"reservation_id\":\"RES9\"}")
                .getMessage()).contains("has not seen reservation RES9");
    }

    /** TF 4.1.8.4: an authorize for a token no index knows is asked of every eMSP; nothing else is. */
    @Test
    void onlyAnAuthorizeOfAnUnknownTokenIsAskedOfEveryCandidate() {
        var found = resolver.find(context("POST", "/tokens/sender/TOK9/authorize", "{}")).block(WAIT);
        assertThat(found.owner()).isNull();
        assertThat(found.askAll().kind()).isEqualTo(org.ocpihub.ocpi.module.OwnerKind.TOKEN);
        assertThat(found.askAll().id()).isEqualTo("TOK9");
        assertThat(found.askAll().askAll()).isSameAs(org.ocpihub.ocpi.module.AuthorizeAnswers.RULE);

        assertThat(resolver.find(context("POST", "/tokens/sender/TOK1/authorize", "{}")).block(WAIT).owner())
                .as("a token the index knows goes to its owner").isEqualTo(PartyId.of("DE", "EMS"));
        assertThatThrownBy(() -> resolver.find(context("GET", "/locations/sender/LOC9", "{}")).block(WAIT))
                .as("a Location nobody is known to own is refused, not asked of every CPO")
                .isInstanceOf(RoutingException.class);
    }

    /** A location id is unique only within a CPO: known at two, the hub does not guess. */
    @Test
    void anIdKnownAtTwoPartiesIs4001NamingThem() {
        RoutingException refused = refusal("POST", "/commands/receiver/START_SESSION", "{\"location_id\":\"SHARED\"}");

        assertThat(refused.getMessage()).startsWith("location SHARED is known at 2 parties [")
                .contains("NL/CPO").contains("FR/CPX").endsWith("; send OCPI-to headers");
    }

    @Test
    void aCommandNamingNothingTheHubCanUseIs4001() {
        for (String body : List.of("{}", "{\"location_id\":\"\"}", "{\"location_id\":null}",
                "{\"reservation_id\":\"RES1\"}")) {
            assertThat(refusal("POST", "/commands/receiver/START_SESSION", body).getMessage()).as(body)
                    .isEqualTo("cannot route command START_SESSION: no location_id, session_id or reservation_id "
                            + "the hub knows; send OCPI-to headers");
        }
        assertThat(index.asked).isEmpty();
    }

    // ---- helpers ----

    private PartyId resolve(String method, String suffix, String body) {
        return resolver.resolve(context(method, suffix, body)).block(WAIT);
    }

    private RoutingException refusal(String method, String suffix, String body) {
        RoutingException[] caught = new RoutingException[1];
        assertThatThrownBy(() -> resolve(method, suffix, body)).isInstanceOfSatisfying(RoutingException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(OcpiStatus.UNKNOWN_RECEIVER);
            caught[0] = e;
        });
        return caught[0];
    }

    /**
     * A request as the routing steps hand it on: no to-pair, the body buffered for a push and parsed once (as
     * {@code ObjectOwnerCheck} leaves it), nothing else learned.
     */
    private static RoutingContext context(String method, String suffix, String body) {
        String path = "/ocpi/2.2.1" + suffix;
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.method(HttpMethod.valueOf(method), path));
        ModuleCall call = ModuleCall.parse(path).orElseThrow();
        RoutingContext context = RoutingContext.start(exchange, null, call, HUB)
                .withHeaders(new RoutingHeaders(EMSP, Optional.empty()));
        return method.equals("GET") || method.equals("DELETE") ? context
                : context.withBody(body.getBytes(StandardCharsets.UTF_8))
                        .withBodyTree(StrictJson.readObject(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static PartyId party(String text) {
        String[] parts = text.split("/");
        return PartyId.of(parts[0], parts[1]);
    }
}
