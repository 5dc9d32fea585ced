package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.router.relay.Relay;
import org.ocpihub.ocpi.module.RelayKind;
import org.ocpihub.router.relay.RelayStore;
import org.ocpihub.router.relay.RelayUrls;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the hub checks in a routed body before forwarding it, beyond the bad-input tables: every push body is read
 * strictly (JSON syntax, duplicate keys) whether or not a later step needs it, also when it arrives chunked, while a
 * push without a body still goes through and a checked body reaches the receiver byte for byte (never
 * re-serialised); and relay calls meet the same sender check as routed calls, GET relays (CDR Location) included.
 */
class RoutedBodyChecksTest extends SharedPartiesPerClass {

    private static final String CDRS_RECEIVER = SimulatedPlatform.modulePath("cdrs", "RECEIVER");

    @Test
    void aChunkedMalformedAuthorizeBodyIsRefusedBeforeForwarding() {
        String url = parties.hub("tokens:SENDER") + "/TOK-CHUNKED-BAD/authorize";
        Flux<ByteBuf> body = Flux.just("{\"location_id\":", "\"LOC1\"").map(part ->
                Unpooled.copiedBuffer(part, StandardCharsets.UTF_8));

        Answer answer = chunked(url, body, parties.cpoToEmsp());

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.body().get("status_code").asInt()).isEqualTo(2001);
        assertThat(answer.body().get("status_message").asString()).contains("JSON");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("TOK-CHUNKED-BAD"));
    }

    @Test
    void aChargingPreferencesBodyWithARepeatedKeyIsRefusedBeforeForwarding() {
        String url = parties.hub("sessions:SENDER") + "/SES-DUP-KEY/charging_preferences";

        SimulatedResponse answer = parties.emsp.call("PUT", url,
                "{\"profile_type\":\"FAST\",\"profile_type\":\"GREEN\"}", parties.emspToCpo()).block(WAIT);

        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("profile_type");
        assertThat(parties.cpo.received()).noneMatch(r -> r.path().contains("SES-DUP-KEY"));
    }

    @Test
    void anAuthorizeWithoutABodyIsStillForwarded() {
        String url = parties.hub("tokens:SENDER") + "/TOK-NO-BODY/authorize";

        SimulatedResponse answer = parties.cpo.call("POST", url, null, parties.cpoToEmsp()).block(WAIT);

        RecordedRequest atEmsp = parties.emsp.awaitRequest(r -> r.path().endsWith("/TOK-NO-BODY/authorize"), WAIT);
        assertThat(atEmsp.body()).isNullOrEmpty();
        // the eMSP does not know the token: its own answer, not a hub refusal
        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(2004);
    }

    @Test
    void aCheckedBodyReachesTheReceiverByteForByte() {
        String url = parties.hub("sessions:SENDER") + "/SES-BYTES/charging_preferences";
        String body = "{ \"profile_type\" : \"REGULAR\",\n  \"energy_need\": 12.50, \"discharge_allowed\":false,"
                + " \"x_note\": \"caf\\u00e9 \u00e9\" }";

        SimulatedResponse answer = parties.emsp.call("PUT", url, body, parties.emspToCpo()).block(WAIT);

        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(1000);
        RecordedRequest atCpo = parties.cpo.awaitRequest(r -> r.path().endsWith("/SES-BYTES/charging_preferences"),
                WAIT);
        assertThat(atCpo.bodyBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A CDR Location relay is read with GET and carries no body, but its caller still passes the sender check:
     * the other member's from-pair is 403/2001, no routing headers 400/2001, and only the caller's own from-pair
     * reaches the eMSP.
     */
    @Test
    void aCdrLocationRelayChecksTheFromPairLikeARoutedCall() {
        String cdrPath = CDRS_RECEIVER + "/CDR-RELAY-" + System.nanoTime();
        Relay relay = new Relay(RelayUrls.newId(), RelayKind.CDR_LOCATION, parties.emsp.baseUrl() + cdrPath,
                UUID.fromString(parties.emspPlatformId), party(parties.emspRole), party(parties.cpoRole), null,
                Instant.now().plus(Duration.ofHours(1)));
        hub.context().getBean(RelayStore.class).insert(relay).block(WAIT);
        String relayUrl = hub.url() + "/ocpi/2.2.1/relay/" + relay.id();

        SimulatedResponse spoofed = parties.cpo.call("GET", relayUrl, null,
                RoutingParties.route(parties.emspRole, parties.cpoRole)).block(WAIT);
        SimulatedResponse unaddressed = parties.cpo.call("GET", relayUrl, null, Map.of()).block(WAIT);

        assertThat(spoofed.httpStatus()).as(spoofed.rawBody()).isEqualTo(403);
        assertThat(spoofed.statusCode()).isEqualTo(2001);
        assertThat(spoofed.statusMessage()).contains("OCPI-from");
        assertThat(unaddressed.httpStatus()).as(unaddressed.rawBody()).isEqualTo(400);
        assertThat(unaddressed.statusCode()).isEqualTo(2001);
        assertThat(unaddressed.statusMessage()).contains("OCPI-from");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().equals(cdrPath));

        parties.cpo.call("GET", relayUrl, null, parties.cpoToEmsp()).block(WAIT);

        RecordedRequest atEmsp = parties.emsp.awaitRequest(r -> r.path().equals(cdrPath), WAIT);
        assertThat(atEmsp.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
        assertThat(parties.emsp.received()).filteredOn(r -> r.path().equals(cdrPath)).hasSize(1);
    }

    private static PartyId party(org.ocpihub.testkit.party.PartyRole role) {
        return PartyId.of(role.countryCode(), role.partyId());
    }

    record Answer(int status, JsonNode body) {
    }

    /** A POST whose body goes out in chunks (no Content-Length), as a streaming client sends it. */
    private static Answer chunked(String url, Flux<ByteBuf> body, Map<String, String> routing) {
        String token = Base64.getEncoder().encodeToString(parties.cpo.tokenForHub().orElseThrow()
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.create()
                .headers(h -> {
                    h.set("Authorization", "Token " + token);
                    h.set("Content-Type", "application/json");
                    routing.forEach(h::set);
                })
                .request(HttpMethod.POST).uri(url)
                .send(body)
                .responseSingle((response, bytes) -> bytes.asString(StandardCharsets.UTF_8).defaultIfEmpty("{}")
                        .map(text -> new Answer(response.status().code(), JsonMapper.shared().readTree(text))))
                .block(WAIT);
    }
}
