package org.ocpihub.app.badinput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.TokenEncoding;
import org.springframework.http.HttpMethod;

/**
 * Bad input on the configuration modules the hub serves itself: credentials (POST with token A, PUT and DELETE
 * with token C; CRED 7.2), versions (VER 6) and the Hub Client Info list (HCI 15.3.2).
 * <p>
 * A row that could change a platform if the hub wrongly took it gets a platform of its own, made just for it: a
 * PLANNED one for {@code {PLANNED_AUTH}} (token A), a registered one for {@code {REGISTERED_AUTH}} (token C). After
 * the row, the PLANNED platform must still be PLANNED, and the registered one CONNECTED with its token C still
 * working: nothing was stored. No row depends on another.
 */
class ConfigurationBadInputTest {

    private static final String V = "/ocpi/2.2.1";
    private static final String CRED = V + "/credentials";
    private static RunningHub hub;
    private static SimulatedPlatform member;
    private static String memberId;
    private static Map<String, String> vars;

    @BeforeAll
    static void prepare() {
        hub = RunningHub.shared();
        PartyRole role = Parties.emsp();
        member = SimulatedPlatform.builder().name("bi-config-member").role(role)
                .modules("hubclientinfo:RECEIVER").start();
        memberId = RoutingParties.registerWith(hub, member, role);
        vars = new HashMap<>();
        vars.put("MEMBER_AUTH", TokenEncoding.BASE64.authorizationHeader(member.tokenForHub().orElseThrow()));
        vars.put("UNKNOWN_AUTH", TokenEncoding.BASE64.authorizationHeader("no-such-token-" + System.nanoTime()));
        vars.put("HUB_VERSIONS", hub.versionsUrl());
        vars.put("HUB_LOOPBACK", "http://127.0.0.1:" + java.net.URI.create(hub.url()).getPort() + "/ocpi/versions");
    }

    @AfterAll
    static void removeMember() {
        member.close();
        hub.admin().call(HttpMethod.DELETE, "/platforms/" + memberId, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithTheRightAnswer(BadInput row) {
        Map<String, String> rowVars = new HashMap<>(vars);
        List<Runnable> cleanup = new ArrayList<>();
        List<BadInputRunner.StoreCheck> checks = new ArrayList<>();
        try {
            if (uses(row, "{PLANNED_")) {
                PartyRole role = Parties.cpo();
                AdminClient.Answer created = hub.admin().createPlatform("bi-config-planned", List.of(role));
                String id = created.text("id");
                cleanup.add(() -> hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null));
                rowVars.put("PLANNED_AUTH", TokenEncoding.BASE64.authorizationHeader(created.text("token_a")));
                rowVars.put("PLANNED_PID", role.partyId());
                checks.add((r, marker, soft) -> soft.assertThat(hub.admin().get("/platforms/" + id).text("status"))
                        .as("the row's PLANNED platform after the row").isEqualTo("PLANNED"));
            }
            if (uses(row, "{REGISTERED_")) {
                PartyRole role = Parties.cpo();
                SimulatedPlatform platform = SimulatedPlatform.builder().name("bi-config-registered").role(role)
                        .modules("locations:SENDER").start();
                String id = RoutingParties.registerWith(hub, platform, role);
                cleanup.add(() -> {
                    platform.close();
                    hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null);
                });
                String tokenC = platform.tokenForHub().orElseThrow();
                rowVars.put("REGISTERED_AUTH", TokenEncoding.BASE64.authorizationHeader(tokenC));
                rowVars.put("REGISTERED_PID", role.partyId());
                rowVars.put("REGISTERED_URL", platform.versionsUrl());
                checks.add((r, marker, soft) -> {
                    soft.assertThat(hub.admin().get("/platforms/" + id).text("status"))
                            .as("the row's registered platform after the row").isEqualTo("CONNECTED");
                    soft.assertThat(platform.client().send("GET", hub.url() + CRED, tokenC, null)
                            .block(RoutingParties.WAIT).httpStatus()).as("its token C still opens credentials")
                            .isEqualTo(200);
                });
            }
            BadInputRunner runner = new BadInputRunner(hub.url(), rowVars, List.of(member),
                    (r, marker, soft) -> checks.forEach(c -> c.assertNothingStored(r, marker, soft)));
            runner.run(row);
        } finally {
            cleanup.forEach(Runnable::run);
        }
    }

