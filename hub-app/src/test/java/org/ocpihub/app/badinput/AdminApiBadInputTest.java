package org.ocpihub.app.badinput;

import static org.ocpihub.app.badinput.BadInput.ADMIN_ERROR;
import static org.ocpihub.app.badinput.BadInput.with;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.JsonNode;

/**
 * Bad input on the operator's admin API ({@code /admin/api/platforms}, {@code /admin/api/deliveries}): no or wrong
 * credential → 401, bad JSON, wrong types, missing fields and bad enum values → 400, unknown ids → 404, a role another
 * platform holds → 409, oversize → 413, a wrong method → 405; every answer {@code {"error": "..."}} naming the field.
 * Nothing is stored: no platform whose name carries the row's marker appears in the list, and the platform the rows
 * aim at is still there, PLANNED.
 */
class AdminApiBadInputTest {

    private static final String P = "/admin/api/platforms";
    private static final String D = "/admin/api/deliveries";
    private static RunningHub hub;
    private static BadInputRunner runner;
    private static String parkedId;
    private static PartyRole taken;

    @BeforeAll
    static void prepare() {
        hub = RunningHub.shared();
        taken = Parties.cpo();
        AdminClient.Answer parked = hub.admin().createPlatform("bi-admin-parked", List.of(taken));
        parkedId = parked.text("id");
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ADMIN", "Bearer " + hub.adminToken());
        vars.put("PARKED", parkedId);
        vars.put("UNKNOWN", UUID.randomUUID().toString());
        vars.put("TAKEN_CC", taken.countryCode());
        vars.put("TAKEN_PID", taken.partyId());
        vars.put("HUB_VERSIONS", hub.versionsUrl());
        vars.put("HUB_LOOPBACK", "http://127.0.0.1:" + java.net.URI.create(hub.url()).getPort() + "/ocpi/versions");
        runner = new BadInputRunner(hub.url(), vars, List.of(), AdminApiBadInputTest::nothingStored);
    }

