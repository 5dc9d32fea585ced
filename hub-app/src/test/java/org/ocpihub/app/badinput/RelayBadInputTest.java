package org.ocpihub.app.badinput;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.AsyncResultBehaviour;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;

import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input on relays ({@code /ocpi/2.2.1/relay/<id>}, D5): the hub URLs that stand for a command's or a charging
 * profile's {@code response_url}. Unknown ids → 404 + 2000; a caller the URL was not given to → 403 + 2001 naming
 * that party; a result relay called with anything but POST → 405 (issue 7 item 3); no or unknown token → 401;
 * the same routing steps as a routed call: no routing headers → 400 + 2001, another party's from-pair → 403 + 2001,
 * malformed JSON → 400 + 2001, a repeated key or a body that is no object → 200 + 2001, too large → 413; ambiguous
 * spellings of the path → 400.
 * <p>
 * Every row that uses a relay gets a fresh one (the eMSP sends a new command or profile whose result URL carries a
 * setup marker; the CPO never answers it), so a row the hub wrongly forwarded (which closes a command relay) cannot
 * change what later rows see. Nothing may reach the eMSP's result URL.
 */
class RelayBadInputTest extends SharedPartiesPerClass {

    private static final String V = "/ocpi/2.2.1";
    private static Map<String, String> vars;

