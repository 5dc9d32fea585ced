package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.FreshPartiesPerTest;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.testkit.party.AsyncResultBehaviour;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SentRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import tools.jackson.databind.json.JsonMapper;

/**
 * Asynchronous callbacks through the hub (D5): the requester's {@code response_url} is replaced by a hub URL, the
 * receiver's later result reaches the original URL with the requester's token and from = receiver, to = requester;
 * an accepted command whose result never comes is answered TIMEOUT by the hub, exactly once. Shared hub:
 * {@code hub.routing.command-timeout-grace} is 1 s.
 */
class CallbacksTest extends FreshPartiesPerTest {

    private static final Duration WAIT = RoutingParties.WAIT;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COMMANDS_RECEIVER = SimulatedPlatform.modulePath("commands", "RECEIVER");
    private static final String PROFILES_RECEIVER = SimulatedPlatform.modulePath("chargingprofiles", "RECEIVER");

    // ---- Commands ----

    @Test
    void aCommandResultTravelsBackThroughTheHubToTheEmspsResponseUrl() {
        String original = emsp.commandResultUrl("c1");
        // unusual formatting, escaped slashes, non-ASCII text before the field, a nested response_url that is not
        // the command's, unknown fields: only the top-level value may change
        String literal = "\"" + original.replace("/", "\\/") + "\"";
        String body = "{\n  \"x_vendor\" : { \"response_url\" : \"https://nested.example/keep\", \"n\" : [1.50, 2e3] },"
                + "\n  \"x_note\": \"grüße ✓\",\n  \"response_url\"  :   " + literal + " ,\n  \"token\" : "
                + JSON.writeValueAsString(OcpiSamples.token(parties.emspRole, "TOKC1", Instant.now()))
                + ",\n  \"location_id\":\"LOC1\",   \"evse_uid\" : \"LOC1-1\"\n}\n";

        SimulatedResponse answer = send(emsp, "POST", commandUrl("START_SESSION"), body, parties.emspToCpo());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        assertThat(answer.data().path("result").asString()).isEqualTo("ACCEPTED");
        RecordedRequest atCpo = cpo.awaitRequest(isPost(COMMANDS_RECEIVER + "/START_SESSION"), WAIT);
        String hubUrl = replacedValue(body, literal, atCpo.bodyBytes());
        assertThat(hubUrl).matches(Pattern.quote(hub.url() + "/ocpi/2.2.1/relay/") + "[A-Za-z0-9_-]+");

        // the simulated CPO posts the CommandResult to the URL it was given
        SentRequest result = cpo.awaitSent(s -> s.url().equals(hubUrl), WAIT);
        RecordedRequest atEmsp = emsp.awaitRequest(isPost(URI.create(original).getPath()), WAIT);

        assertThat(atEmsp.json().path("result").asString()).isEqualTo("ACCEPTED");
        assertThat(atEmsp.body()).isEqualTo(result.body());
        assertThat(atEmsp.header("OCPI-from-country-code")).isEqualTo(parties.cpoRole.countryCode());
        assertThat(atEmsp.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
        assertThat(atEmsp.header("OCPI-to-country-code")).isEqualTo(parties.emspRole.countryCode());
        assertThat(atEmsp.header("OCPI-to-party-id")).isEqualTo(parties.emspRole.partyId());
        assertThat(atEmsp.header("Authorization")).isEqualTo(tokenHeader(emsp.tokenIssuedToHub().orElseThrow()));
        assertThat(atEmsp.header("X-Request-ID")).isNotBlank().isNotEqualTo(result.header("X-Request-ID"));
        assertThat(atEmsp.header("X-Correlation-ID")).isEqualTo(result.header("X-Correlation-ID"));
        // the CPO gets the eMSP's answer, with its own request id back
        assertThat(result.response().isSuccess()).as(result.line()).isTrue();
        assertThat(result.response().header("OCPI-from-party-id")).isEqualTo(parties.emspRole.partyId());
        assertThat(result.response().header("X-Request-ID")).isEqualTo(result.header("X-Request-ID"));
    }

    @Test
    void anAcceptedCommandWithoutResultGetsOneTimeoutFromTheHub() {
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.withTimeout(1).neverSendResult());
        Instant asked = Instant.now();

        SimulatedResponse answer = send(emsp, "POST", commandUrl("START_SESSION"),
                startSession(emsp.commandResultUrl("t1")), parties.emspToCpo());

        assertThat(answer.data().path("result").asString()).isEqualTo("ACCEPTED");
        assertThat(answer.data().path("timeout").asInt()).isEqualTo(1);
        RecordedRequest timeout = emsp.awaitRequest(isResultAt("t1"), Duration.ofSeconds(10));
        assertThat(timeout.json().path("result").asString()).isEqualTo("TIMEOUT");
        // the CPO's timeout (1 s) plus the grace period (1 s) passed first
        assertThat(Duration.between(asked, timeout.receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(timeout.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
        assertThat(timeout.header("OCPI-to-party-id")).isEqualTo(parties.emspRole.partyId());
        assertThat(timeout.header("Authorization")).isEqualTo(tokenHeader(emsp.tokenIssuedToHub().orElseThrow()));
        assertThat(timeout.header("X-Request-ID")).isNotBlank();

        // a second such command: once its TIMEOUT came, the hub's timeout checks ran for seconds after the first
        send(emsp, "POST", commandUrl("START_SESSION"), startSession(emsp.commandResultUrl("t2")),
                parties.emspToCpo());
        emsp.awaitRequest(isResultAt("t2"), Duration.ofSeconds(10));

        assertThat(emsp.received()).filteredOn(isResultAt("t1")).hasSize(1);
        assertThat(cpo.sent()).isEmpty();
    }

    @Test
    void aRejectedCommandNeverTimesOut() {
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.withResponse("REJECTED").withTimeout(1));

        SimulatedResponse rejected = send(emsp, "POST", commandUrl("START_SESSION"),
                startSession(emsp.commandResultUrl("r1")), parties.emspToCpo());

        assertThat(rejected.isSuccess()).as(rejected.rawBody()).isTrue();
        assertThat(rejected.data().path("result").asString()).isEqualTo("REJECTED");
        // an accepted command due at least 2 s after the rejected one would have been: when its TIMEOUT has come,
        // the hub's checks (one per second, in order) have long passed the rejected one's moment
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.withTimeout(3).neverSendResult());
        send(emsp, "POST", commandUrl("START_SESSION"), startSession(emsp.commandResultUrl("r2")),
                parties.emspToCpo());
        assertThat(emsp.awaitRequest(isResultAt("r2"), Duration.ofSeconds(15)).json().path("result").asString())
                .isEqualTo("TIMEOUT");

        assertThat(emsp.received()).noneMatch(isResultAt("r1"));
    }

    @Test
    void aCommandWithoutResponseUrlIsRefusedNamingTheField() {
        SimulatedResponse answer = send(emsp, "POST", commandUrl("STOP_SESSION"), "{\"session_id\":\"S1\"}",
                parties.emspToCpo());

        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("response_url");
        assertThat(cpo.received()).noneMatch(r -> r.path().startsWith(COMMANDS_RECEIVER));
    }

    // ---- ChargingProfiles ----

    @Test
    void aChargingProfileGetHasItsResponseUrlRewrittenInTheQuery() {
        String original = emsp.chargingProfileResultUrl("g1");
        String url = parties.hub("chargingprofiles:RECEIVER") + "/SES1?duration=900&response_url="
                + URLEncoder.encode(original, StandardCharsets.UTF_8);

        SimulatedResponse answer = send(emsp, "GET", url, null, parties.emspToCpo());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        assertThat(answer.data().path("result").asString()).isEqualTo("ACCEPTED");
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET")
                && r.path().equals(PROFILES_RECEIVER + "/SES1"), WAIT);
        String hubUrl = atCpo.queryParam("response_url");
        assertThat(hubUrl).startsWith(hub.url() + "/ocpi/2.2.1/relay/");
        assertThat(atCpo.query()).startsWith("duration=900&")
                .contains("response_url=" + URLEncoder.encode(hubUrl, StandardCharsets.UTF_8));

        SentRequest result = cpo.awaitSent(s -> s.url().equals(hubUrl), WAIT);
        RecordedRequest atEmsp = emsp.awaitRequest(isPost(URI.create(original).getPath()), WAIT);

        assertThat(result.response().isSuccess()).as(result.line()).isTrue();
        assertThat(atEmsp.json().path("result").asString()).isEqualTo("ACCEPTED");
        assertThat(atEmsp.json().path("profile").path("charging_profile").path("duration").asInt()).isEqualTo(900);
        assertThat(atEmsp.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
        assertThat(atEmsp.header("OCPI-to-party-id")).isEqualTo(parties.emspRole.partyId());
        assertThat(atEmsp.header("Authorization")).isEqualTo(tokenHeader(emsp.tokenIssuedToHub().orElseThrow()));
    }

    @Test
    void aSetChargingProfileHasItsResponseUrlRewrittenInTheBody() {
        String original = emsp.chargingProfileResultUrl("p1");
        String body = "{\"charging_profile\":{\"charging_rate_unit\":\"W\",\"charging_profile_period\":"
                + "[{\"start_period\":0,\"limit\":7400.0}]},\"response_url\":\"" + original + "\"}";

        SimulatedResponse answer = send(emsp, "PUT", parties.hub("chargingprofiles:RECEIVER") + "/SES2", body,
                parties.emspToCpo());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("PUT")
                && r.path().equals(PROFILES_RECEIVER + "/SES2"), WAIT);
        String hubUrl = replacedValue(body, "\"" + original + "\"", atCpo.bodyBytes());
        assertThat(hubUrl).startsWith(hub.url() + "/ocpi/2.2.1/relay/");

        SentRequest result = cpo.awaitSent(s -> s.url().equals(hubUrl), WAIT);
        RecordedRequest atEmsp = emsp.awaitRequest(isPost(URI.create(original).getPath()), WAIT);

        assertThat(result.response().isSuccess()).as(result.line()).isTrue();
        assertThat(atEmsp.json().path("result").asString()).isEqualTo("ACCEPTED");
        assertThat(atEmsp.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
        assertThat(atEmsp.header("OCPI-to-party-id")).isEqualTo(parties.emspRole.partyId());
    }

    // ---- relay protection ----

    @Test
    void aHubUrlWorksOnlyForThePlatformItWasGivenTo() {
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.neverSendResult());
        send(emsp, "POST", commandUrl("START_SESSION"), startSession(emsp.commandResultUrl("x1")),
                parties.emspToCpo());
        String hubUrl = cpo.awaitRequest(isPost(COMMANDS_RECEIVER + "/START_SESSION"), WAIT).json()
                .path("response_url").asString();

        SimulatedResponse byOther = send(emsp, "POST", hubUrl, "{\"result\":\"ACCEPTED\"}", parties.emspToCpo());

        assertThat(byOther.httpStatus()).isEqualTo(403);
        assertThat(byOther.statusCode()).isEqualTo(2001);
        assertThat(byOther.body().has("timestamp")).isTrue();
        assertThat(byOther.statusMessage()).contains(parties.cpoRole.partyId());
        assertThat(emsp.received()).noneMatch(isResultAt("x1"));

        SimulatedResponse unknown = send(cpo, "POST", hub.url() + "/ocpi/2.2.1/relay/no-such-relay",
                "{\"result\":\"ACCEPTED\"}", parties.cpoToEmsp());

        assertThat(unknown.httpStatus()).isEqualTo(404);
        assertThat(unknown.statusCode()).isBetween(2000, 2999);
        assertThat(unknown.statusMessage()).isNotBlank();
        assertThat(unknown.body().has("timestamp")).isTrue();

        // the CPO it was given to can still use it
        SimulatedResponse byCpo = send(cpo, "POST", hubUrl, "{\"result\":\"ACCEPTED\"}", parties.cpoToEmsp());
        assertThat(byCpo.isSuccess()).as(byCpo.rawBody()).isTrue();
        assertThat(emsp.awaitRequest(isResultAt("x1"), WAIT).json().path("result").asString())
                .isEqualTo("ACCEPTED");
    }

