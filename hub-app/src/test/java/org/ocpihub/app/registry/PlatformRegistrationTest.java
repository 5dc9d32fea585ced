package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RegistrationResult;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import tools.jackson.databind.JsonNode;

/** A platform created by the operator registers with the hub through the credentials handshake (CRED 7.1.1). */
@ExtendWith(OutputCaptureExtension.class)
class PlatformRegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final RunningHub hub = RunningHub.shared();
    private final AdminClient admin = hub.admin();

    @Test
    void platformRegistersWithTokenAAndGetsTokenCAndTheHubRole(CapturedOutput output) {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Charge Co", List.of(cpo));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("status")).isEqualTo("PLANNED");
        assertThat(created.text("versions_url")).isEqualTo(hub.versionsUrl());
        String tokenA = created.text("token_a");
        String id = created.text("id");

        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("charge-co").role(cpo)
                .modules("locations:SENDER", "tariffs:SENDER", "tokens:RECEIVER").start()) {
            RegistrationResult result = platform.registerWith(hub.versionsUrl(), tokenA).block(WAIT);

            assertThat(result.isSuccess()).as(result.toString()).isTrue();
            assertThat(result.hubRoles()).extracting(PartyRole::role).containsExactly("HUB");
            assertThat(result.hubEndpoints()).containsKey("credentials:SENDER");
            String tokenC = result.tokenC();
            assertThat(tokenC).isNotEqualTo(tokenA);

            // the hub fetched the platform's endpoints with the token from the POST body
            JsonNode view = admin.get("/platforms/" + id).body();
            assertThat(view.get("status").asString()).isEqualTo("CONNECTED");
            assertThat(view.get("registered").asBoolean()).isTrue();
            assertThat(view.get("version").asString()).isEqualTo("2.2.1");
            assertThat(view.get("platform_versions_url").asString()).isEqualTo(platform.versionsUrl());
            assertThat(view.get("endpoints").valueStream().map(e -> e.get("module").asString() + ":"
                    + e.get("role").asString()).toList())
                    .contains("locations:SENDER", "tariffs:SENDER", "tokens:RECEIVER");
            assertThat(view.get("roles").get(0).get("claimed").asBoolean()).isTrue();
            assertThat(view.toString()).doesNotContain(tokenA, tokenC, platform.tokenIssuedToHub().orElseThrow());

            // token A is dead; token C opens the hub
            assertThat(platform.client().send("GET", hub.versionsUrl(), tokenA, null).block(WAIT).httpStatus())
                    .isEqualTo(401);
            SimulatedResponse credentials = platform.call("GET", hub.url() + "/ocpi/2.2.1/credentials", null)
                    .block(WAIT);
            assertThat(credentials.statusCode()).isEqualTo(1000);
            assertThat(credentials.data().get("token").asString()).isEqualTo(tokenC);
            assertThat(credentials.data().get("roles").get(0).get("role").asString()).isEqualTo("HUB");
            assertThat(credentials.data().get("roles")).hasSize(1);

            // POST again while registered → 405
            assertThat(platform.postCredentials().block(WAIT).httpStatus()).isEqualTo(405);

            // no token ever reaches the log (written by a background thread: wait until this request's line is there)
            org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(output.getAll())
                    .contains("POST /ocpi/2.2.1/credentials status=405"));
            assertThat(output.getAll()).doesNotContain(tokenA, tokenC, platform.tokenIssuedToHub().orElseThrow());
        }
    }

    @Test
    void putRefetchesEndpointsAndRotatesTokenC() {
        PartyRole emsp = Parties.emsp();
        AdminClient.Answer created = admin.createPlatform("Drive Co", List.of(emsp));
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("drive-co").role(emsp)
                .modules("tokens:SENDER", "locations:RECEIVER").start()) {
            String tokenC = platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT).tokenC();
            platform.clearReceived();

            SimulatedResponse put = platform.updateCredentials().block(WAIT);

            assertThat(put.statusCode()).isEqualTo(1000);
            String rotated = put.data().get("token").asString();
            assertThat(rotated).isNotEqualTo(tokenC);
            assertThat(platform.received()).anySatisfy(r -> assertThat(r.path()).isEqualTo("/ocpi/versions"));
            assertThat(platform.client().send("GET", hub.versionsUrl(), tokenC, null).block(WAIT).httpStatus())
                    .isEqualTo(401);
            assertThat(platform.client().send("GET", hub.versionsUrl(), rotated, null).block(WAIT).httpStatus())
                    .isEqualTo(200);
        }
    }

    @Test
    void deleteUnregistersAndSuspendsAndTokenAGetsMethodNotAllowedOnPutAndDelete() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Gone Co", List.of(cpo));
        String id = created.text("id");
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("gone-co").role(cpo)
                .modules("locations:SENDER").start()) {
            String tokenC = platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT).tokenC();

            SimulatedResponse deleted = platform.unregister().block(WAIT);

            assertThat(deleted.statusCode()).isEqualTo(1000);
            assertThat(admin.get("/platforms/" + id).text("status")).isEqualTo("SUSPENDED");
            assertThat(platform.client().send("GET", hub.versionsUrl(), tokenC, null).block(WAIT).httpStatus())
                    .isEqualTo(401);

            // re-onboarding: a fresh token A; PUT and DELETE with it are for registered platforms only
            AdminClient.Answer fresh = admin.post("/platforms/" + id + "/token-a", null);
            assertThat(fresh.text("status")).isEqualTo("PLANNED");
            String tokenA = fresh.text("token_a");
            String credentialsUrl = hub.url() + "/ocpi/2.2.1/credentials";
            String body = "{\"token\":\"x\",\"url\":\"" + platform.versionsUrl() + "\",\"roles\":[{\"role\":\"CPO\","
                    + "\"country_code\":\"NL\",\"party_id\":\"" + cpo.partyId()
                    + "\",\"business_details\":{\"name\":\"x\"}}]}";
            assertThat(platform.client().send("PUT", credentialsUrl, tokenA, body).block(WAIT).httpStatus())
                    .isEqualTo(405);
            assertThat(platform.client().send("DELETE", credentialsUrl, tokenA, null).block(WAIT).httpStatus())
                    .isEqualTo(405);

            // and it can register again
            assertThat(platform.registerWith(hub.versionsUrl(), tokenA).block(WAIT).isSuccess()).isTrue();
            assertThat(admin.get("/platforms/" + id).text("status")).isEqualTo("CONNECTED");
        }
    }

    @Test
    void rawTokenPlatformsAreCalledAndAcceptedWithRawTokens() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Old Co", List.of(cpo), "RAW");
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("old-co").role(cpo)
                .modules("locations:SENDER").tokenEncoding(TokenEncoding.RAW).start()) {
            RegistrationResult result = platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT);

            assertThat(result.isSuccess()).as(result.toString()).isTrue();
            String tokenB = platform.tokenIssuedToHub().orElseThrow();
            assertThat(platform.received()).filteredOn(r -> r.path().equals("/ocpi/versions"))
                    .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Token " + tokenB));
        }
    }

    @Test
    void platformClaimingAnUngrantedRoleIsRefusedAndNothingIsStored() {
        PartyRole granted = Parties.cpo();
        PartyRole ungranted = Parties.emsp();
        AdminClient.Answer created = admin.createPlatform("Greedy Co", List.of(granted));
        String id = created.text("id");
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("greedy").role(granted).role(ungranted)
                .modules("locations:SENDER").start()) {
            RegistrationResult result = platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT);

            assertThat(result.isSuccess()).isFalse();
            assertThat(result.httpStatus()).isEqualTo(403);
            assertThat(result.statusCode()).isEqualTo(2001);
            assertThat(result.statusMessage()).contains("EMSP DE/" + ungranted.partyId()).contains("not granted");
            JsonNode view = admin.get("/platforms/" + id).body();
            assertThat(view.get("status").asString()).isEqualTo("PLANNED");
            assertThat(view.get("endpoints")).isEmpty();
            // the hub never called the platform back
            assertThat(platform.received()).noneMatch(r -> r.path().startsWith("/ocpi"));
        }
    }

    @Test
    void credentialsWithMissingFieldsAreRefusedNamingTheField() {
        AdminClient.Answer created = admin.createPlatform("Sloppy Co", List.of(Parties.cpo()));
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("sloppy").role(Parties.cpo())
                .modules("locations:SENDER").start()) {
            SimulatedResponse answer = platform.client().send("POST", hub.url() + "/ocpi/2.2.1/credentials",
                    created.text("token_a"), "{\"url\":\"" + platform.versionsUrl() + "\",\"roles\":[]}").block(WAIT);

            assertThat(answer.httpStatus()).isEqualTo(200);
            assertThat(answer.statusCode()).isEqualTo(2001);
            assertThat(answer.statusMessage()).isEqualTo("missing required field: token");
            assertThat(answer.body().get("timestamp").asString()).endsWith("Z");
        }
    }

}
