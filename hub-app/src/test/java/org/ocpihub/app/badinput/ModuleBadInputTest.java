package org.ocpihub.app.badinput;

import static org.ocpihub.app.badinput.BadInput.with;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input on the OCPI functional modules (locations, sessions, cdrs, tariffs, tokens, commands, chargingprofiles),
 * sender and receiver interfaces, routed to a party and broadcast to the hub: every kind of fault is tried on every
 * operation it applies to. The expected answers are the ones the spec and issue 7 ask for:
 * <ul>
 *   <li>no or unknown token, or token A → 401 + 2000 (TF 4.1.2: SHALL 401; 2000 is the generic client error);</li>
 *   <li>missing or malformed routing headers → 400 + 2001 naming the header (the request is not addressed, so it
 *       never reaches the OCPI layer);</li>
 *   <li>a from-pair, or an owner in the URL or body, that the caller does not hold → 403 + 2001;</li>
 *   <li>malformed JSON → 400 + 2001 (SC 5);</li>
 *   <li>a content error of an authenticated, authorized sender (missing id, wrong type, body id differing from the
 *       URL id, duplicate key, a request the hub does not take) → 200 + 2001 naming the field (SC 5: MUST NOT use an
 *       HTTP error);</li>
 *   <li>unknown receiver → 200 + 4001; a body over the limit → 413;</li>
 *   <li>ids are CiString: {@code loc1} in the body and {@code LOC1} in the URL is not an error.</li>
 * </ul>
 * Each row also checks that nothing reached either party and, for broadcasts, that GET All via the hub does not
 * serve the marker.
 */
class ModuleBadInputTest extends SharedPartiesPerClass {

    private static final String V = "/ocpi/2.2.1";
    private static final String SIX_MB = "x".repeat(6 * 1024 * 1024);
    private static BadInputRunner runner;

    /** Who calls, and who is addressed. */
    enum Side { CPO, EMSP, HUB, NOBODY }

    /**
     * One operation a member may do through the hub.
     *
     * @param label   what it is, e.g. "locations PUT routed"
     * @param from    who sends it
     * @param to      who it is addressed to (HUB: broadcast or GET All)
     * @param method  HTTP method
     * @param path    hub path with placeholders
     * @param body    a valid body (placeholders allowed), or null
     * @param idField the id field a whole-object PUT repeats from the URL ("id", "uid"), or null
     * @param owner   whether the body names its owner (country_code/party_id)
     */
    record Op(String label, Side from, Side to, String method, String path, ObjectNode body, String idField,
              boolean owner) {
        boolean routed() {
            return to != Side.HUB;
        }

        String bodyText() {
            return body == null ? null : body.toString();
        }
    }

