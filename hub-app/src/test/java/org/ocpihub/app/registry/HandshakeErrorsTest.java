package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiClient;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.RegistrationResult;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;

import tools.jackson.databind.JsonNode;

/**
 * What goes wrong in a credentials handshake, in both directions, and what the caller sees: the OCPI status the spec
 * names (CRED 7.1.5, 7.1.6), an answer within a bounded time, HTTP errors with an envelope (TF 4.1.7), and nothing
 * stored, so that a corrected retry with the same token A succeeds.
 */
class HandshakeErrorsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** hub.http.outbound-timeout is 3 s in tests; an answer must come well before a slow peer would answer. */
    private static final Duration BOUND = Duration.ofSeconds(6);

    /** A client without a platform behind it, for requests with hand-made tokens, headers and bodies. */
    private static final OcpiClient CLIENT = OcpiClient.create(TokenEncoding.BASE64);

    private final RunningHub hub = RunningHub.shared();
    private final AdminClient admin = hub.admin();

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    // ---- the hub as credentials server: it cannot use the platform's API ----

    @Test
    void unreachableVersionsUrlIs3001WithinBoundedTimeAndNothingIsStored() {
        PartyRole cpo = Parties.cpo();
        Onboarded onboarded = onboard("Unreachable Co", cpo);
        String closed = "http://127.0.0.1:" + RunningHub.freePort() + "/ocpi/versions";

        long start = System.nanoTime();
        SimulatedResponse answer = CLIENT.send("POST", credentialsUrl(), onboarded.tokenA(),
                credentialsBody("token-b-" + System.nanoTime(), closed, cpo)).block(WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEnvelope(answer, 200, 3001);
        assertThat(answer.statusMessage()).contains(closed);
        assertThat(took).isLessThan(BOUND);
        assertNothingStored(onboarded);

        // token A is still good: the platform, now reachable, registers with it
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("unreachable-co").role(cpo)
                .modules("locations:SENDER").start()) {
            RegistrationResult retry = platform.registerWith(hub.versionsUrl(), onboarded.tokenA()).block(WAIT);
            assertThat(retry.isSuccess()).as(retry.toString()).isTrue();
            assertThat(admin.get("/platforms/" + onboarded.id()).text("status")).isEqualTo("CONNECTED");
        }
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("garbage JSON on versions", Fault.GARBAGE_JSON, Fault.NONE, 3001, "not an OCPI response"),
                Arguments.of("garbage JSON on details", Fault.NONE, Fault.GARBAGE_JSON, 3001, "not an OCPI response"),
                Arguments.of("HTTP 500 on versions", Fault.REFUSE_500, Fault.NONE, 3001, "HTTP 500"),
                Arguments.of("HTTP 500 on details", Fault.NONE, Fault.REFUSE_500, 3001, "HTTP 500"),
                Arguments.of("only credentials in details", Fault.NONE, Fault.NO_ENDPOINTS, 3003,
                        "no usable endpoints"),
                Arguments.of("only 2.1.1 offered", Fault.NO_MATCHING_VERSION, Fault.NONE, 3002, "2.2.1"));
    }

    @ParameterizedTest(name = "{0} → {3}")
    @MethodSource("faults")
    void platformWhoseApiCannotBeUsedIsRefusedWithTheSpecStatusAndCanRetry(String what, Fault onVersions,
                                                                          Fault onDetails, int expectedStatus,
                                                                          String messagePart) {
        PartyRole cpo = Parties.cpo();
        Onboarded onboarded = onboard("Faulty Co " + what, cpo);
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("faulty").role(cpo)
                .modules("locations:SENDER", "tokens:RECEIVER").faults(onVersions, onDetails).start()) {

            RegistrationResult result = platform.registerWith(hub.versionsUrl(), onboarded.tokenA()).block(WAIT);

            assertThat(result.isSuccess()).isFalse();
            assertThat(result.step()).as(result.toString()).isEqualTo("credentials");
            assertThat(result.httpStatus()).as(result.toString()).isEqualTo(200); // reached the OCPI layer (SC 5)
            assertThat(result.statusCode()).as(result.toString()).isEqualTo(expectedStatus);
            assertThat(result.statusMessage()).contains(messagePart);
            assertThat(platform.tokenForHub()).isEmpty();
            assertNothingStored(onboarded);

            platform.faults(Fault.NONE);
            RegistrationResult retry = platform.registerWith(hub.versionsUrl(), onboarded.tokenA()).block(WAIT);
            assertThat(retry.isSuccess()).as(retry.toString()).isTrue();
            JsonNode view = admin.get("/platforms/" + onboarded.id()).body();
            assertThat(view.get("status").asString()).isEqualTo("CONNECTED");
            assertThat(endpoints(view)).contains("locations:SENDER", "tokens:RECEIVER");
        }
    }

    @Test
    void slowPlatformIs3001WithinBoundedTime() {
        PartyRole emsp = Parties.emsp();
        Onboarded onboarded = onboard("Slow Co", emsp);
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("slow").role(emsp)
                .modules("tokens:SENDER").faults(Fault.slow(Duration.ofSeconds(10)), Fault.NONE)
                .requestTimeout(Duration.ofSeconds(15)).start()) {

            long start = System.nanoTime();
            RegistrationResult result = platform.registerWith(hub.versionsUrl(), onboarded.tokenA()).block(WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.statusCode()).as(result.toString()).isEqualTo(3001);
            assertThat(result.statusMessage()).contains(platform.versionsUrl()).contains("did not answer");
            assertThat(took).isLessThan(BOUND);
            assertNothingStored(onboarded);

            platform.faults(Fault.NONE);
            assertThat(platform.registerWith(hub.versionsUrl(), onboarded.tokenA()).block(WAIT).isSuccess()).isTrue();
        }
    }

    // ---- bad bodies ----

    @Test
    void malformedJsonIsHttp400WithEnvelope2001() {
        Onboarded onboarded = onboard("Malformed Co", Parties.cpo());

        SimulatedResponse answer = CLIENT.send("POST", credentialsUrl(), onboarded.tokenA(),
                "{\"token\": \"abc\", \"url\": ").block(WAIT);

        assertEnvelope(answer, 400, 2001);
        assertThat(answer.statusMessage()).contains("not valid JSON");
        assertNothingStored(onboarded);
    }

    @Test
    void fieldOfTheWrongTypeIs2001NamingTheField() {
        PartyRole cpo = Parties.cpo();
        Onboarded onboarded = onboard("Pirate Co", cpo);
        String body = "{\"token\":\"token-b\",\"url\":\"http://127.0.0.1:9/ocpi/versions\",\"roles\":[{\"role\":"
                + "\"PIRATE\",\"country_code\":\"NL\",\"party_id\":\"" + cpo.partyId()
                + "\",\"business_details\":{\"name\":\"Arr\"}}]}";

        SimulatedResponse answer = CLIENT.send("POST", credentialsUrl(), onboarded.tokenA(), body).block(WAIT);

        // valid JSON from an authenticated caller has reached the OCPI layer: HTTP 200 (SC 5)
        assertEnvelope(answer, 200, 2001);
        assertThat(answer.statusMessage()).contains("roles[0].role").contains("PIRATE").doesNotContain("org.ocpihub");
        assertNothingStored(onboarded);
    }

    @Test
    void bodyLargerThanTheLimitIs413WithEnvelope() {
        PartyRole cpo = Parties.cpo();
        Onboarded onboarded = onboard("Huge Co", cpo);
        String padding = "x".repeat(2 * 1024 * 1024);
        String body = "{\"padding\":\"" + padding + "\","
                + credentialsBody("token-b", "http://127.0.0.1:9/ocpi/versions", cpo).substring(1);

        SimulatedResponse answer = CLIENT.send("POST", credentialsUrl(), onboarded.tokenA(), body).block(WAIT);

        assertEnvelope(answer, 413, 2001);
        assertThat(answer.statusMessage()).contains("larger than the hub accepts").contains("1 MB");
        assertNothingStored(onboarded);
    }

    // ---- authorization (TF 4.1.2) ----

    @Test
    void missingUnknownOrNonTokenAuthorizationIs401WithEnvelope() {
        Onboarded onboarded = onboard("Auth Co", Parties.cpo());

        SimulatedResponse missing = CLIENT.send("GET", hub.versionsUrl(), null, null).block(WAIT);
        SimulatedResponse unknown = CLIENT.send("GET", hub.versionsUrl(), "no-such-token-" + System.nanoTime(), null)
                .block(WAIT);
        SimulatedResponse bearer = CLIENT.send("GET", hub.versionsUrl(), null, null,
                Map.of("Authorization", "Bearer " + onboarded.tokenA())).block(WAIT);
        SimulatedResponse unknownOnPost = CLIENT.send("POST", credentialsUrl(), "no-such-token",
                credentialsBody("b", "http://127.0.0.1:9/ocpi/versions", Parties.cpo())).block(WAIT);

        for (SimulatedResponse answer : List.of(missing, unknown, bearer, unknownOnPost)) {
            assertEnvelope(answer, 401, 2000);
            assertThat(answer.statusMessage()).isNotBlank();
        }
        assertThat(missing.statusMessage()).contains("Authorization");
    }

    @Test
    void tokenAOpensVersionsAndCredentialsOnly() {
        Onboarded onboarded = onboard("Token A Co", Parties.cpo());

        SimulatedResponse versions = CLIENT.send("GET", hub.versionsUrl(), onboarded.tokenA(), null).block(WAIT);
        SimulatedResponse details = CLIENT.send("GET", hub.url() + "/ocpi/2.2.1", onboarded.tokenA(), null)
                .block(WAIT);
        SimulatedResponse locations = CLIENT.send("GET", hub.url() + "/ocpi/2.2.1/locations", onboarded.tokenA(),
                null).block(WAIT);

        assertEnvelope(versions, 200, 1000);
        assertThat(versions.data().valueStream().map(v -> v.get("version").asString()).toList()).contains("2.2.1");
        assertEnvelope(details, 200, 1000);
        assertThat(details.data().get("version").asString()).isEqualTo("2.2.1");
        assertThat(details.data().get("endpoints").valueStream()
                .filter(e -> e.get("identifier").asString().equals("credentials"))
                .map(e -> e.get("url").asString()).toList()).isNotEmpty().allMatch(credentialsUrl()::equals);
        assertEnvelope(locations, 401, 2000);
        assertThat(locations.statusMessage()).contains("token A");
    }

    // ---- the hub as credentials client: the operator asks it to register with a platform ----

    @Test
    void hubInitiatedRegistrationConnectsBothSides() {
        PartyRole cpo = Parties.cpo();
        Onboarded onboarded = onboard("Invited Co", cpo);
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("invited").role(cpo)
                .modules("locations:SENDER", "commands:RECEIVER").start()) {
            String platformTokenA = platform.issueTokenA();

            AdminClient.Answer registered = admin.post("/platforms/" + onboarded.id() + "/register",
                    Map.of("versions_url", platform.versionsUrl(), "token", platformTokenA));

            assertThat(registered.status()).as(String.valueOf(registered.body())).isEqualTo(200);
            assertThat(registered.text("status")).isEqualTo("CONNECTED");
            assertThat(registered.body().get("registered").asBoolean()).isTrue();
            assertThat(registered.text("platform_versions_url")).isEqualTo(platform.versionsUrl());
            assertThat(endpoints(registered.body())).contains("locations:SENDER", "commands:RECEIVER");

            // the platform holds the hub's credentials: token B to call the hub with, the HUB role, the hub's URL
            assertThat(platform.isRegistered()).isTrue();
            String tokenB = platform.tokenForHub().orElseThrow();
            String tokenC = platform.tokenIssuedToHub().orElseThrow();
            assertThat(platform.hubRoles()).extracting(PartyRole::role).containsExactly("HUB");
            assertThat(platform.hubVersionsUrl()).contains(hub.versionsUrl());
            assertThat(registered.body().toString()).doesNotContain(tokenB, tokenC, platformTokenA);

            // the hub POSTed with the platform's token A
            RecordedRequest post = platform.awaitRequest(r -> r.method().equals("POST")
                    && r.path().equals("/ocpi/2.2.1/credentials"), WAIT);
            assertThat(post.header("Authorization"))
                    .isEqualTo(TokenEncoding.BASE64.authorizationHeader(platformTokenA));
            assertThat(post.json().get("token").asString()).isEqualTo(tokenB);

            // the hub authenticates the platform's later calls with the token it issued
            SimulatedResponse credentials = platform.call("GET", credentialsUrl(), null).block(WAIT);
            assertEnvelope(credentials, 200, 1000);
            assertThat(credentials.data().get("token").asString()).isEqualTo(tokenB);
            assertThat(credentials.data().get("roles").get(0).get("role").asString()).isEqualTo("HUB");

            // the hub's own token A for this platform is spent
            assertThat(CLIENT.send("GET", hub.versionsUrl(), onboarded.tokenA(), null).block(WAIT).httpStatus())
                    .isEqualTo(401);
        }
    }

    @Test
    void hubInitiatedRegistrationWithAnUnreachablePlatformIs502AndNothingIsStored() {
        Onboarded onboarded = onboard("Gone Away Co", Parties.cpo());
        String closed = "http://127.0.0.1:" + RunningHub.freePort() + "/ocpi/versions";

        long start = System.nanoTime();
        AdminClient.Answer answer = admin.post("/platforms/" + onboarded.id() + "/register",
                Map.of("versions_url", closed, "token", "their-token-a"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.error()).contains(closed).contains("3001");
        assertNoStackTrace(answer.body().toString());
        assertThat(took).isLessThan(BOUND);
        assertNothingStored(onboarded);
    }

    @Test
    void hubInitiatedRegistrationWithAPlatformClaimingAnUngrantedRoleIsRefusedAndNothingIsStored() {
        PartyRole granted = Parties.cpo();
        PartyRole ungranted = Parties.emsp();
        Onboarded onboarded = onboard("Greedy Invited Co", granted);
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("greedy-invited").role(granted)
                .role(ungranted).modules("locations:SENDER").start()) {

            AdminClient.Answer answer = admin.post("/platforms/" + onboarded.id() + "/register",
                    Map.of("versions_url", platform.versionsUrl(), "token", platform.issueTokenA()));

            assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(502);
            assertThat(answer.error()).contains("EMSP DE/" + ungranted.partyId()).contains("not granted");
            assertNothingStored(onboarded);
            assertThat(admin.get("/platforms/" + onboarded.id()).body().get("roles").get(0).get("claimed")
                    .asBoolean()).isFalse();

            // the hub withdrew from the platform and the token B it handed over opens nothing
            assertThat(platform.isRegistered()).isFalse();
            RecordedRequest post = platform.awaitRequest(r -> r.method().equals("POST")
                    && r.path().equals("/ocpi/2.2.1/credentials"), WAIT);
            String tokenB = post.json().get("token").asString();
            assertThat(CLIENT.send("GET", hub.versionsUrl(), tokenB, null).block(WAIT).httpStatus()).isEqualTo(401);
        }
    }

    @Test
    void failedHubInitiatedReRegistrationLeavesTheWorkingConnectionAlone() {
        PartyRole cpo = Parties.cpo();
        Onboarded onboarded = onboard("Steady Co", cpo);
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("steady").role(cpo)
                .modules("locations:SENDER").start();
             SimulatedPlatform impostor = SimulatedPlatform.builder().name("impostor").role(cpo).role(Parties.emsp())
                     .modules("tariffs:SENDER").start()) {
            assertThat(platform.registerWith(hub.versionsUrl(), onboarded.tokenA()).block(WAIT).isSuccess()).isTrue();

            AdminClient.Answer answer = admin.post("/platforms/" + onboarded.id() + "/register",
                    Map.of("versions_url", impostor.versionsUrl(), "token", impostor.issueTokenA()));

            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.error()).contains("not granted");
            JsonNode view = admin.get("/platforms/" + onboarded.id()).body();
            assertThat(view.get("status").asString()).isEqualTo("CONNECTED");
            assertThat(view.get("platform_versions_url").asString()).isEqualTo(platform.versionsUrl());
            assertThat(endpoints(view)).contains("locations:SENDER").doesNotContain("tariffs:SENDER");
            // the connected platform's token still opens the hub
            assertEnvelope(platform.call("GET", credentialsUrl(), null).block(WAIT), 200, 1000);
        }
    }

    // ---- helpers ----

    /** A platform the operator created: its id and the token A the hub issued. */
    private record Onboarded(String id, String tokenA) {
    }

    private Onboarded onboard(String name, PartyRole... roles) {
        AdminClient.Answer created = admin.createPlatform(name, List.of(roles));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return new Onboarded(created.text("id"), created.text("token_a"));
    }

    private String credentialsUrl() {
        return hub.url() + "/ocpi/2.2.1/credentials";
    }

    /** The platform is as the operator created it: not registered, no endpoints, and its token A still opens. */
    private void assertNothingStored(Onboarded onboarded) {
        AdminClient.Answer view = admin.get("/platforms/" + onboarded.id());
        assertThat(view.text("status")).isEqualTo("PLANNED");
        assertThat(view.body().get("registered").asBoolean()).isFalse();
        assertThat(view.body().get("endpoints")).isEmpty();
        assertThat(view.text("platform_versions_url")).isNull();
        SimulatedResponse versions = CLIENT.send("GET", hub.versionsUrl(), onboarded.tokenA(), null).block(WAIT);
        assertThat(versions.httpStatus()).as("token A still opens the versions").isEqualTo(200);
    }

    /** An OCPI envelope with this HTTP status and status code, a UTC timestamp, and no stack trace. */
    private static void assertEnvelope(SimulatedResponse answer, int httpStatus, int statusCode) {
        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(httpStatus);
        assertThat(answer.body()).as("an OCPI envelope: " + answer.rawBody()).isNotNull();
        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(statusCode);
        assertThat(answer.body().propertyNames()).as("envelope fields (TF 4.1.7)")
                .isSubsetOf("data", "status_code", "status_message", "timestamp");
        assertThat(answer.body().get("timestamp").asString()).endsWith("Z");
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertNoStackTrace(answer.rawBody());
    }

    private static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("at org.", "at java.", "Exception");
    }

    private static List<String> endpoints(JsonNode view) {
        return view.get("endpoints").valueStream()
                .map(e -> e.get("module").asString() + ":" + e.get("role").asString()).toList();
    }

    private static String credentialsBody(String token, String versionsUrl, PartyRole role) {
        return "{\"token\":\"" + token + "\",\"url\":\"" + versionsUrl + "\",\"roles\":[{\"role\":\"" + role.role()
                + "\",\"country_code\":\"" + role.countryCode() + "\",\"party_id\":\"" + role.partyId()
                + "\",\"business_details\":{\"name\":\"" + role.businessName() + "\"}}]}";
    }
}