    private static boolean uses(BadInput row, String placeholder) {
        return row.headers().values().stream().anyMatch(v -> v != null && v.contains(placeholder))
                || (row.body() != null && row.body().contains(placeholder));
    }

    static Stream<BadInput> rows() {
        List<BadInput> rows = new ArrayList<>();
        Map<String, String> planned = Map.of("Authorization", "{PLANNED_AUTH}");
        Map<String, String> registered = Map.of("Authorization", "{REGISTERED_AUTH}");
        Map<String, String> memberAuth = Map.of("Authorization", "{MEMBER_AUTH}");
        String role = "{\"role\":\"CPO\",\"country_code\":\"NL\",\"party_id\":\"{PLANNED_PID}\","
                + "\"business_details\":{\"name\":\"Bad Input BV\"}}";
        String post = "{\"token\":\"tok-{M}\",\"url\":\"https://platform.invalid/ocpi/versions\",\"roles\":["
                + role + "]}";

        // POST with token A (CRED 7.2.2): the body
        String p = "credentials POST: ";
        rows.add(new BadInput(p + "malformed JSON", "POST", CRED, planned, "{\"token\":\"tok-{M}\",", 400, 2001,
                "JSON"));
        rows.add(new BadInput(p + "a JSON array", "POST", CRED, planned, "[" + post + "]", 200, 2001,
                "body|object|credentials"));
        rows.add(new BadInput(p + "token missing", "POST", CRED, planned, post.replace("\"token\":\"tok-{M}\",",
                ""), 200, 2001, "token"));
        rows.add(new BadInput(p + "token is a number", "POST", CRED, planned, post.replace("\"tok-{M}\"", "4711"),
                200, 2001, "token"));
        rows.add(new BadInput(p + "token of 65 characters", "POST", CRED, planned, post.replace("\"tok-{M}\"",
                "\"" + "t".repeat(65) + "\""), 200, 2001, "token"));
        rows.add(new BadInput(p + "duplicate key token", "POST", CRED, planned, "{\"token\":\"first-{M}\","
                + post.substring(1), 200, 2001, "token"));
        rows.add(new BadInput(p + "url missing", "POST", CRED, planned,
                post.replace("\"url\":\"https://platform.invalid/ocpi/versions\",", ""), 200, 2001, "url"));
        rows.add(new BadInput(p + "url is not a URL", "POST", CRED, planned,
                post.replace("https://platform.invalid/ocpi/versions", "not a url"), 200, 2001, "url"));
        rows.add(new BadInput(p + "url is ftp", "POST", CRED, planned,
                post.replace("https://", "ftp://"), 200, 2001, "url"));
        rows.add(new BadInput(p + "url is the hub's own versions URL (issue 7 item 2)", "POST", CRED, planned,
                post.replace("https://platform.invalid/ocpi/versions", "{HUB_VERSIONS}"), 200, 2001, "url"));
        rows.add(new BadInput(p + "roles missing", "POST", CRED, planned,
                "{\"token\":\"tok-{M}\",\"url\":\"https://platform.invalid/ocpi/versions\"}", 200, 2001, "roles"));
        rows.add(new BadInput(p + "roles empty", "POST", CRED, planned, post.replace("[" + role + "]", "[]"), 200,
                2001, "roles"));
        rows.add(new BadInput(p + "role PIRATE", "POST", CRED, planned, post.replace("\"CPO\"", "\"PIRATE\""), 200,
                2001, "role"));
        rows.add(new BadInput(p + "country_code of 3 letters", "POST", CRED, planned, post.replace("\"NL\"",
                "\"NLD\""), 200, 2001, "country_code"));
        rows.add(new BadInput(p + "party_id of 4 characters", "POST", CRED, planned,
                post.replace("\"{PLANNED_PID}\"", "\"ABCD\""), 200, 2001, "party_id"));
        rows.add(new BadInput(p + "business_details missing", "POST", CRED, planned,
                post.replace(",\"business_details\":{\"name\":\"Bad Input BV\"}", ""), 200, 2001,
                "business_details"));
        // siblings: no scalar coercion and no repeated key at any depth (the JSON the hub reads itself), the hub's
        // own address in another spelling, a null role, a body that is not JSON by its Content-Type
        rows.add(new BadInput(p + "url is a number", "POST", CRED, planned,
                post.replace("\"https://platform.invalid/ocpi/versions\"", "42"), 200, 2001, "url"));
        rows.add(new BadInput(p + "role is a number", "POST", CRED, planned, post.replace("\"CPO\"", "1"), 200,
                2001, "roles\\[0\\]\\.role"));
        rows.add(new BadInput(p + "country_code is a number", "POST", CRED, planned, post.replace("\"NL\"", "31"),
                200, 2001, "roles\\[0\\]\\.country_code"));
        rows.add(new BadInput(p + "duplicate key party_id in roles[0]", "POST", CRED, planned,
                post.replace("\"party_id\":\"{PLANNED_PID}\"", "\"party_id\":\"{PLANNED_PID}\",\"party_id\":\"GAM\""),
                200, 2001, "roles\\[0\\]\\.party_id"));
        rows.add(new BadInput(p + "duplicate key url", "POST", CRED, planned, post.replace("\"roles\":",
                "\"url\":\"{HUB_VERSIONS}\",\"roles\":"), 200, 2001, "url"));
        rows.add(new BadInput(p + "roles[0] is null", "POST", CRED, planned, post.replace("[" + role + "]",
                "[null]"), 200, 2001, "roles\\[0\\]"));
        rows.add(new BadInput(p + "url is the hub's loopback address on its own port", "POST", CRED, planned,
                post.replace("https://platform.invalid/ocpi/versions", "{HUB_LOOPBACK}"), 200, 2001, "url"));
        rows.add(new BadInput(p + "Content-Type text/plain", "POST", CRED, BadInput.with(planned, "Content-Type",
                "text/plain"), post, 415, 2000, "Content-Type text/plain is not supported: send application/json"));
        rows.add(new BadInput(p + "two JSON values", "POST", CRED, planned, post + " {}", 400, 2001, "JSON"));
        rows.add(new BadInput("credentials GET accepting only XML", "GET", CRED, BadInput.with(memberAuth, "Accept",
                "application/xml"), null, 406, 2000, "accept application/json"));
        rows.add(new BadInput(p + "a role the operator did not grant (D3)", "POST", CRED, planned,
                post.replace("\"{PLANNED_PID}\"", "\"GAM\"").replace("\"NL\"", "\"BE\""), 403, 2001, "BE.GAM"));
        rows.add(new BadInput(p + "a body of 2 MB", "POST", CRED, planned, "{\"x\":\"" + "x".repeat(2 << 20)
                + "\"," + post.substring(1), 413, 2001, "large"));
        rows.add(new BadInput(p + "no Authorization", "POST", CRED, Map.of(), post, 401, 2000, "Authorization"));
        rows.add(new BadInput(p + "unknown token", "POST", CRED, Map.of("Authorization", "{UNKNOWN_AUTH}"), post,
                401, 2000, "token"));
        rows.add(new BadInput(p + "by a registered platform (CRED 7.2.2: 405)", "POST", CRED, registered,
                post.replace("{PLANNED_PID}", "{REGISTERED_PID}"), 405, 2000, "registered|PUT|method"));

        // PUT with token C (CRED 7.2.3)
        String putRole = role.replace("{PLANNED_PID}", "{REGISTERED_PID}");
        String put = "{\"token\":\"tok-{M}\",\"url\":\"{REGISTERED_URL}\",\"roles\":[" + putRole + "]}";
        String u = "credentials PUT: ";
        rows.add(new BadInput(u + "malformed JSON", "PUT", CRED, registered, "{\"token\":", 400, 2001, "JSON"));
        rows.add(new BadInput(u + "token missing", "PUT", CRED, registered, put.replace("\"token\":\"tok-{M}\",",
                ""), 200, 2001, "token"));
        rows.add(new BadInput(u + "token is an object", "PUT", CRED, registered, put.replace("\"tok-{M}\"",
                "{\"t\":\"{M}\"}"), 200, 2001, "token"));
        rows.add(new BadInput(u + "url missing", "PUT", CRED, registered, put.replace("\"url\":\"{REGISTERED_URL}\",",
                ""), 200, 2001, "url"));
        rows.add(new BadInput(u + "roles empty", "PUT", CRED, registered, put.replace("[" + putRole + "]", "[]"),
                200, 2001, "roles"));
        rows.add(new BadInput(u + "url is the hub's own versions URL", "PUT", CRED, registered,
                put.replace("{REGISTERED_URL}", "{HUB_VERSIONS}"), 200, 2001, "url"));
        rows.add(new BadInput(u + "duplicate key token", "PUT", CRED, registered, "{\"token\":\"first-{M}\","
                + put.substring(1), 200, 2001, "token"));
        rows.add(new BadInput(u + "token is a boolean", "PUT", CRED, registered, put.replace("\"tok-{M}\"", "true"),
                200, 2001, "token"));
        rows.add(new BadInput(u + "a role the operator did not grant (D3)", "PUT", CRED, registered,
                put.replace("\"{REGISTERED_PID}\"", "\"GAM\"").replace("\"NL\"", "\"BE\""), 403, 2001, "BE.GAM"));
        rows.add(new BadInput(u + "by a platform not registered yet (CRED 7.2.3: 405)", "PUT", CRED, planned,
                post, 405, 2000, "register|POST|method"));
        rows.add(new BadInput(u + "unknown token", "PUT", CRED, Map.of("Authorization", "{UNKNOWN_AUTH}"), put,
                401, 2000, "token"));

        // DELETE (CRED 7.2.4) and GET
        rows.add(new BadInput("credentials DELETE by a platform not registered (405)", "DELETE", CRED, planned,
                null, 405, 2000, "register|method"));
        rows.add(new BadInput("credentials DELETE without Authorization", "DELETE", CRED, Map.of(), null, 401,
                2000, "Authorization"));
        rows.add(new BadInput("credentials DELETE with an unknown token", "DELETE", CRED,
                Map.of("Authorization", "{UNKNOWN_AUTH}"), null, 401, 2000, "token"));
        rows.add(new BadInput("credentials GET without Authorization", "GET", CRED, Map.of(), null, 401, 2000,
                "Authorization"));
        rows.add(new BadInput("credentials PATCH (no such method)", "PATCH", CRED, registered, put, 405, 2000,
                "PATCH|method"));

        // versions (VER 6)
        for (String path : List.of("/ocpi/versions", V)) {
            rows.add(new BadInput("GET " + path + " without Authorization", "GET", path, Map.of(), null, 401, 2000,
                    "Authorization"));
            rows.add(new BadInput("GET " + path + " with an unknown token", "GET", path,
                    Map.of("Authorization", "{UNKNOWN_AUTH}"), null, 401, 2000, "token"));
            rows.add(new BadInput("GET " + path + " with 'Token' and no value", "GET", path,
                    Map.of("Authorization", "Token "), null, 401, 2000, "Authorization"));
            rows.add(new BadInput("GET " + path + " with a Bearer scheme", "GET", path,
                    Map.of("Authorization", "Bearer abc"), null, 401, 2000, "Authorization"));
            rows.add(new BadInput("POST " + path, "POST", path, memberAuth, "{}", 405, 2000, "POST|method"));
        }
        rows.add(new BadInput("GET an unsupported version 2.1.1", "GET", "/ocpi/2.1.1", memberAuth, null, 404,
                2000, "2\\.1\\.1|not found|no such"));

        // Hub Client Info list (HCI 15.3.2, paging TF 4.1.3)
        String hci = V + "/hubclientinfo";
        rows.add(new BadInput("hubclientinfo without Authorization", "GET", hci, Map.of(), null, 401, 2000,
                "Authorization"));
        rows.add(new BadInput("hubclientinfo with an unknown token", "GET", hci,
                Map.of("Authorization", "{UNKNOWN_AUTH}"), null, 401, 2000, "token"));
        rows.add(new BadInput("hubclientinfo with token A", "GET", hci, planned, null, 401, 2000,
                "token A|register"));
        for (String query : List.of("limit=many", "limit=-3", "offset=-1", "offset=1.5", "date_from=yesterday",
                "date_to=2024-02-30T00:00:00Z", "date_from=2024-01-01T00:00:00Z&date_from=2025-01-01T00:00:00Z",
                "date_to=2030-01-01T00:00:00Z&date_to=2030-01-01T00:00:00Z", "offset=0&limit=5&offset=5",
                "limit=5&limit=10", "limit=1e3")) {
            String param = query.substring(0, query.indexOf('='));
            rows.add(new BadInput("hubclientinfo with " + query, "GET", hci + "?" + query, memberAuth, null, 200,
                    2001, param));
        }
        rows.add(new BadInput("hubclientinfo PUT (the hub's list is read-only)", "PUT", hci, memberAuth,
                "{\"party_id\":\"GAM\",\"country_code\":\"BE\",\"role\":\"CPO\",\"status\":\"CONNECTED\","
                        + "\"last_updated\":\"2024-01-01T00:00:00Z\"}", 405, 2000, "PUT|method"));
        return rows.stream();
    }
}