    @BeforeAll
    static void prepare() {
        parties.cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.neverSendResult());
        parties.cpo.chargingProfileBehaviour(AsyncResultBehaviour.ACCEPTED.neverSendResult());
        vars = new HashMap<>();
        vars.put("CPO_AUTH", TokenEncoding.BASE64.authorizationHeader(parties.cpo.tokenForHub().orElseThrow()));
        vars.put("EMSP_AUTH", TokenEncoding.BASE64.authorizationHeader(parties.emsp.tokenForHub().orElseThrow()));
        vars.put("UNKNOWN_AUTH", TokenEncoding.BASE64.authorizationHeader("no-such-token-" + System.nanoTime()));
        vars.put("CPO_PID", parties.cpoRole.partyId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithTheRightAnswer(BadInput row) {
        Map<String, String> rowVars = new HashMap<>(vars);
        String setup = BadInputRunner.newMarker();
        if (row.path().contains("{CMD_RELAY}")) {
            rowVars.put("CMD_RELAY", commandRelay(setup));
        }
        if (row.path().contains("{CP_RELAY}")) {
            rowVars.put("CP_RELAY", chargingProfileRelay(setup));
        }
        new BadInputRunner(hub.url(), rowVars, List.of(parties.emsp), BadInputRunner.StoreCheck.NONE).run(row);
        // the result URL the relay stands for was never called
        org.assertj.core.api.Assertions.assertThat(BadInputRunner.forwarded(parties.emsp, setup))
                .as("requests at the eMSP's result URL").isEmpty();
    }

    /** A fresh command relay: the path of the hub URL the CPO was given as response_url. */
    private static String commandRelay(String setup) {
        ObjectNode command = OcpiSamples.token(parties.emspRole, "TOK1", Instant.now()).objectNode()
                .put("response_url", parties.emsp.commandResultUrl(setup)).put("location_id", setup);
        command.set("token", OcpiSamples.token(parties.emspRole, "TOK1", Instant.now()));
        SimulatedResponse sent = parties.emsp.call("POST", parties.hub("commands:RECEIVER") + "/START_SESSION",
                command.toString(), parties.emspToCpo()).block(RoutingParties.WAIT);
        if (sent == null || !sent.isSuccess()) {
            throw new IllegalStateException("cannot create a command relay: " + sent);
        }
        String url = parties.cpo.awaitRequest(r -> r.path().endsWith("/START_SESSION") && r.body().contains(setup),
                RoutingParties.WAIT).json().path("response_url").asString();
        return relayPath(url);
    }

    /** A fresh charging profile relay. */
    private static String chargingProfileRelay(String setup) {
        ObjectNode profile = OcpiSamples.token(parties.emspRole, "TOK1", Instant.now()).objectNode()
                .put("response_url", parties.emsp.chargingProfileResultUrl(setup));
        profile.putObject("charging_profile").put("charging_rate_unit", "W").putArray("charging_profile_period")
                .addObject().put("start_period", 0).put("limit", 7400.0);
        SimulatedResponse sent = parties.emsp.call("PUT", parties.hub("chargingprofiles:RECEIVER") + "/" + setup,
                profile.toString(), parties.emspToCpo()).block(RoutingParties.WAIT);
        if (sent == null || !sent.isSuccess()) {
            throw new IllegalStateException("cannot create a charging profile relay: " + sent);
        }
        String url = parties.cpo.awaitRequest(r -> r.path().endsWith("/" + setup), RoutingParties.WAIT).json()
                .path("response_url").asString();
        return relayPath(url);
    }

    private static String relayPath(String url) {
        if (!url.startsWith(hub.url() + V + "/relay/")) {
            throw new IllegalStateException("not a hub relay URL: " + url);
        }
        return url.substring(hub.url().length());
    }

    static Stream<BadInput> rows() {
        List<BadInput> rows = new ArrayList<>();
        Map<String, String> cpo = headers("{CPO_AUTH}", parties.cpoRole, parties.emspRole);
        Map<String, String> emsp = headers("{EMSP_AUTH}", parties.emspRole, parties.cpoRole);
        String result = "{\"result\":\"ACCEPTED\"}";
        for (String[] relay : new String[][] {{"command", "{CMD_RELAY}"}, {"charging profile", "{CP_RELAY}"}}) {
            String kind = relay[0] + " result relay: ";
            String path = relay[1];
            for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
                rows.add(new BadInput(kind + method + " (only POST, issue 7 item 3)", method, path, cpo,
                        method.equals("GET") || method.equals("DELETE") ? null : result, 405, 2000,
                        "POST|method"));
            }
            rows.add(new BadInput(kind + "POST by the platform it was not given to", "POST", path, emsp, result,
                    403, 2001, "{CPO_PID}"));
            rows.add(new BadInput(kind + "POST without Authorization", "POST", path,
                    BadInput.with(cpo, "Authorization", null), result, 401, 2000, "Authorization"));
            rows.add(new BadInput(kind + "POST with an unknown token", "POST", path,
                    BadInput.with(cpo, "Authorization", "{UNKNOWN_AUTH}"), result, 401, 2000, "token"));
            rows.add(new BadInput(kind + "POST with the other member's from-pair", "POST", path,
                    headers("{CPO_AUTH}", parties.emspRole, parties.cpoRole), result, 403, 2001, "OCPI-from"));
            rows.add(new BadInput(kind + "POST with malformed JSON", "POST", path, cpo, "{\"result\":", 400, 2001,
                    "JSON"));
            // siblings: the strict read and the routing headers of a routed call apply to relays too
            rows.add(new BadInput(kind + "POST with a key given twice", "POST", path, cpo,
                    "{\"result\":\"REJECTED\",\"result\":\"ACCEPTED\"}", 200, 2001, "result"));
            rows.add(new BadInput(kind + "POST of a JSON array", "POST", path, cpo, "[" + result + "]", 200, 2001,
                    "object"));
            rows.add(new BadInput(kind + "POST without routing headers", "POST", path,
                    BadInput.with(BadInput.with(cpo, "OCPI-from-country-code", null), "OCPI-from-party-id", null),
                    result, 400, 2001, "OCPI-from"));
            rows.add(new BadInput(kind + "POST of 6 MB", "POST", path, cpo, "{\"result\":\"ACCEPTED\",\"x\":\""
                    + "x".repeat(6 << 20) + "\"}", 413, 2001, "large"));
            rows.add(new BadInput(kind + "POST with a path suffix", "POST", path + "/extra", cpo, result, 404, 2000,
                    "unknown|not found"));
            rows.add(new BadInput(kind + "POST with a ;parameter", "POST", path + ";x=1", cpo, result, 400, 2001,
                    "path"));
            rows.add(new BadInput(kind + "POST with an encoded slash and dot segment", "POST",
                    path + "%2F..%2F..%2Fcredentials", cpo, result, 400, 2001, "path"));
        }
        String unknown = V + "/relay/no-such-relay-{M}";
        rows.add(new BadInput("relay: POST to an unknown id", "POST", unknown, cpo, result, 404, 2000,
                "unknown|expired"));
        rows.add(new BadInput("relay: GET of an unknown id", "GET", unknown, cpo, null, 404, 2000,
                "unknown|expired"));
        rows.add(new BadInput("relay: POST to an empty id", "POST", V + "/relay/", cpo, result, 404, 2000,
                "unknown|expired|not found"));
        rows.add(new BadInput("relay: POST to an id of 300 characters", "POST", V + "/relay/" + "A".repeat(300),
                cpo, result, 404, 2000, "unknown|expired"));
        rows.add(new BadInput("relay: POST to an unknown id without Authorization", "POST", unknown,
                BadInput.with(cpo, "Authorization", null), result, 401, 2000, "Authorization"));
        rows.add(new BadInput("relay: dot segments out of the relay prefix", "POST",
                V + "/relay/../credentials", cpo, result, 400, 2001, "path"));
        return rows.stream();
    }

    private static Map<String, String> headers(String auth, org.ocpihub.testkit.party.PartyRole from,
                                               org.ocpihub.testkit.party.PartyRole to) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", auth);
        h.put("OCPI-from-country-code", from.countryCode());
        h.put("OCPI-from-party-id", from.partyId());
        h.put("OCPI-to-country-code", to.countryCode());
        h.put("OCPI-to-party-id", to.partyId());
        return h;
    }
}
