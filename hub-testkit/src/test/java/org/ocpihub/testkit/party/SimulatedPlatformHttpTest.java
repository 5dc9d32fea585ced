package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/** Transport behaviour of a simulated platform: authorization, envelope, request ids, routing and recording. */
class SimulatedPlatformHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SimulatedPlatform platform;
    private OcpiClient raw;

    @BeforeEach
    void start() {
        platform = SimulatedPlatform.builder()
                .name("cpo-1")
                .role("CPO", "NL", "CPX", "Charge Co")
                .modules("locations:SENDER", "commands:RECEIVER")
                .route("POST", SimulatedPlatform.modulePath("commands", "RECEIVER") + "/**", request ->
                        Mono.just(OcpiReply.ok(JsonNodeFactory.instance.objectNode()
                                .put("result", "ACCEPTED").put("timeout", 30))))
                .start();
        raw = OcpiClient.create(TokenEncoding.BASE64);
    }

    @AfterEach
    void stop() {
        raw.close();
        platform.close();
    }

    @Test
    void versionsAndDetailsAreServedInTheEnvelope() {
        String tokenA = platform.issueTokenA();

        SimulatedResponse versions = raw.send("GET", platform.versionsUrl(), tokenA, null).block(TIMEOUT);
        SimulatedResponse details = raw.send("GET", platform.versionDetailsUrl(), tokenA, null).block(TIMEOUT);

        assertThat(versions.isSuccess()).isTrue();
        assertThat(versions.header("content-type")).isEqualTo("application/json");
        assertThat(versions.body().path("timestamp").stringValue())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(versions.data()).hasSize(1);
        assertThat(versions.data().get(0).path("version").stringValue()).isEqualTo("2.2.1");
        assertThat(versions.data().get(0).path("url").stringValue()).isEqualTo(platform.versionDetailsUrl());
        assertThat(details.data().path("endpoints")).extracting(e -> e.path("identifier").stringValue() + ":"
                        + e.path("role").stringValue() + " " + e.path("url").stringValue())
                .containsExactly(
                        "credentials:SENDER " + platform.credentialsUrl(),
                        "locations:SENDER " + platform.baseUrl() + "/ocpi/2.2.1/locations/sender",
                        "commands:RECEIVER " + platform.baseUrl() + "/ocpi/2.2.1/commands/receiver");
    }

    @Test
    void missingOrUnknownTokensGet401WithEnvelope() {
        SimulatedResponse none = raw.send("GET", platform.versionsUrl(), null, null).block(TIMEOUT);
        SimulatedResponse unknown = raw.send("GET", platform.versionsUrl(), "no-such-token", null).block(TIMEOUT);
        SimulatedResponse malformed = raw.send("GET", platform.versionsUrl(), null, null,
                Map.of("Authorization", "Bearer " + platform.issueTokenA())).block(TIMEOUT);

        for (SimulatedResponse response : new SimulatedResponse[] {none, unknown, malformed}) {
            assertThat(response.httpStatus()).isEqualTo(401);
            assertThat(response.statusCode()).isEqualTo(2000);
            assertThat(response.body().has("timestamp")).isTrue();
        }
        assertThat(platform.received()).hasSize(3);
    }

    @Test
    void requestIdsAreEchoed() {
        SimulatedResponse response = raw.send("GET", platform.versionsUrl(), platform.issueTokenA(), null,
                Map.of("X-Request-ID", "req-1", "X-Correlation-ID", "corr-1")).block(TIMEOUT);

        assertThat(response.header("X-Request-ID")).isEqualTo("req-1");
        assertThat(response.header("x-correlation-id")).isEqualTo("corr-1");
    }

    @Test
    void unknownPathsAnswer404AndWrongMethods405() {
        String tokenA = platform.issueTokenA();

        assertThat(raw.send("GET", platform.baseUrl() + "/ocpi/nothing", tokenA, null).block(TIMEOUT).httpStatus())
                .isEqualTo(404);
        assertThat(raw.send("PATCH", platform.credentialsUrl(), tokenA, "{}").block(TIMEOUT).httpStatus())
                .isEqualTo(405);
    }

    @Test
    void invalidCredentialsBodiesAreRejected() {
        String tokenA = platform.issueTokenA();

        SimulatedResponse notJson = raw.send("POST", platform.credentialsUrl(), tokenA, "{nope").block(TIMEOUT);
        SimulatedResponse noRoles = raw.send("POST", platform.credentialsUrl(), tokenA,
                "{\"token\":\"t\",\"url\":\"http://127.0.0.1:1/v\",\"roles\":[]}").block(TIMEOUT);

        assertThat(notJson.httpStatus()).isEqualTo(400);
        assertThat(noRoles.httpStatus()).isEqualTo(200);
        assertThat(noRoles.statusCode()).isEqualTo(2001);
    }

    @Test
    void unreachableClientApiGives3001() {
        String tokenA = platform.issueTokenA();
        String body = OcpiJson.write(OcpiJson.credentials("token-b", "http://127.0.0.1:9/ocpi/versions",
                platform.roles()));

        SimulatedResponse response = raw.send("POST", platform.credentialsUrl(), tokenA, body).block(TIMEOUT);

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.statusCode()).isEqualTo(3001);
    }

    @Test
    void customRoutesAndDefaultModuleAnswersServeTheRegisteredPeerAndAreRecorded() {
        try (SimulatedPlatform emsp = SimulatedPlatform.builder()
                .name("emsp-1")
                .role("EMSP", "DE", "EMX", "Drive Co")
                .start()) {
            assertThat(emsp.registerWith(platform.versionsUrl(), platform.issueTokenA()).block(TIMEOUT).isSuccess())
                    .isTrue();
            String commands = emsp.hubEndpoints().get("commands:RECEIVER");

            // a test thread waits for a request that another thread sends later
            CompletableFuture<RecordedRequest> awaited = CompletableFuture.supplyAsync(() ->
                    platform.awaitRequest(r -> r.path().endsWith("/START_SESSION"), TIMEOUT));
            SimulatedResponse command = emsp.call("POST", commands + "/START_SESSION", "{\"response_url\":\"x\"}",
                    Map.of("OCPI-to-party-id", "CPX")).block(TIMEOUT);

            assertThat(command.isSuccess()).isTrue();
            assertThat(command.data().path("result").stringValue()).isEqualTo("ACCEPTED");
            RecordedRequest recorded = awaited.join();
            assertThat(recorded.method()).isEqualTo("POST");
            assertThat(recorded.header("ocpi-to-party-id")).isEqualTo("CPX");
            assertThat(recorded.json().path("response_url").stringValue()).isEqualTo("x");

            SimulatedResponse locations = emsp.call("GET",
                    emsp.hubEndpoints().get("locations:SENDER") + "?offset=0&limit=10", null).block(TIMEOUT);
            assertThat(locations.isSuccess()).isTrue();
            assertThat(locations.data().isArray()).isTrue();
            RecordedRequest list = platform.awaitRequest(r -> "offset=0&limit=10".equals(r.query()), TIMEOUT);
            assertThat(list.path()).isEqualTo("/ocpi/2.2.1/locations/sender");

            assertThat(platform.awaitRequests(r -> r.method().equals("GET"), 3, TIMEOUT)).hasSize(3);
        }
    }

    @Test
    void awaitRequestFailsWithWhatArrived() {
        raw.send("GET", platform.versionsUrl(), platform.issueTokenA(), null).block(TIMEOUT);

        assertThatThrownBy(() -> platform.awaitRequest(r -> r.method().equals("DELETE"), Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /ocpi/versions");
    }

    @Test
    void callWithoutATokenForTheHubErrors() {
        assertThatThrownBy(() -> platform.call("GET", platform.versionsUrl(), null).block(TIMEOUT))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> platform.updateCredentials().block(TIMEOUT))
                .isInstanceOf(IllegalStateException.class);
    }
}
