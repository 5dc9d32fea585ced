package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedResponse;

import tools.jackson.databind.JsonNode;

/** Direct routing (to-pair names the receiver) with every invariant of D4, through real HTTP end to end. */
class DirectRoutingTest extends SharedPartiesPerClass {

    @Test
    void versionDetailsListBothInterfacesOfEveryFunctionalModule() {
        Map<String, String> endpoints = parties.emsp.hubEndpoints();
        for (String module : List.of("locations", "sessions", "cdrs", "tariffs", "tokens", "commands",
                "chargingprofiles")) {
            assertThat(endpoints).containsKeys(module + ":SENDER", module + ":RECEIVER");
            assertThat(endpoints.get(module + ":SENDER")).startsWith(hub.url());
        }
    }

    @Test
    void aGetKeepsSuffixQueryAndHeadersAndSwapsTokenAndRequestId() {
        parties.cpo.locations().put(OcpiSamples.location(parties.cpoRole, "LOC-D1", OcpiSamples.seedTime(1)));
        Map<String, String> headers = RoutingParties.with(RoutingParties.with(parties.emspToCpo(),
                "X-Request-ID", "emsp-req-1"), "X-Correlation-ID", "emsp-corr-1");
        // routing headers pass unchanged, case included (CiString)
        headers.put("OCPI-to-party-id", parties.cpoRole.partyId().toLowerCase());

        SimulatedResponse answer = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/LOC-D1?detail=a%20b",
                null, headers).block(WAIT);

        RecordedRequest arrived = parties.cpo.awaitRequest(r -> r.path().endsWith("/locations/sender/LOC-D1"), WAIT);
        assertThat(arrived.query()).isEqualTo("detail=a%20b");
        assertThat(arrived.header("Authorization")).isEqualTo("Token " + Base64.getEncoder().encodeToString(
                parties.cpo.tokenIssuedToHub().orElseThrow().getBytes(StandardCharsets.UTF_8)));
        assertThat(arrived.header("X-Request-ID")).isNotBlank().isNotEqualTo("emsp-req-1");
        assertThat(arrived.header("X-Correlation-ID")).isEqualTo("emsp-corr-1");
        assertThat(arrived.header("OCPI-from-country-code")).isEqualTo(parties.emspRole.countryCode());
        assertThat(arrived.header("OCPI-from-party-id")).isEqualTo(parties.emspRole.partyId());
        assertThat(arrived.header("OCPI-to-party-id")).isEqualTo(parties.cpoRole.partyId().toLowerCase());

        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(1000);
        assertThat(answer.data().get("id").asString()).isEqualTo("LOC-D1");
        assertThat(answer.header("X-Request-ID")).isEqualTo("emsp-req-1");
        assertThat(answer.header("X-Correlation-ID")).isEqualTo("emsp-corr-1");
        assertThat(answer.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
        assertThat(answer.header("OCPI-to-party-id")).isEqualTo(parties.emspRole.partyId());
    }