    @AfterAll
    static void removeParked() {
        hub.admin().call(HttpMethod.DELETE, "/platforms/" + parkedId, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithTheRightAnswer(BadInput row) {
        runner.run(row);
    }

    static Stream<BadInput> rows() {
        Map<String, String> admin = Map.of("Authorization", "{ADMIN}");
        String role = "{\"role\":\"CPO\",\"country_code\":\"NL\",\"party_id\":\"Q{M3}\","
                + "\"business_details\":{\"name\":\"Bad Input BV\"}}";
        String valid = "{\"name\":\"bi-{M}\",\"roles\":[" + role + "]}";
        List<BadInput> rows = new ArrayList<>();

        // authentication (D11): everything under /admin/api needs the admin credential (writes aim at an unknown
        // id, so that a row the hub wrongly takes cannot change what later rows see)
        for (String[] call : new String[][] {{"GET", P}, {"POST", P}, {"GET", P + "/{PARKED}"},
                {"DELETE", P + "/{UNKNOWN}"}, {"POST", P + "/{UNKNOWN}/suspend"}, {"POST", P + "/{UNKNOWN}/token-a"},
                {"GET", D}, {"POST", D + "/{UNKNOWN}/replay"}}) {
            String body = call[0].equals("POST") && call[1].equals(P) ? valid : null;
            rows.add(new BadInput(call[0] + " " + call[1] + " without Authorization", call[0], call[1], Map.of(),
                    body, 401, ADMIN_ERROR, "Authorization|credential|token"));
            rows.add(new BadInput(call[0] + " " + call[1] + " with a wrong bearer token", call[0], call[1],
                    Map.of("Authorization", "Bearer not-the-admin-token"), body, 401, ADMIN_ERROR,
                    "Authorization|credential|token"));
        }
        rows.add(new BadInput("OCPI Token scheme instead of Bearer", "GET", P,
                Map.of("Authorization", "Token {ADMIN}"), null, 401, ADMIN_ERROR, "Authorization|Bearer"));
        rows.add(new BadInput("admin token with trailing junk", "POST", P,
                Map.of("Authorization", "{ADMIN}x"), valid, 401, ADMIN_ERROR, "Authorization|credential|token"));

        // creating a platform: the body
        String createWhat = "POST " + P + ": ";
        rows.add(post(createWhat + "malformed JSON", "{\"name\": \"bi-{M}\", \"roles\": [", 400, "JSON"));
        rows.add(post(createWhat + "a JSON array", "[" + valid + "]", 400, "JSON|object|body"));
        rows.add(post(createWhat + "a JSON string", "\"bi-{M}\"", 400, "JSON|object|body"));
        rows.add(post(createWhat + "an empty body", "", 400, "body|JSON"));
        rows.add(post(createWhat + "missing name", "{\"roles\":[" + role + "],\"x\":\"{M}\"}", 400, "name"));
        rows.add(post(createWhat + "blank name", "{\"name\":\"   \",\"roles\":[" + role + "],\"x\":\"{M}\"}", 400,
                "name"));
        rows.add(post(createWhat + "name is a number", "{\"name\":42,\"roles\":[" + role + "],\"x\":\"{M}\"}", 400,
                "name"));
        rows.add(post(createWhat + "name is an object", "{\"name\":{\"n\":\"bi-{M}\"},\"roles\":[" + role + "]}",
                400, "name"));
        rows.add(post(createWhat + "name of 101 characters", "{\"name\":\"bi-{M}" + "n".repeat(101)
                + "\",\"roles\":[" + role + "]}", 400, "name"));
        rows.add(post(createWhat + "missing roles", "{\"name\":\"bi-{M}\"}", 400, "roles"));
        rows.add(post(createWhat + "empty roles", "{\"name\":\"bi-{M}\",\"roles\":[]}", 400, "roles"));
        rows.add(post(createWhat + "roles is a string", "{\"name\":\"bi-{M}\",\"roles\":\"CPO\"}", 400, "roles"));
        rows.add(post(createWhat + "roles[0] is null", "{\"name\":\"bi-{M}\",\"roles\":[null]}", 400,
                "roles\\[0\\]"));
        rows.add(post(createWhat + "unknown role PIRATE", valid.replace("\"CPO\"", "\"PIRATE\""), 400, "role"));
        rows.add(post(createWhat + "role in lower case (enum values are upper case)", valid.replace("\"CPO\"",
                "\"cpo\""), 400, "role"));
        rows.add(post(createWhat + "role HUB", valid.replace("\"CPO\"", "\"HUB\""), 400, "role"));
        rows.add(post(createWhat + "role missing", valid.replace("\"role\":\"CPO\",", ""), 400, "role"));
        rows.add(post(createWhat + "country_code of 3 letters", valid.replace("\"NL\"", "\"NLD\""), 400,
                "country_code"));
        rows.add(post(createWhat + "country_code missing", valid.replace("\"country_code\":\"NL\",", ""), 400,
                "country_code"));
        rows.add(post(createWhat + "country_code is a number", valid.replace("\"NL\"", "31"), 400,
                "country_code"));
        rows.add(post(createWhat + "party_id of 4 characters", valid.replace("\"Q{M3}\"", "\"QQQQ\""), 400,
                "party_id"));
        rows.add(post(createWhat + "party_id missing", valid.replace("\"party_id\":\"Q{M3}\",", ""), 400,
                "party_id"));
        rows.add(post(createWhat + "party_id with a control character", valid.replace("\"Q{M3}\"", "\"Q\\u0007\""),
                400, "party_id"));
        rows.add(post(createWhat + "business_details missing", valid.replace(",\"business_details\":{\"name\":"
                + "\"Bad Input BV\"}", ""), 400, "business_details"));
        rows.add(post(createWhat + "business_details.name missing", valid.replace("{\"name\":\"Bad Input BV\"}",
                "{}"), 400, "business_details.name|name"));
        rows.add(post(createWhat + "unknown token_encoding", "{\"name\":\"bi-{M}\",\"token_encoding\":\"ROT13\","
                + "\"roles\":[" + role + "]}", 400, "token_encoding"));
        rows.add(post(createWhat + "the same role twice", "{\"name\":\"bi-{M}\",\"roles\":[" + role + "," + role
                + "]}", 400, "roles\\[1\\]"));
        rows.add(post(createWhat + "the hub's own party NL/HUB", valid.replace("\"Q{M3}\"", "\"HUB\""), 400,
                "NL/HUB|hub"));
        rows.add(post(createWhat + "duplicate key name", "{\"name\":\"bi-{M}\",\"name\":\"bi2-{M}\",\"roles\":["
                + role + "]}", 400, "name"));
        rows.add(post(createWhat + "a role another platform holds", "{\"name\":\"bi-{M}\",\"roles\":["
                + "{\"role\":\"CPO\",\"country_code\":\"{TAKEN_CC}\",\"party_id\":\"{TAKEN_PID}\","
                + "\"business_details\":{\"name\":\"Thief\"}}]}", 409, "{TAKEN_PID}"));
        rows.add(post(createWhat + "a body of 2 MB", "{\"name\":\"bi-{M}\",\"x\":\"" + "x".repeat(2 * 1024 * 1024)
                + "\",\"roles\":[" + role + "]}", 413, "large"));
        rows.add(new BadInput(createWhat + "Content-Type text/plain", "POST", P,
                with(admin, "Content-Type", "text/plain"), valid, 415, ADMIN_ERROR, "Content.Type|media type"));
        // siblings (strict binding: no scalar coercion, no repeated key at any depth; plain framework refusals)
        rows.add(post(createWhat + "a JSON number", "42", 400, "JSON|object|body"));
        rows.add(post(createWhat + "two JSON values", valid + " {}", 400, "JSON"));
        rows.add(new BadInput("GET " + P + " accepting only XML", "GET", P, with(admin, "Accept", "application/xml"),
                null, 406, ADMIN_ERROR, "accept application/json"));
        rows.add(post(createWhat + "roles[0].role is a number", valid.replace("\"CPO\"", "0"), 400,
                "roles\\[0\\]\\.role"));
        rows.add(post(createWhat + "party_id is a number", valid.replace("\"Q{M3}\"", "123"), 400, "party_id"));
        rows.add(post(createWhat + "business_details.name is a boolean", valid.replace("\"Bad Input BV\"", "true"),
                400, "business_details\\.name"));
        rows.add(post(createWhat + "token_encoding is a number", "{\"name\":\"bi-{M}\",\"token_encoding\":1,"
                + "\"roles\":[" + role + "]}", 400, "token_encoding"));
        rows.add(post(createWhat + "duplicate key party_id in roles[0]", valid.replace("\"party_id\":\"Q{M3}\"",
                "\"party_id\":\"Q{M3}\",\"party_id\":\"R{M3}\""), 400, "roles\\[0\\]\\.party_id"));
        rows.add(new BadInput(createWhat + "Content-Type application/xml", "POST", P,
                with(admin, "Content-Type", "application/xml"), valid, 415, ADMIN_ERROR,
                "Content-Type application/xml is not supported: send application/json"));

        // unknown ids
        for (String[] call : new String[][] {{"GET", P + "/{UNKNOWN}"}, {"GET", P + "/not-a-uuid"},
                {"POST", P + "/{UNKNOWN}/suspend"}, {"POST", P + "/{UNKNOWN}/reactivate"},
                {"POST", P + "/{UNKNOWN}/token-a"}, {"DELETE", P + "/{UNKNOWN}"}, {"DELETE", P + "/not-a-uuid"},
                {"POST", D + "/{UNKNOWN}/replay"}, {"POST", D + "/{UNKNOWN}/resend-current"},
                {"POST", D + "/not-a-uuid/replay"}}) {
            String id = call[1].contains("not-a-uuid") ? "not-a-uuid" : "{UNKNOWN}";
            rows.add(new BadInput(call[0] + " " + call[1] + ": unknown id", call[0], call[1], admin, null, 404,
                    ADMIN_ERROR, id));
        }
        rows.add(new BadInput("POST register for an unknown id", "POST", P + "/{UNKNOWN}/register", admin,
                "{\"versions_url\":\"https://platform.example/ocpi/versions\",\"token\":\"abc\"}", 404, ADMIN_ERROR,
                "{UNKNOWN}"));

        // hub-initiated registration: the body
        String register = P + "/{PARKED}/register";
        rows.add(new BadInput("register: malformed JSON", "POST", register, admin, "{\"versions_url\":", 400,
                ADMIN_ERROR, "JSON"));
        rows.add(new BadInput("register: versions_url missing", "POST", register, admin, "{\"token\":\"abc\"}",
                400, ADMIN_ERROR, "versions_url"));
        rows.add(new BadInput("register: versions_url is not a URL", "POST", register, admin,
                "{\"versions_url\":\"not a url\",\"token\":\"abc\"}", 400, ADMIN_ERROR, "versions_url"));
        rows.add(new BadInput("register: versions_url is ftp", "POST", register, admin,
                "{\"versions_url\":\"ftp://platform.example/versions\",\"token\":\"abc\"}", 400, ADMIN_ERROR,
                "versions_url"));
        rows.add(new BadInput("register: versions_url is a number", "POST", register, admin,
                "{\"versions_url\":42,\"token\":\"abc\"}", 400, ADMIN_ERROR, "versions_url"));
        rows.add(new BadInput("register: versions_url is the hub's own (issue 7 item 2)", "POST", register, admin,
                "{\"versions_url\":\"{HUB_VERSIONS}\",\"token\":\"abc\"}", 400, ADMIN_ERROR, "versions_url"));
        rows.add(new BadInput("register: token missing", "POST", register, admin,
                "{\"versions_url\":\"https://platform.example/ocpi/versions\"}", 400, ADMIN_ERROR, "token"));
        rows.add(new BadInput("register: token of 65 characters", "POST", register, admin,
                "{\"versions_url\":\"https://platform.example/ocpi/versions\",\"token\":\"" + "t".repeat(65) + "\"}",
                400, ADMIN_ERROR, "token"));
        rows.add(new BadInput("register: token with a line break", "POST", register, admin,
                "{\"versions_url\":\"https://platform.example/ocpi/versions\",\"token\":\"ab\\r\\nX-Evil: 1\"}",
                400, ADMIN_ERROR, "token"));
        rows.add(new BadInput("register: token is a number", "POST", register, admin,
                "{\"versions_url\":\"https://platform.example/ocpi/versions\",\"token\":12345}", 400, ADMIN_ERROR,
                "token"));
        rows.add(new BadInput("register: versions_url is the hub's loopback address on its own port", "POST",
                register, admin, "{\"versions_url\":\"{HUB_LOOPBACK}\",\"token\":\"abc\"}", 400, ADMIN_ERROR,
                "versions_url"));
        rows.add(new BadInput("register: duplicate key versions_url", "POST", register, admin,
                "{\"versions_url\":\"https://platform.example/ocpi/versions\",\"token\":\"abc\","
                        + "\"versions_url\":\"{HUB_VERSIONS}\"}", 400, ADMIN_ERROR, "versions_url"));
        rows.add(new BadInput("register: Content-Type text/plain", "POST", register,
                with(admin, "Content-Type", "text/plain"),
                "{\"versions_url\":\"https://platform.example/ocpi/versions\",\"token\":\"abc\"}", 415,
                ADMIN_ERROR, "Content-Type text/plain"));

        // deliveries: query parameters
        rows.add(new BadInput("deliveries: unknown status", "GET", D + "?status=lost", admin, null, 400,
                ADMIN_ERROR, "status"));
        rows.add(new BadInput("deliveries: limit is not a number", "GET", D + "?limit=many", admin, null, 400,
                ADMIN_ERROR, "limit"));
        rows.add(new BadInput("deliveries: negative limit", "GET", D + "?limit=-5", admin, null, 400, ADMIN_ERROR,
                "limit"));
        rows.add(new BadInput("deliveries: limit beyond an int", "GET", D + "?limit=99999999999", admin, null, 400,
                ADMIN_ERROR, "limit"));
        for (String query : new String[] {"limit=0", "limit=1.5", "limit=5&limit=6", "limit=%2B5"}) {
            rows.add(new BadInput("deliveries: " + query, "GET", D + "?" + query, admin, null, 400, ADMIN_ERROR,
                    "limit"));
        }
        // the same kind on the store failures list
        for (String query : new String[] {"limit=many", "limit=-5", "limit=99999999999", "limit=2.5"}) {
            rows.add(new BadInput("store-failures: " + query, "GET", "/admin/api/store-failures?" + query, admin,
                    null, 400, ADMIN_ERROR, "limit"));
        }

        // methods and routes that do not exist
        rows.add(new BadInput("PUT on the platform list", "PUT", P, admin, valid, 405, ADMIN_ERROR, "PUT|method"));
        rows.add(new BadInput("DELETE on the platform list", "DELETE", P, admin, null, 405, ADMIN_ERROR,
                "DELETE|method"));
        rows.add(new BadInput("PATCH on a platform", "PATCH", P + "/{PARKED}", admin, "{\"name\":\"bi-{M}\"}", 405,
                ADMIN_ERROR, "PATCH|method"));
        rows.add(new BadInput("GET on suspend", "GET", P + "/{PARKED}/suspend", admin, null, 405, ADMIN_ERROR,
                "GET|method"));
        rows.add(new BadInput("an admin route that does not exist", "GET", "/admin/api/nothing-here", admin, null,
                404, ADMIN_ERROR, "nothing-here|not found|no such"));
        rows.add(new BadInput("an admin route under a platform that does not exist", "GET",
                P + "/{PARKED}/nothing-here", admin, null, 404, ADMIN_ERROR,
                "not found: no endpoint at /admin/api/platforms/{PARKED}/nothing-here"));
        rows.add(new BadInput("DELETE on the delivery list names the allowed method", "DELETE", D, admin, null, 405,
                ADMIN_ERROR, "method DELETE is not allowed at /admin/api/deliveries \\(allowed: GET\\)"));
        return rows.stream();
    }

    private static BadInput post(String name, String body, int http, String message) {
        return new BadInput(name, "POST", P, Map.of("Authorization", "{ADMIN}"), body, http, ADMIN_ERROR, message);
    }

    /** No platform carries the row's marker, and the parked platform is untouched. */
    private static void nothingStored(BadInput row, String marker, SoftAssertions soft) {
        AdminClient.Answer list = hub.admin().get("/platforms");
        soft.assertThat(list.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        JsonNode parked = null;
        for (JsonNode platform : list.body().valueStream().toList()) {
            String name = platform.path("name").asString();
            if (name.contains(marker)) {
                names.add(name);
            }
            if (parkedId.equals(platform.path("id").asString())) {
                parked = platform;
            }
        }
        soft.assertThat(names).as("platforms created by a refused row").isEmpty();
        soft.assertThat(parked).as("the parked platform still exists").isNotNull();
        if (parked != null) {
            soft.assertThat(parked.path("status").asString()).as("the parked platform's status").isEqualTo("PLANNED");
        }
    }
}
