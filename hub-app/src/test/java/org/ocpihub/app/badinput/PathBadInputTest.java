package org.ocpihub.app.badinput;

import static org.ocpihub.app.badinput.BadInput.ADMIN_ERROR;
import static org.ocpihub.app.badinput.BadInput.NO_ENVELOPE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.TokenEncoding;

import tools.jackson.databind.JsonNode;

/**
 * Ambiguous spellings of a path on every protected prefix ({@code /admin/api}, {@code /ocpi}, {@code /actuator}):
 * {@code ;} parameters, encoded {@code /}, {@code \}, {@code .} or {@code %}, empty and dot segments are refused with
 * 400 before any filter decides anything (issue 7 item 1, modelled on Spring Security's
 * {@code StrictServerWebExchangeFirewall}); nothing is forwarded, nothing is created. A spelling that only encodes an
 * ordinary letter ({@code /%61dmin}) is the same path and needs the same credential: 401. A trailing slash is the
 * same resource (item 10).
 */
class PathBadInputTest extends SharedPartiesPerClass {

    private static BadInputRunner runner;

    @BeforeAll
    static void prepare() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("EMSP_AUTH", TokenEncoding.BASE64.authorizationHeader(parties.emsp.tokenForHub().orElseThrow()));
        runner = new BadInputRunner(hub.url(), vars, List.of(parties.cpo, parties.emsp),
                PathBadInputTest::noPlatformCreated);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithTheRightAnswer(BadInput row) {
        runner.run(row);
    }

    static Stream<BadInput> rows() {
        List<BadInput> rows = new ArrayList<>();
        String create = "{\"name\":\"bi-path-{M}\",\"roles\":[{\"role\":\"CPO\",\"country_code\":\"NL\","
                + "\"party_id\":\"Q{M3}\",\"business_details\":{\"name\":\"Bad Input BV\"}}]}";
        // the admin API without any token (the inputs: /admin;x/api/platforms, POST /%61dmin/api/...)
        for (String path : List.of("/admin;x/api/platforms", "/admin/api;x/platforms", "/admin/api/platforms;x",
                "/admin%2Fapi/platforms", "/admin/api%2Fplatforms", "//admin/api/platforms",
                "/admin//api/platforms", "/admin/./api/platforms", "/admin/x/../api/platforms",
                "/admin/api/platforms/%2E%2E/platforms", "/admin/api/platforms/%2e", "/admin%5Capi/platforms",
                "/admin/api/%25%37%30latforms")) {
            rows.add(new BadInput("GET " + path + " without a token", "GET", path, Map.of(), null, 400,
                    ADMIN_ERROR, "path"));
        }
        for (String path : List.of("/admin;x/api/platforms", "/admin/api/platforms;x", "//admin/api/platforms",
                "/admin/x/../api/platforms")) {
            rows.add(new BadInput("POST " + path + " without a token", "POST", path, Map.of(), create, 400,
                    ADMIN_ERROR, "path"));
        }
        for (String path : List.of("/%61dmin/api/platforms", "/admin/%61pi/platforms", "/admin/api/%70latforms")) {
            rows.add(new BadInput("GET " + path + " without a token (same path, same credential)", "GET", path,
                    Map.of(), null, 401, ADMIN_ERROR, "Authorization|credential|token"));
            rows.add(new BadInput("POST " + path + " without a token (same path, same credential)", "POST", path,
                    Map.of(), create, 401, ADMIN_ERROR, "Authorization|credential|token"));
        }

        // OCPI, with a valid member token and routing headers: the hub must not guess what the receiver reads
        Map<String, String> emsp = new LinkedHashMap<>();
        emsp.put("Authorization", "{EMSP_AUTH}");
        emsp.put("OCPI-from-country-code", parties.emspRole.countryCode());
        emsp.put("OCPI-from-party-id", parties.emspRole.partyId());
        emsp.put("OCPI-to-country-code", parties.cpoRole.countryCode());
        emsp.put("OCPI-to-party-id", parties.cpoRole.partyId());
        for (String path : List.of("/ocpi;x/2.2.1/locations/sender/{M}", "/ocpi/2.2.1;x/locations/sender/{M}",
                "/ocpi/2.2.1/locations;x/sender/{M}", "/ocpi/2.2.1/locations/sender;x/{M}",
                "/ocpi/2.2.1/locations/sender/{M};x", "/ocpi/2.2.1/locations%2Fsender/{M}",
                "/ocpi/2.2.1/locations/sender/{M}%2Fx", "/ocpi/2.2.1/locations/sender/%2E%2E/{M}",
                "/ocpi/2.2.1/locations/sender/%2e/{M}", "/ocpi//2.2.1/locations/sender/{M}",
                "/ocpi/2.2.1/locations/sender//{M}", "/ocpi/2.2.1/locations/x/../sender/{M}",
                "/ocpi/2.2.1/./locations/sender/{M}", "/ocpi/2.2.1/locations/sender/{M}%5C..",
                "/ocpi/2.2.1/locations/sender/%25{M}", "/ocpi/2.2.1/locations/sender/{M}/%2E%2E/%2E%2E/credentials")) {
            rows.add(new BadInput("GET " + path, "GET", path, emsp, null, 400, 2001, "path"));
        }
        for (String path : List.of("/ocpi;x/versions", "/ocpi/2.2.1/credentials;x", "/ocpi/2.2.1//hubclientinfo",
                "/ocpi/2.2.1/x/../hubclientinfo", "/ocpi/2.2.1/credentials%3Bx", "/ocpi/2.2.1/%2e%2e/versions")) {
            rows.add(new BadInput("GET " + path + " without a token", "GET", path, Map.of(), null, 400, 2001,
                    "path"));
        }

        // actuator: no details for anyone on an ambiguous spelling
        for (String path : List.of("/actuator;x/prometheus", "/actuator/prometheus;x", "/actuator//prometheus",
                "/actuator/x/../prometheus", "/actuator%2Fprometheus", "/actuator/health;x",
                "/actuator/./health")) {
            rows.add(new BadInput("GET " + path + " without a token", "GET", path, Map.of(), null, 400, NO_ENVELOPE,
                    ""));
        }

        // a trailing slash is the same resource (issue 7 item 10): taken, with the same answer
        for (String path : List.of("/ocpi/versions/", "/ocpi/2.2.1/", "/ocpi/2.2.1/hubclientinfo/")) {
            rows.add(new BadInput("GET " + path + " (trailing slash, accepted)", "GET", path,
                    Map.of("Authorization", "{EMSP_AUTH}"), null, 200, 1000, ""));
        }
        return rows.stream();
    }

    /** No platform named with the row's marker exists. */
    private static void noPlatformCreated(BadInput row, String marker, SoftAssertions soft) {
        if (row.body() == null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (JsonNode platform : hub.admin().get("/platforms").body().valueStream().toList()) {
            if (platform.path("name").asString().contains(marker)) {
                names.add(platform.path("name").asString());
            }
        }
        soft.assertThat(names).as("platforms created through an ambiguous path").isEmpty();
    }
}