    @BeforeAll
    static void prepare() {
        String tokenA = hub.admin().createPlatform("bi-modules-planned", List.of(Parties.cpo())).text("token_a");
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("CPO", parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId());
        vars.put("EMSP", parties.emspRole.countryCode() + "/" + parties.emspRole.partyId());
        vars.put("CPO_AUTH", TokenEncoding.BASE64.authorizationHeader(parties.cpo.tokenForHub().orElseThrow()));
        vars.put("EMSP_AUTH", TokenEncoding.BASE64.authorizationHeader(parties.emsp.tokenForHub().orElseThrow()));
        vars.put("TOKEN_A_AUTH", TokenEncoding.BASE64.authorizationHeader(tokenA));
        vars.put("UNKNOWN_AUTH", TokenEncoding.BASE64.authorizationHeader("no-such-token-" + System.nanoTime()));
        runner = new BadInputRunner(hub.url(), vars, List.of(parties.cpo, parties.emsp),
                ModuleBadInputTest::nothingBroadcastStored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithTheRightAnswer(BadInput row) {
        runner.run(row);
    }

    // ---- the table ----

    static Stream<BadInput> rows() {
        List<BadInput> rows = new ArrayList<>();
        List<Op> ops = operations();
        for (Op op : ops) {
            Map<String, String> ok = headers(op.from(), op.to());
            String body = op.bodyText();
            rows.add(row(op, "no Authorization header", with(ok, "Authorization", null), body,
                    401, 2000, "Authorization"));
            rows.add(row(op, "unknown token", with(ok, "Authorization", "{UNKNOWN_AUTH}"), body,
                    401, 2000, "token"));
            rows.add(row(op, "OCPI-from is the other member's party", spoofedFrom(op), body,
                    403, 2001, "OCPI-from"));
            rows.add(row(op, "OCPI-from-country-code missing", with(ok, "OCPI-from-country-code", null), body,
                    400, 2001, "OCPI-from-country-code"));
            if (body != null) {
                rows.add(row(op, "malformed JSON", ok, "{\"id\": \"{M}\", ", 400, 2001, "JSON"));
                // every push body is read strictly before forwarding, whether or not the hub needs its content
                rows.add(row(op, "a key given twice", ok, "{\"x_twice\":1,\"x_twice\":2," + body.substring(1),
                        200, 2001, "x_twice"));
                rows.add(row(op, "a JSON array instead of an object", ok, "[" + body + "]", 200, 2001, "object"));
            }
            if (op.routed()) {
                Map<String, String> nobody = with(with(ok, "OCPI-to-country-code", "ZZ"), "OCPI-to-party-id", "NOB");
                rows.add(row(op, "unknown receiver ZZ/NOB", nobody, body, 200, 4001, "ZZ/NOB"));
            }
        }
        // token A opens versions and credentials only (TF 4.1.2): one operation per module
        for (String label : List.of("locations PUT routed", "sessions PATCH routed", "cdrs POST routed",
                "tariffs DELETE broadcast", "tokens GET All", "commands START_SESSION routed",
                "chargingprofiles PUT routed")) {
            Op op = op(ops, label);
            rows.add(row(op, "token A of a platform that never registered",
                    with(headers(op.from(), op.to()), "Authorization", "{TOKEN_A_AUTH}"), op.bodyText(),
                    401, 2000, "token A|register"));
        }
        // over the size limit, streamed or buffered (issue 7 item 7: a 6 MB PATCH passes today)
        for (String label : List.of("locations PATCH routed", "sessions PATCH routed", "tokens PATCH routed",
                "cdrs POST routed", "commands START_SESSION routed", "chargingprofiles PUT routed",
                "locations PATCH broadcast", "tokens PUT broadcast")) {
            Op op = op(ops, label);
            rows.add(row(op, "6 MB body", headers(op.from(), op.to()),
                    "{\"id\":\"{M}\",\"x\":\"" + SIX_MB + "\"}", 413, 2001, "large"));
        }
        for (Op op : ops) {
            if (op.body() == null || !op.owner()) {
                continue;
            }
            Map<String, String> ok = headers(op.from(), op.to());
            String otherPid = op.from() == Side.CPO ? parties.emspRole.partyId() : parties.cpoRole.partyId();
            ObjectNode foreignParty = op.body().deepCopy();
            foreignParty.put("party_id", otherPid);
            rows.add(row(op, "body party_id names another party", ok, foreignParty.toString(), 403, 2001,
                    "party_id"));
            if (!op.method().equals("PATCH")) {
                ObjectNode foreignCountry = op.body().deepCopy();
                foreignCountry.put("country_code", "BE");
                rows.add(row(op, "body country_code names another country", ok, foreignCountry.toString(), 403,
                        2001, "country_code"));
                // a receiver that keeps the first of two keys would read another owner than the hub checked
                rows.add(row(op, "duplicate key party_id, the first another party's", ok,
                        "{\"party_id\":\"" + otherPid + "\"," + op.bodyText().substring(1), 200, 2001, "party_id"));
                ObjectNode numericParty = op.body().deepCopy();
                numericParty.put("party_id", 42);
                rows.add(row(op, "party_id is a number", ok, numericParty.toString(), 200, 2001, "party_id"));
            }
        }
        for (Op op : ops) {
            if (op.idField() == null) {
                continue;
            }
            Map<String, String> ok = headers(op.from(), op.to());
            String idName = "\\b" + op.idField() + "\\b";
            ObjectNode otherId = op.body().deepCopy();
            otherId.put(op.idField(), "OTHER-{M}");
            rows.add(row(op, "body " + op.idField() + " differs from the URL's", ok, otherId.toString(), 200, 2001,
                    idName));
            ObjectNode noId = op.body().deepCopy();
            noId.remove(op.idField());
            rows.add(row(op, "body without " + op.idField(), ok, noId.toString(), 200, 2001, idName));
            ObjectNode numericId = op.body().deepCopy();
            numericId.put(op.idField(), 7);
            rows.add(row(op, op.idField() + " is a number", ok, numericId.toString(), 200, 2001, idName));
            rows.add(row(op, "duplicate key " + op.idField(), ok,
                    "{\"" + op.idField() + "\":\"OTHER-{M}\"," + op.bodyText().substring(1), 200, 2001, idName));
            // CiString(36): the same id in another case is the same id (issue 7 item 9), not an error
            ObjectNode lowerId = op.body().deepCopy();
            lowerId.put(op.idField(), "{m}");
            rows.add(row(op, op.idField() + " in lower case, URL in upper case (accepted)", ok, lowerId.toString(),
                    200, 1000, ""));
        }
        // the owner in the URL is the sender (TF 4.1.5.1)
        for (Op op : ops) {
            if (op.path().contains("/receiver/{CPO}/") || op.path().contains("/receiver/{EMSP}/")) {
                String foreignUrl = op.path().replace("/receiver/{CPO}/", "/receiver/BE/GAM/")
                        .replace("/receiver/{EMSP}/", "/receiver/BE/GAM/");
                rows.add(new BadInput(op.label() + ": URL party BE/GAM is not the sender", op.method(), foreignUrl,
                        headers(op.from(), op.to()), op.bodyText(), 403, 2001, "BE/GAM"));
            }
        }
        // country_code and party_id are CiString too: the sender's own party in lower case in the URL is the sender
        for (String label : List.of("locations PUT routed", "tokens PUT broadcast", "tariffs PUT routed")) {
            Op op = op(ops, label);
            var owner = op.from() == Side.CPO ? parties.cpoRole : parties.emspRole;
            String lower = op.path().replace(op.from() == Side.CPO ? "{CPO}" : "{EMSP}",
                    (owner.countryCode() + "/" + owner.partyId()).toLowerCase());
            rows.add(new BadInput(op.label() + ": URL party in lower case (accepted)", op.method(), lower,
                    headers(op.from(), op.to()), op.bodyText(), 200, 1000, ""));
        }
        // a PATCH of an object never seen, naming another owner, must not plant it (issue 7 item 4)
        for (String label : List.of("locations PATCH broadcast", "tokens PATCH broadcast", "locations PATCH routed")) {
            Op op = op(ops, label);
            String other = op.from() == Side.CPO ? parties.emspRole.partyId() : parties.cpoRole.partyId();
            rows.add(row(op, "PATCH naming another owner and id", headers(op.from(), op.to()),
                    "{\"country_code\":\"BE\",\"party_id\":\"" + other + "\",\"last_updated\":\""
                            + Instant.now() + "\"}", 403, 2001, "country_code|party_id"));
        }
        // routing headers
        for (String label : List.of("locations GET object routed", "tokens PUT routed", "tariffs GET All")) {
            Op op = op(ops, label);
            Map<String, String> ok = headers(op.from(), op.to());
            rows.add(row(op, "OCPI-from-party-id longer than 3", with(ok, "OCPI-from-party-id", "TOOLONG"),
                    op.bodyText(), 400, 2001, "OCPI-from-party-id"));
            rows.add(row(op, "OCPI-to-country-code without OCPI-to-party-id", with(ok, "OCPI-to-party-id", null),
                    op.bodyText(), 400, 2001, "OCPI-to-party-id"));
        }
        // what the hub does not take itself (TF 4.1.8.3): HTTP 200, 2001 naming the rule
        rows.add(new BadInput("sessions PUT to the hub: sessions are never broadcast", "PUT",
                V + "/sessions/receiver/{CPO}/{M}", headers(Side.CPO, Side.HUB), op(ops, "sessions PUT routed")
                .bodyText(), 200, 2001, "4\\.1\\.8\\.3|broadcast"));
        rows.add(new BadInput("cdrs POST to the hub: CDRs are never broadcast", "POST", V + "/cdrs/receiver",
                headers(Side.CPO, Side.HUB), op(ops, "cdrs POST routed").bodyText(), 200, 2001,
                "4\\.1\\.8\\.3|broadcast"));
        rows.add(new BadInput("locations receiver GET to the hub", "GET", V + "/locations/receiver/{CPO}/{M}",
                headers(Side.CPO, Side.HUB), null, 200, 2001, "4\\.1\\.8\\.3|broadcast"));
        rows.add(new BadInput("commands POST to the hub", "POST", V + "/commands/receiver/START_SESSION",
                headers(Side.EMSP, Side.HUB), op(ops, "commands START_SESSION routed").bodyText(), 200, 2001,
                "address the receiver"));
        rows.add(new BadInput("a list GET without OCPI-to (cannot be open-routed)", "GET", V + "/locations/sender",
                headers(Side.EMSP, Side.NOBODY), null, 200, 2001, "OCPI-to"));
        // GET All query parameters (TF 4.1.3.1)
        for (String query : List.of("limit=many", "limit=-1", "offset=minus", "date_from=yesterday",
                "date_to=2024-13-45T00:00:00Z", "offset=0&offset=5",
                "date_from=2024-01-01T00:00:00Z&limit=1&date_from=2025-01-01T00:00:00Z")) {
            String param = query.substring(0, query.indexOf('='));
            rows.add(new BadInput("locations GET All with " + query, "GET", V + "/locations/sender?" + query,
                    headers(Side.EMSP, Side.HUB), null, 200, 2001, param));
        }
        rows.add(new BadInput("a command without response_url", "POST", V + "/commands/receiver/STOP_SESSION",
                headers(Side.EMSP, Side.CPO), "{\"session_id\":\"{M}\"}", 200, 2001, "response_url"));
        rows.add(new BadInput("a command whose response_url is not a URL", "POST",
                V + "/commands/receiver/STOP_SESSION", headers(Side.EMSP, Side.CPO),
                "{\"session_id\":\"{M}\",\"response_url\":\"not a url\"}", 200, 2001, "response_url"));
        rows.add(new BadInput("a command whose response_url is a number", "POST",
                V + "/commands/receiver/STOP_SESSION", headers(Side.EMSP, Side.CPO),
                "{\"session_id\":\"{M}\",\"response_url\":42}", 200, 2001, "response_url"));
        rows.add(new BadInput("an unknown module", "GET", V + "/parking/sender/{M}", headers(Side.EMSP, Side.CPO),
                null, 404, 2000, "parking|not found|no such"));
        rows.add(new BadInput("an unknown interface role", "GET", V + "/locations/owner/{M}",
                headers(Side.EMSP, Side.CPO), null, 404, 2000, "owner|not found|no such"));
        return rows.stream();
    }

    private static List<Op> operations() {
        var cpo = parties.cpoRole;
        var emsp = parties.emspRole;
        Instant now = Instant.now();
        ObjectNode location = OcpiSamples.location(cpo, "{M}", now);
        ObjectNode session = OcpiSamples.session(cpo, "{M}", emsp, "TOK1", now);
        ObjectNode tariff = OcpiSamples.tariff(cpo, "{M}", now);
        ObjectNode token = OcpiSamples.token(emsp, "{M}", now);
        ObjectNode cdr = OcpiSamples.cdr(cpo, "{M}", emsp, "TOK1", now);
        ObjectNode patch = location.objectNode().put("name", "patched {M}").put("last_updated", now.toString());
        ObjectNode command = location.objectNode().put("response_url", parties.emsp.commandResultUrl("{M}"))
                .put("location_id", "{M}");
        command.set("token", OcpiSamples.token(emsp, "TOK1", now));
        ObjectNode profile = location.objectNode().put("response_url",
                parties.emsp.chargingProfileResultUrl("{M}"));
        profile.putObject("charging_profile").put("charging_rate_unit", "W").putArray("charging_profile_period")
                .addObject().put("start_period", 0).put("limit", 7400.0);
        ObjectNode preferences = location.objectNode().put("profile_type", "REGULAR");
        ObjectNode references = location.objectNode().put("location_id", "{M}");
        ObjectNode active = location.objectNode().put("start_date_time", now.toString());
        active.set("charging_profile", profile.get("charging_profile").deepCopy());

        List<Op> ops = new ArrayList<>();
        // routed to the other member
        ops.add(new Op("locations PUT routed", Side.CPO, Side.EMSP, "PUT", V + "/locations/receiver/{CPO}/{M}",
                location, "id", true));
        ops.add(new Op("locations PATCH routed", Side.CPO, Side.EMSP, "PATCH", V + "/locations/receiver/{CPO}/{M}",
                patch, null, false));
        ops.add(new Op("sessions PUT routed", Side.CPO, Side.EMSP, "PUT", V + "/sessions/receiver/{CPO}/{M}",
                session, "id", true));
        ops.add(new Op("sessions PATCH routed", Side.CPO, Side.EMSP, "PATCH", V + "/sessions/receiver/{CPO}/{M}",
                patch, null, false));
        ops.add(new Op("tariffs PUT routed", Side.CPO, Side.EMSP, "PUT", V + "/tariffs/receiver/{CPO}/{M}", tariff,
                "id", true));
        ops.add(new Op("tariffs DELETE routed", Side.CPO, Side.EMSP, "DELETE", V + "/tariffs/receiver/{CPO}/{M}",
                null, null, false));
        ops.add(new Op("tokens PUT routed", Side.EMSP, Side.CPO, "PUT", V + "/tokens/receiver/{EMSP}/{M}", token,
                "uid", true));
        ops.add(new Op("tokens PATCH routed", Side.EMSP, Side.CPO, "PATCH", V + "/tokens/receiver/{EMSP}/{M}",
                patch, null, false));
        ops.add(new Op("cdrs POST routed", Side.CPO, Side.EMSP, "POST", V + "/cdrs/receiver", cdr, null, true));
        ops.add(new Op("commands START_SESSION routed", Side.EMSP, Side.CPO, "POST",
                V + "/commands/receiver/START_SESSION", command, null, false));
        ops.add(new Op("chargingprofiles PUT routed", Side.EMSP, Side.CPO, "PUT",
                V + "/chargingprofiles/receiver/{M}", profile, null, false));
        ops.add(new Op("sessions charging_preferences PUT routed", Side.EMSP, Side.CPO, "PUT",
                V + "/sessions/sender/{M}/charging_preferences", preferences, null, false));
        ops.add(new Op("tokens authorize POST routed", Side.CPO, Side.EMSP, "POST",
                V + "/tokens/sender/{M}/authorize", references, null, false));
        ops.add(new Op("chargingprofiles active profile PUT routed", Side.CPO, Side.EMSP, "PUT",
                V + "/chargingprofiles/sender/{M}", active, null, false));
        ops.add(new Op("locations GET object routed", Side.EMSP, Side.CPO, "GET", V + "/locations/sender/{M}", null,
                null, false));
        ops.add(new Op("sessions GET list routed", Side.EMSP, Side.CPO, "GET", V + "/sessions/sender?limit=1", null,
                null, false));
        ops.add(new Op("cdrs GET list routed", Side.EMSP, Side.CPO, "GET", V + "/cdrs/sender?limit=1", null, null,
                false));
        ops.add(new Op("tariffs GET list routed", Side.EMSP, Side.CPO, "GET", V + "/tariffs/sender?limit=1", null,
                null, false));
        ops.add(new Op("tokens GET list routed", Side.CPO, Side.EMSP, "GET", V + "/tokens/sender?limit=1", null,
                null, false));
        ops.add(new Op("locations receiver GET routed", Side.CPO, Side.EMSP, "GET",
                V + "/locations/receiver/{CPO}/{M}", null, null, false));
        ops.add(new Op("chargingprofiles GET routed", Side.EMSP, Side.CPO, "GET",
                V + "/chargingprofiles/receiver/{M}?duration=900&response_url="
                        + parties.emsp.chargingProfileResultUrl("{M}"), null, null, false));
        // broadcast to the hub, and GET All via the hub
        ops.add(new Op("locations PUT broadcast", Side.CPO, Side.HUB, "PUT", V + "/locations/receiver/{CPO}/{M}",
                location, "id", true));
        ops.add(new Op("locations PATCH broadcast", Side.CPO, Side.HUB, "PATCH",
                V + "/locations/receiver/{CPO}/{M}", patch, null, false));
        ops.add(new Op("tariffs PUT broadcast", Side.CPO, Side.HUB, "PUT", V + "/tariffs/receiver/{CPO}/{M}",
                tariff, "id", true));
        ops.add(new Op("tariffs DELETE broadcast", Side.CPO, Side.HUB, "DELETE",
                V + "/tariffs/receiver/{CPO}/{M}", null, null, false));
        ops.add(new Op("tokens PUT broadcast", Side.EMSP, Side.HUB, "PUT", V + "/tokens/receiver/{EMSP}/{M}", token,
                "uid", true));
        ops.add(new Op("tokens PATCH broadcast", Side.EMSP, Side.HUB, "PATCH", V + "/tokens/receiver/{EMSP}/{M}",
                patch, null, false));
        ops.add(new Op("locations GET All", Side.EMSP, Side.HUB, "GET", V + "/locations/sender?limit=1", null, null,
                false));
        ops.add(new Op("tariffs GET All", Side.EMSP, Side.HUB, "GET", V + "/tariffs/sender?limit=1", null, null,
                false));
        ops.add(new Op("tokens GET All", Side.CPO, Side.HUB, "GET", V + "/tokens/sender?limit=1", null, null,
                false));
        return ops;
    }

    private static Op op(List<Op> ops, String label) {
        return ops.stream().filter(o -> o.label().equals(label)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(label));
    }

    private static BadInput row(Op op, String what, Map<String, String> headers, String body, int http, int ocpi,
                                String message) {
        return new BadInput(op.label() + ": " + what, op.method(), op.path(), headers, body, http, ocpi, message);
    }

    /** Token and routing headers of a well-formed request from {@code from} to {@code to}. */
    static Map<String, String> headers(Side from, Side to) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", from == Side.CPO ? "{CPO_AUTH}" : "{EMSP_AUTH}");
        var fromRole = from == Side.CPO ? parties.cpoRole : parties.emspRole;
        h.put("OCPI-from-country-code", fromRole.countryCode());
        h.put("OCPI-from-party-id", fromRole.partyId());
        switch (to) {
            case HUB -> {
                h.put("OCPI-to-country-code", "NL");
                h.put("OCPI-to-party-id", "HUB");
            }
            case CPO, EMSP -> {
                var toRole = to == Side.CPO ? parties.cpoRole : parties.emspRole;
                h.put("OCPI-to-country-code", toRole.countryCode());
                h.put("OCPI-to-party-id", toRole.partyId());
            }
            case NOBODY -> { }
        }
        return h;
    }

    /** The caller's token with the other member's from-pair. */
    private static Map<String, String> spoofedFrom(Op op) {
        var other = op.from() == Side.CPO ? parties.emspRole : parties.cpoRole;
        Map<String, String> h = headers(op.from(), op.to());
        h.put("OCPI-from-country-code", other.countryCode());
        h.put("OCPI-from-party-id", other.partyId());
        return h;
    }

    /** A refused broadcast is not served by GET All via the hub. */
    private static void nothingBroadcastStored(BadInput row, String marker, SoftAssertions soft) {
        boolean toHub = "HUB".equals(row.headers().get("OCPI-to-party-id"));
        if (!toHub || row.method().equals("GET")) {
            return;
        }
        String module = row.path().contains("/tokens/") ? "tokens" : row.path().contains("/tariffs/") ? "tariffs"
                : row.path().contains("/locations/") ? "locations" : null;
        if (module == null) {
            return;
        }
        boolean tokens = module.equals("tokens");
        var asker = tokens ? parties.cpo : parties.emsp;
        Map<String, String> route = headers(tokens ? Side.CPO : Side.EMSP, Side.HUB);
        route.remove("Authorization");
        SimulatedResponse all = asker.call("GET", hub.url() + V + "/" + module + "/sender?limit=1000", null, route)
                .block(java.time.Duration.ofSeconds(20));
        soft.assertThat(all.statusCode()).as("GET All " + module + " via the hub").isEqualTo(1000);
        List<String> ids = new ArrayList<>();
        for (JsonNode object : all.data().valueStream().toList()) {
            JsonNode id = object.get(tokens ? "uid" : "id");
            if (id != null && marker.equalsIgnoreCase(id.asString())) {
                ids.add(id.asString());
            }
        }
        soft.assertThat(ids).as("GET All " + module + " serves the refused " + marker).isEmpty();
    }
}