    // ---- helpers ----

    private SimulatedResponse send(SimulatedPlatform from, String method, String url, String body,
                                   Map<String, String> headers) {
        SimulatedResponse answer = from.call(method, url, body, headers).block(WAIT);
        answers.add(answer);
        return answer;
    }

    private String commandUrl(String command) {
        return parties.hub("commands:RECEIVER") + "/" + command;
    }

    private String startSession(String responseUrl) {
        return "{\"response_url\":\"" + responseUrl + "\",\"token\":"
                + JSON.writeValueAsString(OcpiSamples.token(parties.emspRole, "TOK1", Instant.now()))
                + ",\"location_id\":\"LOC1\"}";
    }

    private static Predicate<RecordedRequest> isPost(String path) {
        return r -> r.method().equals("POST") && r.path().equals(path);
    }

    private static Predicate<RecordedRequest> isResultAt(String id) {
        return r -> r.method().equals("POST") && r.path().equals(SimulatedPlatform.modulePath("commands", "SENDER")
                + "/" + id);
    }

    private static String tokenHeader(String token) {
        return "Token " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks that {@code received} is {@code sent} with only the JSON string {@code literal} replaced (every byte
     * before and after it identical) and returns the new value.
     */
    private static String replacedValue(String sent, String literal, byte[] received) {
        byte[] original = sent.getBytes(StandardCharsets.UTF_8);
        int start = sent.substring(0, sent.indexOf(literal)).getBytes(StandardCharsets.UTF_8).length;
        int end = start + literal.getBytes(StandardCharsets.UTF_8).length;
        byte[] before = Arrays.copyOfRange(original, 0, start);
        byte[] after = Arrays.copyOfRange(original, end, original.length);
        assertThat(received.length).isGreaterThan(before.length + after.length);
        assertThat(Arrays.copyOfRange(received, 0, start)).isEqualTo(before);
        assertThat(Arrays.copyOfRange(received, received.length - after.length, received.length)).isEqualTo(after);
        byte[] value = Arrays.copyOfRange(received, start, received.length - after.length);
        return JSON.readTree(value).asString();
    }
}
