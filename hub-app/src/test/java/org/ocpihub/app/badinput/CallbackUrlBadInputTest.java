package org.ocpihub.app.badinput;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.TokenEncoding;

import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code response_url} that points at a loopback, private, link-local or metadata address, in any spelling
 * (IPv6 forms that embed IPv4 included), is refused when the hub runs with
 * {@code hub.security.allow-private-endpoints=false}: HTTP 200, 2001 naming {@code response_url}, and the command or
 * profile is not forwarded (issue 7 item 2, D11).
 * <p>
 * The simulated platforms live on loopback, so they register through the shared hub (which allows private
 * endpoints); the rows go to a second instance on the same database that does not. One extra hub for the class.
 */
class CallbackUrlBadInputTest extends SharedPartiesPerClass {

    private static final String V = "/ocpi/2.2.1";
    private static RunningHub strict;
    private static BadInputRunner runner;

    @BeforeAll
    static void startStrictHub() {
        strict = RunningHub.start(Map.of("hub.security.allow-private-endpoints", "false"));
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("EMSP_AUTH", TokenEncoding.BASE64.authorizationHeader(parties.emsp.tokenForHub().orElseThrow()));
        runner = new BadInputRunner(strict.url(), vars, List.of(parties.cpo, parties.emsp),
                BadInputRunner.StoreCheck.NONE);
    }

    @AfterAll
    static void stopStrictHub() {
        strict.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithTheRightAnswer(BadInput row) {
        runner.run(row);
    }

    static Stream<BadInput> rows() {
        Map<String, String> emsp = new LinkedHashMap<>();
        emsp.put("Authorization", "{EMSP_AUTH}");
        emsp.put("OCPI-from-country-code", parties.emspRole.countryCode());
        emsp.put("OCPI-from-party-id", parties.emspRole.partyId());
        emsp.put("OCPI-to-country-code", parties.cpoRole.countryCode());
        emsp.put("OCPI-to-party-id", parties.cpoRole.partyId());
        List<BadInput> rows = new ArrayList<>();
        List<String> unsafe = List.of("http://127.0.0.1:8080/cb/{M}", "http://localhost/cb/{M}",
                "http://10.0.0.1/cb/{M}", "http://172.16.5.4/cb/{M}", "http://192.168.1.1/cb/{M}",
                "http://169.254.169.254/latest/meta-data/{M}", "http://0.0.0.0/cb/{M}", "http://2130706433/cb/{M}",
                "http://[::1]/cb/{M}", "http://[::ffff:127.0.0.1]/cb/{M}", "http://[::127.0.0.1]/cb/{M}",
                "http://[64:ff9b::a9fe:a9fe]/cb/{M}", "http://[2002:7f00:1::]/cb/{M}", "http://[fd00::1]/cb/{M}",
                "http://[fe80::1]/cb/{M}");
        for (String url : unsafe) {
            ObjectNode command = OcpiSamples.token(parties.emspRole, "TOK1", Instant.now()).objectNode()
                    .put("response_url", url).put("location_id", "{M}");
            command.set("token", OcpiSamples.token(parties.emspRole, "TOK1", Instant.now()));
            rows.add(new BadInput("START_SESSION with response_url " + url, "POST",
                    V + "/commands/receiver/START_SESSION", emsp, command.toString(), 200, 2001, "response_url"));
        }
        for (String url : List.of("http://127.0.0.1:8080/cb/{M}", "http://169.254.169.254/cb/{M}",
                "http://[::ffff:10.0.0.1]/cb/{M}")) {
            rows.add(new BadInput("STOP_SESSION with response_url " + url, "POST",
                    V + "/commands/receiver/STOP_SESSION", emsp, "{\"session_id\":\"{M}\",\"response_url\":\""
                    + url + "\"}", 200, 2001, "response_url"));
            ObjectNode profile = OcpiSamples.token(parties.emspRole, "TOK1", Instant.now()).objectNode()
                    .put("response_url", url);
            profile.putObject("charging_profile").put("charging_rate_unit", "W")
                    .putArray("charging_profile_period").addObject().put("start_period", 0).put("limit", 7400.0);
            rows.add(new BadInput("SetChargingProfile with response_url " + url, "PUT",
                    V + "/chargingprofiles/receiver/{M}", emsp, profile.toString(), 200, 2001, "response_url"));
            rows.add(new BadInput("GET ActiveChargingProfile with response_url " + url, "GET",
                    V + "/chargingprofiles/receiver/{M}?duration=900&response_url="
                            + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8)
                                    .replace("%7BM%7D", "{M}"), emsp, null, 200, 2001, "response_url"));
            rows.add(new BadInput("DELETE ChargingProfile with response_url " + url, "DELETE",
                    V + "/chargingprofiles/receiver/{M}?response_url="
                            + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8)
                                    .replace("%7BM%7D", "{M}"), emsp, null, 200, 2001, "response_url"));
        }
        return rows.stream();
    }
}
