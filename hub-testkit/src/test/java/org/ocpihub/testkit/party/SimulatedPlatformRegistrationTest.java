package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two simulated platforms register with each other over real HTTP (CRED 7.1.1, 7.2). */
class SimulatedPlatformRegistrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SimulatedPlatform emsp;
    private SimulatedPlatform cpo;
    private OcpiClient raw;

    @BeforeEach
    void start() {
        emsp = SimulatedPlatform.builder()
                .name("emsp-1")
                .role("EMSP", "DE", "EMX", "Drive Co")
                .modules("tokens:SENDER", "locations:RECEIVER", "cdrs:RECEIVER")
                .requirePeerModules("locations:SENDER")
                .start();
        cpo = SimulatedPlatform.builder()
                .name("cpo-1")
                .role("CPO", "NL", "CPX", "Charge Co")
                .role("EMSP", "NL", "CPX", "Charge Co")
                .modules("locations:SENDER", "tariffs:SENDER", "tokens:RECEIVER")
                .start();
        raw = OcpiClient.create(TokenEncoding.BASE64);
    }

    @AfterEach
    void stop() {
        raw.close();
        cpo.close();
        emsp.close();
    }

    private RegistrationResult cpoRegistersWithEmsp(String tokenA) {
        return cpo.registerWith(emsp.versionsUrl(), tokenA).block(TIMEOUT);
    }

    private int statusOf(String method, String url, String token) {
        return raw.send(method, url, token, null).block(TIMEOUT).httpStatus();
    }

    private static String base64(String token) {
        return Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bothSidesEndWithEachOthersTokensEndpointsAndRoles() {
        String tokenA = emsp.issueTokenA();

        RegistrationResult result = cpoRegistersWithEmsp(tokenA);

        assertThat(result.isSuccess()).as("result %s", result).isTrue();
        String tokenC = result.tokenC();
        String tokenB = cpo.tokenIssuedToHub().orElseThrow();
        assertThat(tokenC).isNotEqualTo(tokenA).isNotEqualTo(tokenB);
        assertThat(cpo.tokenForHub()).contains(tokenC);
        assertThat(emsp.tokenIssuedToHub()).contains(tokenC);
        assertThat(emsp.tokenForHub()).contains(tokenB);
        assertThat(cpo.isRegistered()).isTrue();
        assertThat(emsp.isRegistered()).isTrue();

        assertThat(result.hubRoles()).containsExactly(new PartyRole("EMSP", "DE", "EMX", "Drive Co"));
        assertThat(cpo.hubRoles()).isEqualTo(result.hubRoles());
        assertThat(emsp.hubRoles()).containsExactlyElementsOf(cpo.roles());
        assertThat(result.hubEndpoints()).isEqualTo(cpo.hubEndpoints());
        assertThat(cpo.hubEndpoints())
                .containsEntry("credentials:SENDER", emsp.credentialsUrl())
                .containsEntry("tokens:SENDER", emsp.moduleUrl("tokens", "SENDER"))
                .containsEntry("locations:RECEIVER", emsp.moduleUrl("locations", "RECEIVER"))
                .containsEntry("cdrs:RECEIVER", emsp.moduleUrl("cdrs", "RECEIVER"))
                .hasSize(4);
        assertThat(emsp.hubEndpoints())
                .containsEntry("credentials:SENDER", cpo.credentialsUrl())
                .containsEntry("locations:SENDER", cpo.moduleUrl("locations", "SENDER"))
                .containsEntry("tariffs:SENDER", cpo.moduleUrl("tariffs", "SENDER"))
                .containsEntry("tokens:RECEIVER", cpo.moduleUrl("tokens", "RECEIVER"))
                .hasSize(4);
        assertThat(emsp.hubVersionsUrl()).contains(cpo.versionsUrl());
        assertThat(cpo.hubVersionsUrl()).contains(emsp.versionsUrl());

        // the sender used token A for versions, details and the POST, carrying token B
        assertThat(emsp.received()).extracting(RecordedRequest::line).containsExactly(
                "GET /ocpi/versions", "GET /ocpi/2.2.1", "POST /ocpi/2.2.1/credentials");
        assertThat(emsp.received()).allSatisfy(r ->
                assertThat(r.header("authorization")).isEqualTo("Token " + base64(tokenA)));
        RecordedRequest post = emsp.received().get(2);
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.json().path("token").stringValue()).isEqualTo(tokenB);
        assertThat(post.json().path("url").stringValue()).isEqualTo(cpo.versionsUrl());
        assertThat(post.json().path("roles")).hasSize(2);
        // the receiver fetched the sender's versions and details with token B before answering
        assertThat(cpo.received()).extracting(RecordedRequest::line)
                .containsExactly("GET /ocpi/versions", "GET /ocpi/2.2.1");
        assertThat(cpo.received()).allSatisfy(r ->
                assertThat(r.header("Authorization")).isEqualTo("Token " + base64(tokenB)));

        // both can now call each other's modules with the tokens they hold
        SimulatedResponse fromCpo = cpo.call("GET", cpo.hubEndpoints().get("tokens:SENDER"), null).block(TIMEOUT);
        assertThat(fromCpo.isSuccess()).isTrue();
        assertThat(fromCpo.data().isArray()).isTrue();
        SimulatedResponse fromEmsp = emsp.call("PUT", emsp.hubEndpoints().get("tokens:RECEIVER") + "/NL/CPX/T1",
                "{\"uid\":\"T1\"}").block(TIMEOUT);
        assertThat(fromEmsp.isSuccess()).isTrue();
        RecordedRequest pushed = cpo.awaitRequest(r -> r.method().equals("PUT"), TIMEOUT);
        assertThat(pushed.path()).isEqualTo("/ocpi/2.2.1/tokens/receiver/NL/CPX/T1");
        assertThat(pushed.json().path("uid").stringValue()).isEqualTo("T1");
    }

    @Test
    void credentialsGetReturnsTheServersCredentialsForTheCaller() {
        String tokenA = emsp.issueTokenA();
        SimulatedResponse beforeRegistration = raw.send("GET", emsp.credentialsUrl(), tokenA, null).block(TIMEOUT);
        assertThat(beforeRegistration.isSuccess()).isTrue();
        assertThat(beforeRegistration.data().path("token").stringValue()).isEqualTo(tokenA);

        cpoRegistersWithEmsp(tokenA);

        SimulatedResponse afterRegistration = cpo.call("GET", emsp.credentialsUrl(), null).block(TIMEOUT);
        assertThat(afterRegistration.isSuccess()).isTrue();
        assertThat(afterRegistration.data().path("token").stringValue()).isEqualTo(cpo.tokenForHub().orElseThrow());
        assertThat(afterRegistration.data().path("url").stringValue()).isEqualTo(emsp.versionsUrl());
        assertThat(afterRegistration.data().path("roles").get(0).path("party_id").stringValue()).isEqualTo("EMX");
        assertThat(afterRegistration.data().path("roles").get(0).path("business_details").path("name")
                .stringValue()).isEqualTo("Drive Co");
    }

    @Test
    void tokenAIsRefusedOnModulesBeforeAndEverywhereAfterRegistration() {
        String tokenA = emsp.issueTokenA();
        assertThat(statusOf("GET", emsp.versionsUrl(), tokenA)).isEqualTo(200);
        assertThat(statusOf("GET", emsp.moduleUrl("tokens", "SENDER"), tokenA)).isEqualTo(401);

        assertThat(cpoRegistersWithEmsp(tokenA).isSuccess()).isTrue();

        SimulatedResponse versions = raw.send("GET", emsp.versionsUrl(), tokenA, null).block(TIMEOUT);
        assertThat(versions.httpStatus()).isEqualTo(401);
        assertThat(versions.statusCode()).isEqualTo(2000);
        assertThat(versions.body().path("timestamp").stringValue()).endsWith("Z");
        assertThat(statusOf("GET", emsp.versionDetailsUrl(), tokenA)).isEqualTo(401);
        assertThat(statusOf("GET", emsp.credentialsUrl(), tokenA)).isEqualTo(401);
        // registering again with the used token A fails at the first step
        RegistrationResult again = cpoRegistersWithEmsp(tokenA);
        assertThat(again.isSuccess()).isFalse();
        assertThat(again.step()).isEqualTo("versions");
        assertThat(again.httpStatus()).isEqualTo(401);
    }

    @Test
    void postWhileRegisteredAnswers405AndChangesNothing() {
        cpoRegistersWithEmsp(emsp.issueTokenA());
        String tokenC = cpo.tokenForHub().orElseThrow();
        String tokenB = cpo.tokenIssuedToHub().orElseThrow();

        RegistrationResult again = cpo.postCredentials().block(TIMEOUT);

        assertThat(again.httpStatus()).isEqualTo(405);
        assertThat(again.isSuccess()).isFalse();
        assertThat(cpo.tokenForHub()).contains(tokenC);
        assertThat(cpo.tokenIssuedToHub()).contains(tokenB);
        assertThat(emsp.tokenIssuedToHub()).contains(tokenC);
        assertThat(statusOf("GET", emsp.versionsUrl(), tokenC)).isEqualTo(200);
    }

    @Test
    void putRefetchesEndpointsAndRotatesBothTokens() {
        cpoRegistersWithEmsp(emsp.issueTokenA());
        String oldC = cpo.tokenForHub().orElseThrow();
        String oldB = cpo.tokenIssuedToHub().orElseThrow();
        cpo.clearReceived();

        SimulatedResponse put = cpo.updateCredentials().block(TIMEOUT);

        assertThat(put.isSuccess()).as("PUT %s", put).isTrue();
        String newC = cpo.tokenForHub().orElseThrow();
        String newB = cpo.tokenIssuedToHub().orElseThrow();
        assertThat(put.data().path("token").stringValue()).isEqualTo(newC);
        assertThat(newC).isNotEqualTo(oldC);
        assertThat(newB).isNotEqualTo(oldB);
        assertThat(emsp.tokenIssuedToHub()).contains(newC);
        assertThat(emsp.tokenForHub()).contains(newB);
        // the receiver fetched the endpoints again, with the new token B
        assertThat(cpo.received()).extracting(RecordedRequest::line)
                .containsExactly("GET /ocpi/versions", "GET /ocpi/2.2.1");
        assertThat(cpo.received()).allSatisfy(r ->
                assertThat(r.header("Authorization")).isEqualTo("Token " + base64(newB)));

        assertThat(statusOf("GET", emsp.versionsUrl(), oldC)).isEqualTo(401);
        assertThat(statusOf("GET", emsp.versionsUrl(), newC)).isEqualTo(200);
        assertThat(statusOf("GET", cpo.versionsUrl(), oldB)).isEqualTo(401);
        assertThat(statusOf("GET", cpo.versionsUrl(), newB)).isEqualTo(200);
        assertThat(cpo.call("GET", emsp.moduleUrl("tokens", "SENDER"), null).block(TIMEOUT).isSuccess()).isTrue();
    }

    @Test
    void deleteUnregistersThenPutAndDeleteAnswer405AndPostRegistersAgain() {
        cpoRegistersWithEmsp(emsp.issueTokenA());
        String tokenC = cpo.tokenForHub().orElseThrow();
        String tokenB = cpo.tokenIssuedToHub().orElseThrow();

        SimulatedResponse delete = cpo.unregister().block(TIMEOUT);

        assertThat(delete.isSuccess()).isTrue();
        assertThat(cpo.isRegistered()).isFalse();
        assertThat(emsp.isRegistered()).isFalse();
        assertThat(emsp.tokenForHub()).isEmpty();
        assertThat(statusOf("GET", cpo.versionsUrl(), tokenB)).isEqualTo(401);
        assertThat(statusOf("GET", emsp.moduleUrl("tokens", "SENDER"), tokenC)).isEqualTo(401);

        SimulatedResponse put = cpo.updateCredentials().block(TIMEOUT);
        assertThat(put.httpStatus()).isEqualTo(405);
        assertThat(put.statusCode()).isEqualTo(2000);
        assertThat(cpo.unregister().block(TIMEOUT).httpStatus()).isEqualTo(405);
        assertThat(cpo.tokenForHub()).contains(tokenC);

        RegistrationResult again = cpo.postCredentials().block(TIMEOUT);
        assertThat(again.isSuccess()).as("re-registration %s", again).isTrue();
        assertThat(cpo.isRegistered()).isTrue();
        assertThat(emsp.isRegistered()).isTrue();
        assertThat(again.tokenC()).isNotEqualTo(tokenC);
        assertThat(statusOf("GET", emsp.versionsUrl(), tokenC)).isEqualTo(401);
    }

    @Test
    void theCredentialsReceiverCanRotateTooSinceTheModuleIsSymmetric() {
        cpoRegistersWithEmsp(emsp.issueTokenA());
        String oldB = emsp.tokenForHub().orElseThrow();

        SimulatedResponse put = emsp.updateCredentials().block(TIMEOUT);

        assertThat(put.isSuccess()).isTrue();
        assertThat(emsp.tokenForHub()).isNotEqualTo(Optional.of(oldB)).isEqualTo(cpo.tokenIssuedToHub());
        assertThat(cpo.tokenForHub()).isEqualTo(emsp.tokenIssuedToHub());
        assertThat(statusOf("GET", cpo.versionsUrl(), oldB)).isEqualTo(401);
        assertThat(emsp.call("GET", cpo.moduleUrl("locations", "SENDER"), null).block(TIMEOUT).isSuccess()).isTrue();
        assertThat(cpo.call("GET", emsp.moduleUrl("tokens", "SENDER"), null).block(TIMEOUT).isSuccess()).isTrue();
    }

    @Test
    void rawAndBase64AuthorizationAreBothAccepted() {
        try (SimulatedPlatform rawCpo = SimulatedPlatform.builder()
                .name("cpo-raw")
                .role("CPO", "BE", "RAW", "Raw Charging")
                .modules("locations:SENDER")
                .tokenEncoding(TokenEncoding.RAW)
                .start()) {
            String tokenA = emsp.issueTokenA();

            RegistrationResult result = rawCpo.registerWith(emsp.versionsUrl(), tokenA).block(TIMEOUT);

            assertThat(result.isSuccess()).as("result %s", result).isTrue();
            assertThat(emsp.received()).allSatisfy(r ->
                    assertThat(r.header("Authorization")).isEqualTo("Token " + tokenA));
            String tokenB = rawCpo.tokenIssuedToHub().orElseThrow();
            assertThat(rawCpo.received()).allSatisfy(r ->
                    assertThat(r.header("Authorization")).isEqualTo("Token " + base64(tokenB)));

            String tokenC = result.tokenC();
            try (OcpiClient rawClient = OcpiClient.create(TokenEncoding.RAW)) {
                assertThat(rawClient.send("GET", emsp.versionsUrl(), tokenC, null).block(TIMEOUT).httpStatus())
                        .isEqualTo(200);
            }
            assertThat(statusOf("GET", emsp.versionsUrl(), tokenC)).isEqualTo(200);
            // the spec's erratum examples encode a trailing newline: tolerated
            SimulatedResponse withNewline = raw.send("GET", emsp.versionsUrl(), null, null,
                    Map.of("Authorization", "Token " + base64(tokenC + "\n"))).block(TIMEOUT);
            assertThat(withNewline.httpStatus()).isEqualTo(200);
        }
    }

    @Test
    void platformInitiatedRegistrationLeavesTheReceiverWithTokenB() {
        // roles swapped: the CPO hands out token A, the eMSP plays the credentials Sender
        try (SimulatedPlatform hubLike = SimulatedPlatform.builder()
                .name("hub-like")
                .role("HUB", "NL", "HUB", "Hub Co")
                .modules("locations:SENDER", "locations:RECEIVER")
                .start()) {
            String tokenA = cpo.issueTokenA();

            RegistrationResult result = hubLike.registerWith(cpo.versionsUrl(), tokenA).block(TIMEOUT);

            assertThat(result.isSuccess()).isTrue();
            assertThat(cpo.hubRoles()).containsExactly(new PartyRole("HUB", "NL", "HUB", "Hub Co"));
            assertThat(cpo.tokenForHub()).isEqualTo(hubLike.tokenIssuedToHub());
            assertThat(cpo.hubEndpoints()).containsKeys("credentials:SENDER", "locations:SENDER",
                    "locations:RECEIVER");
        }
    }
}
