package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.OcpiClient;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RegistrationResult;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.JsonNode;

/**
 * The operator's admin API over real HTTP: every call needs the admin token, bad input is refused naming the field,
 * tokens are shown once and never listed, and each lifecycle call (token A, suspend, reactivate, delete) has the
 * effect a member platform notices on its next OCPI call.
 */
class AdminApiTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A client without a platform behind it, for OCPI calls with a given token. */
    private static final OcpiClient CLIENT = OcpiClient.create(TokenEncoding.BASE64);

    private final RunningHub hub = RunningHub.shared();
    private final AdminClient admin = hub.admin();

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    // ---- the admin token ----

    @Test
    void everyCallWithoutOrWithAWrongAdminTokenIs401AndChangesNothing() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Guarded Co", List.of(cpo));
        String id = created.text("id");
        String tokenA = created.text("token_a");
        String intruderName = "Intruder " + UUID.randomUUID();
        Map<String, Object> createBody = createBody(intruderName, role("CPO", "NL", Parties.partyId(), "X"));
        Map<String, Object> registerBody = Map.of("versions_url", "http://127.0.0.1:9/ocpi/versions", "token", "t");

        record Call(HttpMethod method, String path, Object body) {
        }
        List<Call> calls = List.of(
                new Call(HttpMethod.POST, "/platforms", createBody),
                new Call(HttpMethod.GET, "/platforms", null),
                new Call(HttpMethod.GET, "/platforms/" + id, null),
                new Call(HttpMethod.POST, "/platforms/" + id + "/token-a", null),
                new Call(HttpMethod.POST, "/platforms/" + id + "/register", registerBody),
                new Call(HttpMethod.POST, "/platforms/" + id + "/suspend", null),
                new Call(HttpMethod.POST, "/platforms/" + id + "/reactivate", null),
                new Call(HttpMethod.DELETE, "/platforms/" + id, null),
                new Call(HttpMethod.PUT, "/platforms/" + id + "/token-encoding", Map.of("token_encoding", "RAW")),
                new Call(HttpMethod.POST, "/platforms/" + id + "/still-alive", null),
                new Call(HttpMethod.GET, "/platforms/" + id + "/status-history", null),
                new Call(HttpMethod.GET, "/platforms/" + id + "/client-info", null),
                new Call(HttpMethod.GET, "/audit", null),
                new Call(HttpMethod.GET, "/deliveries?receiver=" + id, null),
                new Call(HttpMethod.POST, "/deliveries/replay", Map.of("receiver", id)),
                new Call(HttpMethod.GET, "/openapi.json", null));
        List<String> bearers = new ArrayList<>();
        bearers.add(null);
        bearers.add("wrong-" + hub.adminToken());
        bearers.add(hub.adminToken().substring(1));
        bearers.add("");

        for (Call call : calls) {
            for (String bearer : bearers) {
                AdminClient.Answer answer = admin.call(call.method(), call.path(), call.body(), bearer);
                assertThat(answer.status()).as(call + " with bearer " + bearer).isEqualTo(401);
                assertThat(answer.error()).as(call + " with bearer " + bearer).isNotBlank();
                assertThat(answer.body().toString()).doesNotContain(hub.adminToken());
                assertNoStackTrace(answer);
            }
        }

        // nothing happened: still there, still PLANNED, token A unchanged, no intruder created
        AdminClient.Answer view = admin.get("/platforms/" + id);
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.text("status")).isEqualTo("PLANNED");
        assertThat(view.text("token_encoding")).isEqualTo("BASE64");
        assertThat(CLIENT.send("GET", hub.versionsUrl(), tokenA, null).block(WAIT).httpStatus()).isEqualTo(200);
        assertThat(names(admin.get("/platforms").body())).doesNotContain(intruderName);
    }

    // ---- creating platforms ----

    static Stream<Arguments> invalidPlatforms() {
        String pid = "ZZ9";
        return Stream.of(
                Arguments.of("missing name", (Consumer<Map<String, Object>>) b -> b.remove("name"), "name"),
                Arguments.of("blank name", (Consumer<Map<String, Object>>) b -> b.put("name", "  "), "name"),
                Arguments.of("name over 100", (Consumer<Map<String, Object>>) b -> b.put("name", "n".repeat(101)),
                        "name"),
                Arguments.of("no roles field", (Consumer<Map<String, Object>>) b -> b.remove("roles"), "roles"),
                Arguments.of("empty roles", (Consumer<Map<String, Object>>) b -> b.put("roles", List.of()), "roles"),
                Arguments.of("unknown role", roleChange(r -> r.put("role", "PIRATE")), "roles[0].role"),
                Arguments.of("role HUB", roleChange(r -> r.put("role", "HUB")), "roles[0].role"),
                Arguments.of("missing role", roleChange(r -> r.remove("role")), "roles[0].role"),
                Arguments.of("country_code too long", roleChange(r -> r.put("country_code", "NLD")),
                        "roles[0].country_code"),
                Arguments.of("missing country_code", roleChange(r -> r.remove("country_code")),
                        "roles[0].country_code"),
                Arguments.of("party_id with a space", roleChange(r -> r.put("party_id", "A B")), "roles[0].party_id"),
                Arguments.of("party_id too long", roleChange(r -> r.put("party_id", "ABCD")), "roles[0].party_id"),
                Arguments.of("missing business_details", roleChange(r -> r.remove("business_details")),
                        "roles[0].business_details"),
                Arguments.of("missing business_details.name",
                        roleChange(r -> r.put("business_details", Map.of("website", "https://example.com"))),
                        "roles[0].business_details.name"),
                Arguments.of("the hub's own identity", roleChange(r -> {
                    r.put("country_code", "NL");
                    r.put("party_id", "HUB");
                }), "roles[0]"),
                Arguments.of("the hub's own identity in lower case", roleChange(r -> {
                    r.put("country_code", "nl");
                    r.put("party_id", "hub");
                }), "roles[0]"),
                Arguments.of("the same role twice", (Consumer<Map<String, Object>>) b -> b.put("roles", List.of(
                        role("CPO", "NL", pid, "A"), role("CPO", "nl", pid.toLowerCase(), "B"))), "roles[1]"),
                Arguments.of("unknown token_encoding",
                        (Consumer<Map<String, Object>>) b -> b.put("token_encoding", "ROT13"), "token_encoding"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPlatforms")
    void invalidPlatformIsRefusedWith400NamingTheField(String what, Consumer<Map<String, Object>> change,
                                                       String field) {
        String name = "Invalid " + UUID.randomUUID();
        Map<String, Object> body = createBody(name, role("CPO", "NL", Parties.partyId(), "Valid Co"));
        change.accept(body);

        AdminClient.Answer answer = admin.post("/platforms", body);

        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(400);
        assertThat(answer.error()).contains(field);
        assertNoStackTrace(answer);
        assertThat(names(admin.get("/platforms").body())).doesNotContain(name);
    }

    @Test
    void malformedJsonIs400() {
        AdminClient.Answer answer = admin.post("/platforms", "{\"name\": \"Broken\", \"roles\": [");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).contains("JSON");
        assertNoStackTrace(answer);
    }

    @Test
    void bodyLargerThanTheLimitIs413() {
        String name = "Huge " + UUID.randomUUID();
        Map<String, Object> body = createBody(name, role("CPO", "NL", Parties.partyId(), "x".repeat(2 * 1024 * 1024)));

        AdminClient.Answer answer = admin.post("/platforms", body);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.error()).contains("larger than the hub accepts");
        assertNoStackTrace(answer);
        assertThat(names(admin.get("/platforms").body())).doesNotContain(name);
    }

    @Test
    void roleGrantedToAnotherPlatformIs409() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer first = admin.createPlatform("First Co", List.of(cpo));
        assertThat(first.status()).isEqualTo(201);
        String secondName = "Second Co " + UUID.randomUUID();

        AdminClient.Answer second = admin.post("/platforms", createBody(secondName,
                role("EMSP", "DE", Parties.partyId(), "Other"), role(cpo.role(), "nl", cpo.partyId().toLowerCase(),
                        "Copy Cat")));

        assertThat(second.status()).as(String.valueOf(second.body())).isEqualTo(409);
        assertThat(second.error()).contains("CPO NL/" + cpo.partyId());
        assertNoStackTrace(second);
        assertThat(names(admin.get("/platforms").body())).doesNotContain(secondName);

        // the same party with another role is a different role (TYP 16.6)
        AdminClient.Answer otherRole = admin.createPlatform("Same Party Other Role",
                List.of(new PartyRole("EMSP", cpo.countryCode(), cpo.partyId(), "Sister eMSP")));
        assertThat(otherRole.status()).isEqualTo(201);
    }

    @Test
    void createdPlatformIsPlannedWithTokenAShownOnce() {
        PartyRole cpo = Parties.cpo();

        AdminClient.Answer created = admin.createPlatform("Fresh Co", List.of(cpo));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("status")).isEqualTo("PLANNED");
        assertThat(created.text("versions_url")).isEqualTo(hub.versionsUrl());
        assertThat(created.text("token_a")).isNotBlank().hasSizeLessThanOrEqualTo(64);
        assertThat(created.text("token_encoding")).isEqualTo("BASE64");
        JsonNode role = created.body().get("roles").get(0);
        assertThat(role.get("role").asString()).isEqualTo("CPO");
        assertThat(role.get("country_code").asString()).isEqualTo("NL");
        assertThat(role.get("party_id").asString()).isEqualTo(cpo.partyId());
        assertThat(role.get("business_details").get("name").asString()).isEqualTo(cpo.businessName());
        assertThat(role.get("claimed").asBoolean()).isFalse();
    }

    // ---- reading platforms: never a token ----

    @Test
    void listAndGetShowPlatformsButNeverAToken() {
        PartyRole cpo = Parties.cpo();
        PartyRole emsp = Parties.emsp();
        AdminClient.Answer planned = admin.createPlatform("Listed Planned Co", List.of(cpo));
        AdminClient.Answer connected = admin.createPlatform("Listed Connected Co", List.of(emsp));
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("listed").role(emsp)
                .modules("tokens:SENDER").start()) {
            RegistrationResult result = platform.registerWith(hub.versionsUrl(), connected.text("token_a"))
                    .block(WAIT);
            assertThat(result.isSuccess()).as(result.toString()).isTrue();
            List<String> secrets = List.of(planned.text("token_a"), connected.text("token_a"), result.tokenC(),
                    platform.tokenIssuedToHub().orElseThrow(), hub.adminToken());

            AdminClient.Answer list = admin.get("/platforms");
            AdminClient.Answer one = admin.get("/platforms/" + connected.text("id"));

            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body().isArray()).isTrue();
            JsonNode listedPlanned = byId(list.body(), planned.text("id"));
            JsonNode listedConnected = byId(list.body(), connected.text("id"));
            assertThat(listedPlanned.get("name").asString()).isEqualTo("Listed Planned Co");
            assertThat(listedPlanned.get("status").asString()).isEqualTo("PLANNED");
            assertThat(listedConnected.get("status").asString()).isEqualTo("CONNECTED");
            assertThat(listedConnected.get("version").asString()).isEqualTo("2.2.1");
            assertThat(listedConnected.get("token_encoding").asString()).isEqualTo("BASE64");
            assertThat(listedConnected.get("last_seen").asString()).endsWith("Z");
            assertThat(listedConnected.get("endpoints").get(0).get("url").asString())
                    .startsWith(platform.baseUrl());

            assertThat(one.status()).isEqualTo(200);
            assertThat(one.body().get("roles").get(0).get("party_id").asString()).isEqualTo(emsp.partyId());
            assertThat(one.body().get("roles").get(0).get("claimed").asBoolean()).isTrue();

            for (JsonNode view : List.of(list.body(), one.body())) {
                assertThat(view.toString()).doesNotContain(secrets).doesNotContain("token_a")
                        .doesNotContain("\"token\"");
            }
        }
    }

    @Test
    void unknownOrMalformedIdIs404() {
        String unknown = UUID.randomUUID().toString();

        for (String id : List.of(unknown, "not-a-uuid")) {
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
                AdminClient.Answer answer = admin.call(method, "/platforms/" + id, null);
                assertThat(answer.status()).as(method + " " + id).isEqualTo(404);
                assertThat(answer.error()).contains(id);
            }
            for (String action : List.of("token-a", "suspend", "reactivate")) {
                assertThat(admin.post("/platforms/" + id + "/" + action, null).status()).as(action + " " + id)
                        .isEqualTo(404);
            }
            assertThat(admin.post("/platforms/" + id + "/register", Map.of("versions_url",
                    "http://127.0.0.1:9/ocpi/versions", "token", "t")).status()).isEqualTo(404);
        }
    }

    // ---- the lifecycle ----

    @Test
    void freshTokenAWorksForRegistrationAndTheOldOneIsDead() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Re-onboarded Co", List.of(cpo));
        String oldTokenA = created.text("token_a");

        AdminClient.Answer fresh = admin.post("/platforms/" + created.text("id") + "/token-a", null);

        assertThat(fresh.status()).isEqualTo(200);
        String newTokenA = fresh.text("token_a");
        assertThat(newTokenA).isNotBlank().isNotEqualTo(oldTokenA);
        assertThat(fresh.text("versions_url")).isEqualTo(hub.versionsUrl());
        assertThat(fresh.text("status")).isEqualTo("PLANNED");
        assertThat(CLIENT.send("GET", hub.versionsUrl(), oldTokenA, null).block(WAIT).httpStatus()).isEqualTo(401);
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("re-onboarded").role(cpo)
                .modules("locations:SENDER").start()) {
            RegistrationResult withOld = platform.registerWith(hub.versionsUrl(), oldTokenA).block(WAIT);
            assertThat(withOld.isSuccess()).isFalse();
            assertThat(withOld.httpStatus()).isEqualTo(401);

            RegistrationResult withNew = platform.registerWith(hub.versionsUrl(), newTokenA).block(WAIT);
            assertThat(withNew.isSuccess()).as(withNew.toString()).isTrue();
            assertThat(admin.get("/platforms/" + created.text("id")).text("status")).isEqualTo("CONNECTED");
        }
        // the token-a answer was the only place it appeared
        assertThat(admin.get("/platforms/" + created.text("id")).body().toString()).doesNotContain(newTokenA);
    }

    @Test
    void suspendShutsTheRegisteredPlatformOutAndReactivateLetsItBackIn() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Suspended Co", List.of(cpo));
        String id = created.text("id");
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("suspended").role(cpo)
                .modules("locations:SENDER").start()) {
            assertThat(platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT).isSuccess())
                    .isTrue();
            assertThat(credentialsCall(platform).statusCode()).isEqualTo(1000);

            AdminClient.Answer suspended = admin.post("/platforms/" + id + "/suspend", null);

            assertThat(suspended.status()).isEqualTo(200);
            assertThat(suspended.text("status")).isEqualTo("SUSPENDED");
            assertThat(admin.get("/platforms/" + id).text("status")).isEqualTo("SUSPENDED");
            SimulatedResponse refused = credentialsCall(platform);
            assertThat(refused.httpStatus()).isEqualTo(401);
            assertThat(refused.body().get("timestamp")).isNotNull();
            // a suspended platform cannot be registered by the hub either
            AdminClient.Answer register = admin.post("/platforms/" + id + "/register",
                    Map.of("versions_url", platform.versionsUrl(), "token", platform.issueTokenA()));
            assertThat(register.status()).isEqualTo(409);
            assertThat(register.error()).contains("SUSPENDED");

            AdminClient.Answer reactivated = admin.post("/platforms/" + id + "/reactivate", null);

            assertThat(reactivated.status()).isEqualTo(200);
            assertThat(reactivated.text("status")).isEqualTo("CONNECTED");
            SimulatedResponse back = credentialsCall(platform);
            assertThat(back.httpStatus()).isEqualTo(200);
            assertThat(back.statusCode()).isEqualTo(1000);
        }
    }

    @Test
    void suspendingAPlannedPlatformShutsItsTokenAAndReactivateOpensItAgain() {
        AdminClient.Answer created = admin.createPlatform("Suspended Planned Co", List.of(Parties.emsp()));
        String id = created.text("id");
        String tokenA = created.text("token_a");

        assertThat(admin.post("/platforms/" + id + "/suspend", null).text("status")).isEqualTo("SUSPENDED");
        assertThat(CLIENT.send("GET", hub.versionsUrl(), tokenA, null).block(WAIT).httpStatus()).isEqualTo(401);

        assertThat(admin.post("/platforms/" + id + "/reactivate", null).text("status")).isEqualTo("PLANNED");
        assertThat(CLIENT.send("GET", hub.versionsUrl(), tokenA, null).block(WAIT).httpStatus()).isEqualTo(200);
    }

    @Test
    void deletedPlatformIsGoneItsTokenDeadAndItsRoleFree() {
        PartyRole cpo = Parties.cpo();
        AdminClient.Answer created = admin.createPlatform("Deleted Co", List.of(cpo));
        String id = created.text("id");
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("deleted").role(cpo)
                .modules("locations:SENDER").start()) {
            assertThat(platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT).isSuccess())
                    .isTrue();

            AdminClient.Answer deleted = admin.call(HttpMethod.DELETE, "/platforms/" + id, null);

            assertThat(deleted.status()).isEqualTo(204);
            assertThat(deleted.body()).isNull();
            assertThat(admin.get("/platforms/" + id).status()).isEqualTo(404);
            assertThat(ids(admin.get("/platforms").body())).doesNotContain(id);
            assertThat(credentialsCall(platform).httpStatus()).isEqualTo(401);
            assertThat(admin.call(HttpMethod.DELETE, "/platforms/" + id, null).status()).isEqualTo(404);

            AdminClient.Answer successor = admin.createPlatform("Successor Co", List.of(cpo));
            assertThat(successor.status()).as(String.valueOf(successor.body())).isEqualTo(201);
        }
    }

    // ---- helpers ----

    private SimulatedResponse credentialsCall(SimulatedPlatform platform) {
        return platform.call("GET", hub.url() + "/ocpi/2.2.1/credentials", null).block(WAIT);
    }

    @SafeVarargs
    private static Map<String, Object> createBody(String name, Map<String, Object>... roles) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("roles", List.of(roles));
        return body;
    }

    private static Map<String, Object> role(String role, String countryCode, String partyId, String businessName) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("role", role);
        r.put("country_code", countryCode);
        r.put("party_id", partyId);
        r.put("business_details", Map.of("name", businessName));
        return r;
    }

    /** Changes the first role of the create body. */
    @SuppressWarnings("unchecked")
    private static Consumer<Map<String, Object>> roleChange(Consumer<Map<String, Object>> change) {
        return body -> change.accept(((List<Map<String, Object>>) body.get("roles")).get(0));
    }

    private static List<String> names(JsonNode list) {
        return list.valueStream().map(p -> p.get("name").asString()).toList();
    }

    private static List<String> ids(JsonNode list) {
        return list.valueStream().map(p -> p.get("id").asString()).toList();
    }

    private static JsonNode byId(JsonNode list, String id) {
        return list.valueStream().filter(p -> p.get("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("platform " + id + " not listed"));
    }

    private static void assertNoStackTrace(AdminClient.Answer answer) {
        assertThat(answer.body().propertyNames()).containsExactly("error");
        assertThat(answer.body().toString()).doesNotContain("at org.", "at java.", "Exception");
    }
}
