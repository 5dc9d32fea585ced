package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands and ChargingProfiles between a simulated eMSP and CPO over real HTTP: the CPO answers synchronously, then
 * POSTs the asynchronous result to the {@code response_url} the eMSP serves.
 */
class SimulatedAsyncResultsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> EMSP_TO_CPO = Map.of(
            "OCPI-from-country-code", "DE", "OCPI-from-party-id", "EMX",
            "OCPI-to-country-code", "NL", "OCPI-to-party-id", "CPX");

    private SimulatedPlatform cpo;
    private SimulatedPlatform emsp;

    @BeforeEach
    void start() {
        cpo = SimulatedPlatform.builder()
                .name("cpo")
                .role("CPO", "NL", "CPX", "Charge Co")
                .modules("commands:RECEIVER", "chargingprofiles:RECEIVER")
                .start();
        emsp = SimulatedPlatform.builder()
                .name("emsp")
                .role("EMSP", "DE", "EMX", "Drive Co")
                .modules("commands:SENDER", "chargingprofiles:SENDER")
                .start();
        // the eMSP stands in for the hub: each is the other's registered peer
        assertThat(emsp.registerWith(cpo.versionsUrl(), cpo.issueTokenA()).block(TIMEOUT).isSuccess()).isTrue();
    }

    @AfterEach
    void stop() {
        emsp.close();
        cpo.close();
    }

    private SimulatedResponse command(String command, String responseUrl) {
        return emsp.call("POST", cpo.moduleUrl("commands", "RECEIVER") + "/" + command,
                "{\"response_url\":\"" + responseUrl + "\",\"location_id\":\"LOC1\",\"evse_uid\":\"E1\","
                        + "\"token\":{\"uid\":\"TOK1\"}}", EMSP_TO_CPO).block(TIMEOUT);
    }

    @Test
    void commandResponseThenCommandResultAtTheResponseUrl() {
        SimulatedResponse response = command("START_SESSION", emsp.commandResultUrl("c1"));

        assertThat(response.isSuccess()).isTrue();
        assertThat(response.data().path("result").stringValue()).isEqualTo("ACCEPTED");
        assertThat(response.data().path("timeout").intValue()).isEqualTo(30);
        assertThat(response.header("OCPI-to-party-id")).isEqualTo("EMX");
        assertThat(response.header("OCPI-from-party-id")).isEqualTo("CPX");

        RecordedRequest result = emsp.awaitRequest(r -> r.path().equals("/ocpi/2.2.1/commands/sender/c1"), TIMEOUT);
        assertThat(result.method()).isEqualTo("POST");
        assertThat(result.body()).isEqualTo("{\"result\":\"ACCEPTED\"}");
        assertThat(result.header("Authorization"))
                .isEqualTo(TokenEncoding.BASE64.authorizationHeader(emsp.tokenIssuedToHub().orElseThrow()));
        assertThat(result.header("OCPI-to-country-code")).isEqualTo("DE");
        assertThat(result.header("OCPI-to-party-id")).isEqualTo("EMX");
        assertThat(result.header("OCPI-from-country-code")).isEqualTo("NL");
        assertThat(result.header("OCPI-from-party-id")).isEqualTo("CPX");
        assertThat(result.header("X-Request-ID")).isNotBlank();

        SentRequest sent = cpo.awaitSent(s -> s.url().equals(emsp.commandResultUrl("c1")), TIMEOUT);
        assertThat(sent.response().isSuccess()).isTrue();
        assertThat(sent.body()).isEqualTo(result.body());
        assertThat(sent.header("X-Request-ID")).isEqualTo(result.header("X-Request-ID"));
        assertThat(sent.response().header("X-Request-ID")).isEqualTo(result.header("X-Request-ID"));
        // the eMSP's answer to the result is routed back to the CPO
        assertThat(sent.response().header("OCPI-to-party-id")).isEqualTo("CPX");
        assertThat(sent.response().header("OCPI-from-party-id")).isEqualTo("EMX");
    }

    @Test
    void neverSendingTheResult() {
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.withTimeout(5).neverSendResult());
        SimulatedResponse silent = command("STOP_SESSION", emsp.commandResultUrl("silent"));
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED);
        SimulatedResponse answered = command("STOP_SESSION", emsp.commandResultUrl("answered"));

        assertThat(silent.data().path("result").stringValue()).isEqualTo("ACCEPTED");
        assertThat(silent.data().path("timeout").intValue()).isEqualTo(5);
        assertThat(answered.isSuccess()).isTrue();
        emsp.awaitRequest(r -> r.path().endsWith("/answered"), TIMEOUT);
        cpo.awaitSent(s -> s.url().endsWith("/answered"), TIMEOUT);
        assertThat(emsp.received()).noneMatch(r -> r.path().endsWith("/silent"));
        assertThat(cpo.sent()).hasSize(1);
    }

    @Test
    void configuredResultAfterADelay() {
        Duration delay = Duration.ofMillis(300);
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.withResult("EVSE_OCCUPIED").withResultDelay(delay));
        Instant before = Instant.now();

        command("RESERVE_NOW", emsp.commandResultUrl("r1"));

        RecordedRequest result = emsp.awaitRequest(r -> r.path().endsWith("/r1"), TIMEOUT);
        assertThat(result.json().path("result").stringValue()).isEqualTo("EVSE_OCCUPIED");
        assertThat(Duration.between(before, result.receivedAt())).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void aRejectedCommandSendsNoResult() {
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.withResponse("REJECTED"));

        SimulatedResponse rejected = command("UNLOCK_CONNECTOR", emsp.commandResultUrl("u1"));

        assertThat(rejected.isSuccess()).isTrue();
        assertThat(rejected.data().path("result").stringValue()).isEqualTo("REJECTED");
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED);
        command("CANCEL_RESERVATION", emsp.commandResultUrl("u2"));
        emsp.awaitRequest(r -> r.path().endsWith("/u2"), TIMEOUT);
        assertThat(emsp.received()).noneMatch(r -> r.path().endsWith("/u1"));
    }

    @Test
    void invalidCommandsAreRefused() {
        SimulatedResponse unknown = command("SELF_DESTRUCT", emsp.commandResultUrl("x"));
        SimulatedResponse noUrl = emsp.call("POST", cpo.moduleUrl("commands", "RECEIVER") + "/START_SESSION",
                "{\"location_id\":\"LOC1\"}", EMSP_TO_CPO).block(TIMEOUT);
        SimulatedResponse notJson = emsp.call("POST", cpo.moduleUrl("commands", "RECEIVER") + "/START_SESSION",
                "{nope", EMSP_TO_CPO).block(TIMEOUT);

        assertThat(unknown.httpStatus()).isEqualTo(404);
        assertThat(noUrl.httpStatus()).isEqualTo(200);
        assertThat(noUrl.statusCode()).isEqualTo(2001);
        assertThat(notJson.httpStatus()).isEqualTo(400);
        assertThat(cpo.sent()).isEmpty();
    }

    @Test
    void activeChargingProfileIsPostedToTheResponseUrlInTheQuery() {
        String responseUrl = emsp.chargingProfileResultUrl("p1") + "?request_id=5678";

        SimulatedResponse response = emsp.call("GET", cpo.moduleUrl("chargingprofiles", "RECEIVER")
                + "/SES1?duration=900&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8),
                null, EMSP_TO_CPO).block(TIMEOUT);

        assertThat(response.isSuccess()).isTrue();
        assertThat(response.data().path("result").stringValue()).isEqualTo("ACCEPTED");
        assertThat(response.data().path("timeout").intValue()).isEqualTo(30);
        RecordedRequest result = emsp.awaitRequest(r -> r.path().endsWith("/chargingprofiles/sender/p1"), TIMEOUT);
        assertThat(result.query()).isEqualTo("request_id=5678");
        assertThat(result.json().path("result").stringValue()).isEqualTo("ACCEPTED");
        assertThat(result.json().path("profile").path("charging_profile").path("duration").intValue())
                .isEqualTo(900);
        assertThat(result.header("OCPI-to-party-id")).isEqualTo("EMX");
        assertThat(result.header("OCPI-from-party-id")).isEqualTo("CPX");
    }

    @Test
    void setAndClearChargingProfilePostTheirResults() {
        cpo.chargingProfileBehaviour(AsyncResultBehaviour.ACCEPTED.withTimeout(15).withResult("REJECTED"));
        String profiles = cpo.moduleUrl("chargingprofiles", "RECEIVER");

        SimulatedResponse set = emsp.call("PUT", profiles + "/SES1", "{\"charging_profile\":{\"charging_rate_unit\""
                + ":\"A\",\"charging_profile_period\":[{\"start_period\":0,\"limit\":16}]},\"response_url\":\""
                + emsp.chargingProfileResultUrl("set1") + "\"}", EMSP_TO_CPO).block(TIMEOUT);
        SimulatedResponse clear = emsp.call("DELETE", profiles + "/SES1?response_url="
                + URLEncoder.encode(emsp.chargingProfileResultUrl("clear1"), StandardCharsets.UTF_8), null,
                EMSP_TO_CPO).block(TIMEOUT);
        SimulatedResponse noUrl = emsp.call("DELETE", profiles + "/SES1", null, EMSP_TO_CPO).block(TIMEOUT);

        assertThat(set.data().path("timeout").intValue()).isEqualTo(15);
        assertThat(clear.data().path("result").stringValue()).isEqualTo("ACCEPTED");
        assertThat(emsp.awaitRequest(r -> r.path().endsWith("/set1"), TIMEOUT).body())
                .isEqualTo("{\"result\":\"REJECTED\"}");
        assertThat(emsp.awaitRequest(r -> r.path().endsWith("/clear1"), TIMEOUT).body())
                .isEqualTo("{\"result\":\"REJECTED\"}");
        assertThat(noUrl.statusCode()).isEqualTo(2001);
    }

    @Test
    void activeChargingProfileUpdatesAreStoredBySession() {
        String body = "{\"start_date_time\":\"2024-01-01T10:00:00Z\",\"charging_profile\":"
                + "{\"charging_rate_unit\":\"W\",\"charging_profile_period\":[{\"start_period\":0,\"limit\":7400}]}}";

        SimulatedResponse response = cpo.call("PUT", emsp.moduleUrl("chargingprofiles", "SENDER") + "/SES9", body,
                Map.of("OCPI-from-country-code", "NL", "OCPI-from-party-id", "CPX",
                        "OCPI-to-country-code", "DE", "OCPI-to-party-id", "EMX")).block(TIMEOUT);

        assertThat(response.isSuccess()).isTrue();
        assertThat(response.body().has("data")).isFalse();
        assertThat(emsp.receivedObjects("chargingprofiles").get("SES9")).hasValueSatisfying(
                p -> assertThat(p.path("start_date_time").stringValue()).isEqualTo("2024-01-01T10:00:00Z"));
    }

    @Test
    void resultUrlsAreServedWithoutTheSenderModuleListed() {
        try (SimulatedPlatform bare = SimulatedPlatform.builder().name("bare")
                .role("EMSP", "FR", "BAR", "Bare").start()) {
            // the CPO has one peer at a time: now the bare eMSP
            assertThat(bare.registerWith(cpo.versionsUrl(), cpo.issueTokenA()).block(TIMEOUT).isSuccess()).isTrue();

            SimulatedResponse response = bare.call("POST", cpo.moduleUrl("commands", "RECEIVER") + "/START_SESSION",
                    "{\"response_url\":\"" + bare.commandResultUrl("b1") + "\"}").block(TIMEOUT);

            assertThat(response.isSuccess()).isTrue();

            assertThat(bare.awaitRequest(r -> r.path().endsWith("/commands/sender/b1"), TIMEOUT).body())
                    .isEqualTo("{\"result\":\"ACCEPTED\"}");
        }
    }
}