    @Test
    void aPushArrivesByteForByteWithUnknownFieldsAndNumberFormatting() {
        String id = "LOC-BYTES";
        String body = "{ \"country_code\" : \"" + parties.cpoRole.countryCode() + "\",\n  \"party_id\": \""
                + parties.cpoRole.partyId() + "\", \"id\": \"" + id + "\", \"publish\": true,"
                + " \"coordinates\": {\"latitude\": \"52.3700\", \"longitude\": \"4.8900\"},"
                + " \"x_vendor_extension\": {\"power\": 11.0000, \"big\": 12345678901234567890},"
                + " \"time_zone\": \"Europe/Amsterdam\", \"last_updated\": \"2015-06-29T20:39:09.123456Z\" }";
        String url = parties.hub("locations:RECEIVER") + "/" + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/" + id;

        SimulatedResponse answer = parties.cpo.call("PUT", url, body, parties.cpoToEmsp()).block(WAIT);

        assertThat(answer.statusCode()).isEqualTo(1000);
        RecordedRequest arrived = parties.emsp.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
        assertThat(arrived.bodyBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertThat(arrived.path()).endsWith("/locations/receiver/" + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/" + id);
    }

    @Test
    void aClientCanPageThroughACposLocationsViaTheHub() {
        var cpo = RoutingParties.cpo(org.ocpihub.app.support.Parties.cpo());
        try {
            RoutingParties.registerWith(hub, cpo, cpo.roles().get(0));
            cpo.seedLocations(25).maxPageSize(10);
            Map<String, String> headers = RoutingParties.route(parties.emspRole, cpo.roles().get(0));
            List<String> ids = new ArrayList<>();
            String next = parties.hub("locations:SENDER") + "?date_from=2023-01-01T00:00:00Z";
            int pages = 0;
            while (next != null) {
                SimulatedResponse page = parties.emsp.call("GET", next, null, headers).block(WAIT);
                assertThat(page.statusCode()).isEqualTo(1000);
                assertThat(page.header("X-Total-Count")).isEqualTo("25");
                assertThat(page.header("X-Limit")).isEqualTo("10");
                page.data().forEach(location -> ids.add(location.get("id").asString()));
                next = nextLink(page.header("Link"));
                if (next != null) {
                    assertThat(next).startsWith(parties.hub("locations:SENDER")).contains("date_from=");
                    assertThat(next).doesNotContain(cpo.baseUrl());
                }
                pages++;
            }
            assertThat(pages).isEqualTo(3);
            assertThat(ids).hasSize(25).doesNotHaveDuplicates();
        } finally {
            cpo.close();
        }
    }

    @Test
    void theReceiversErrorsPassThroughUnchanged() {
        SimulatedResponse answer = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/NO-SUCH-LOCATION",
                null, parties.emspToCpo()).block(WAIT);

        assertThat(answer.httpStatus()).isEqualTo(404);
        assertThat(answer.statusCode()).isEqualTo(2003);
        assertThat(answer.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
    }

    @Test
    void tokensSessionsAndTariffsReachTheirReceiver() {
        String cc = parties.emspRole.countryCode();
        String pid = parties.emspRole.partyId();
        JsonNode token = OcpiSamples.token(parties.emspRole, "TOKEN-D1", OcpiSamples.seedTime(2));
        SimulatedResponse tokenPut = parties.emsp.call("PUT", parties.hub("tokens:RECEIVER") + "/" + cc + "/" + pid
                + "/TOKEN-D1?type=RFID", token.toString(), parties.emspToCpo()).block(WAIT);
        assertThat(tokenPut.statusCode()).isEqualTo(1000);
        assertThat(parties.cpo.receivedObjects("tokens").all()).containsKey(cc + "/" + pid + "/TOKEN-D1");

        JsonNode session = OcpiSamples.session(parties.cpoRole, "SES-D1", parties.emspRole, "TOKEN-D1",
                OcpiSamples.seedTime(3));
        SimulatedResponse sessionPut = parties.cpo.call("PUT", parties.hub("sessions:RECEIVER") + "/"
                + parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId() + "/SES-D1", session.toString(),
                parties.cpoToEmsp()).block(WAIT);
        assertThat(sessionPut.statusCode()).isEqualTo(1000);
        assertThat(parties.emsp.receivedObjects("sessions").get(parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/SES-D1")).isPresent();

        parties.cpo.seedTariffs(3);
        SimulatedResponse tariffs = parties.emsp.call("GET", parties.hub("tariffs:SENDER"), null,
                parties.emspToCpo()).block(WAIT);
        assertThat(tariffs.statusCode()).isEqualTo(1000);
        assertThat(tariffs.data().size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aCdrsLocationHeaderPointsAtTheHubAndLeadsToTheCdr() {
        JsonNode cdr = OcpiSamples.cdr(parties.cpoRole, "CDR-D1", parties.emspRole, "TOKEN-D1",
                OcpiSamples.seedTime(4));
        SimulatedResponse posted = parties.cpo.call("POST", parties.hub("cdrs:RECEIVER"), cdr.toString(),
                parties.cpoToEmsp()).block(WAIT);

        assertThat(posted.statusCode()).isEqualTo(1000);
        String location = posted.header("Location");
        assertThat(location).startsWith(hub.url()).doesNotContain(parties.emsp.baseUrl());

        SimulatedResponse fetched = parties.cpo.call("GET", location, null, parties.cpoToEmsp()).block(WAIT);
        assertThat(fetched.statusCode()).isEqualTo(1000);
        assertThat(fetched.data().get("id").asString()).isEqualTo("CDR-D1");
    }

    private static String nextLink(String link) {
        if (link == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"next\"").matcher(link);
        return matcher.find() ? matcher.group(1) : null;
    }
}
