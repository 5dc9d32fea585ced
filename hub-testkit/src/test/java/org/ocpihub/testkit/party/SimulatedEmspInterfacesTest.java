package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated eMSP's interfaces over real HTTP (Tokens Sender with real-time authorization; Locations, Tariffs,
 * Sessions, CDRs and HubClientInfo Receivers), and a CPO's Tokens Receiver.
 */
class SimulatedEmspInterfacesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> CPO_TO_EMSP = Map.of(
            "OCPI-from-country-code", "NL", "OCPI-from-party-id", "CPX",
            "OCPI-to-country-code", "DE", "OCPI-to-party-id", "EMX");

    private SimulatedPlatform emsp;
    private SimulatedPlatform cpo;

    @BeforeEach
    void start() {
        emsp = SimulatedPlatform.builder()
                .name("emsp")
                .role("EMSP", "DE", "EMX", "Drive Co")
                .modules("tokens:SENDER", "locations:RECEIVER", "tariffs:RECEIVER", "sessions:RECEIVER",
                        "cdrs:RECEIVER", "hubclientinfo:RECEIVER")
                .start();
        cpo = SimulatedPlatform.builder()
                .name("cpo")
                .role("CPO", "NL", "CPX", "Charge Co")
                .modules("tokens:RECEIVER")
                .start();
        // the CPO stands in for the hub: each is the other's registered peer
        assertThat(cpo.registerWith(emsp.versionsUrl(), emsp.issueTokenA()).block(TIMEOUT).isSuccess()).isTrue();
    }

    @AfterEach
    void stop() {
        cpo.close();
        emsp.close();
    }

    private SimulatedResponse call(String method, String url, String body) {
        return cpo.call(method, url, body, CPO_TO_EMSP).block(TIMEOUT);
    }

    private String tokens() {
        return emsp.moduleUrl("tokens", "SENDER");
    }

    @Test
    void knownTokensAreAuthorized() {
        emsp.seedTokens(3);

        SimulatedResponse allowed = call("POST", tokens() + "/TOK0002/authorize", null);
        SimulatedResponse withType = call("POST", tokens() + "/TOK0002/authorize?type=RFID",
                "{\"location_id\":\"LOC1\",\"evse_uids\":[\"E1\"]}");

        assertThat(allowed.isSuccess()).isTrue();
        assertThat(allowed.data().path("allowed").stringValue()).isEqualTo("ALLOWED");
        assertThat(allowed.data().path("token").path("uid").stringValue()).isEqualTo("TOK0002");
        assertThat(allowed.data().path("token").path("party_id").stringValue()).isEqualTo("EMX");
        assertThat(allowed.data().path("authorization_reference").stringValue()).isNotBlank();
        assertThat(allowed.header("OCPI-to-party-id")).isEqualTo("CPX");
        assertThat(allowed.header("OCPI-from-party-id")).isEqualTo("EMX");
        assertThat(withType.data().path("location").path("location_id").stringValue()).isEqualTo("LOC1");

        emsp.authorizeAs("TOK0002", "NO_CREDIT");
        assertThat(call("POST", tokens() + "/TOK0002/authorize", null).data().path("allowed").stringValue())
                .isEqualTo("NO_CREDIT");
        emsp.tokens().put(OcpiSamples.token(emsp.roles().get(0), "TOK0003", OcpiSamples.seedTime(3))
                .put("valid", false));
        assertThat(call("POST", tokens() + "/TOK0003/authorize", null).data().path("allowed").stringValue())
                .isEqualTo("BLOCKED");
    }

    @Test
    void unknownTokensAnswer404With2004() {
        emsp.seedTokens(1);

        SimulatedResponse unknown = call("POST", tokens() + "/NOPE/authorize", null);
        SimulatedResponse wrongType = call("POST", tokens() + "/TOK0001/authorize?type=APP_USER", null);

        for (SimulatedResponse response : new SimulatedResponse[] {unknown, wrongType}) {
            assertThat(response.httpStatus()).isEqualTo(404);
            assertThat(response.statusCode()).isEqualTo(2004);
            assertThat(response.body().has("data")).isFalse();
        }
    }

    @Test
    void tokensAreListedWithPagination() {
        emsp.seedTokens(3);

        SimulatedResponse page = call("GET", tokens() + "?limit=2", null);

        assertThat(page.data()).hasSize(2);
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
        assertThat(page.header("Link")).isEqualTo("<" + tokens() + "?offset=2&limit=2>; rel=\"next\"");
    }

    @Test
    void locationsReceiverStoresPutAndMergesPatch() {
        String receiver = emsp.moduleUrl("locations", "RECEIVER");
        String location = OcpiJson.write(OcpiSamples.location(cpo.roles().get(0), "LOC1", OcpiSamples.seedTime(1)));

        SimulatedResponse put = call("PUT", receiver + "/NL/CPX/LOC1", location);
        SimulatedResponse patch = call("PATCH", receiver + "/NL/CPX/LOC1",
                "{\"name\":\"Renamed\",\"last_updated\":\"2024-02-01T00:00:00Z\"}");
        SimulatedResponse evse = call("PUT", receiver + "/NL/CPX/LOC1/LOC1-3",
                "{\"uid\":\"LOC1-3\",\"status\":\"AVAILABLE\",\"last_updated\":\"2024-02-01T00:00:00Z\"}");
        SimulatedResponse get = call("GET", receiver + "/nl/cpx/loc1", null);
        SimulatedResponse missing = call("GET", receiver + "/NL/CPX/NOPE", null);
        SimulatedResponse patchMissing = call("PATCH", receiver + "/NL/CPX/NOPE", "{\"name\":\"x\"}");

        assertThat(put.isSuccess()).isTrue();
        assertThat(put.body().has("data")).isFalse();
        assertThat(put.header("OCPI-to-party-id")).isEqualTo("CPX");
        assertThat(patch.isSuccess()).isTrue();
        assertThat(evse.isSuccess()).isTrue();
        assertThat(get.data().path("name").stringValue()).isEqualTo("Renamed");
        assertThat(get.data().path("last_updated").stringValue()).isEqualTo("2024-02-01T00:00:00Z");
        assertThat(get.data().path("evses")).hasSize(2);
        assertThat(missing.httpStatus()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(2003);
        assertThat(patchMissing.statusCode()).isEqualTo(2003);
        assertThat(emsp.receivedObjects("locations").all()).containsOnlyKeys("NL/CPX/LOC1", "NL/CPX/LOC1/LOC1-3");
        assertThat(emsp.receivedObjects("locations").get("NL/CPX/LOC1/LOC1-3")).isPresent();
        // the PUT arrived byte for byte
        RecordedRequest arrived = emsp.awaitRequest(r -> r.method().equals("PUT")
                && r.path().endsWith("/NL/CPX/LOC1"), TIMEOUT);
        assertThat(arrived.bodyBytes()).isEqualTo(location.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void sessionsPatchAppendsChargingPeriods() {
        String receiver = emsp.moduleUrl("sessions", "RECEIVER") + "/NL/CPX/SES1";
        call("PUT", receiver, "{\"id\":\"SES1\",\"kwh\":1,\"charging_periods\":[{\"start_date_time\":"
                + "\"2024-01-01T10:00:00Z\",\"dimensions\":[]}],\"last_updated\":\"2024-01-01T10:00:00Z\"}");

        SimulatedResponse patch = call("PATCH", receiver, "{\"kwh\":2,\"charging_periods\":[{\"start_date_time\":"
                + "\"2024-01-01T10:15:00Z\",\"dimensions\":[]}],\"last_updated\":\"2024-01-01T10:15:00Z\"}");

        assertThat(patch.isSuccess()).isTrue();
        assertThat(emsp.receivedObjects("sessions").get("NL/CPX/SES1")).hasValueSatisfying(s -> {
            assertThat(s.path("kwh").intValue()).isEqualTo(2);
            assertThat(s.path("charging_periods")).hasSize(2);
        });
    }

    @Test
    void tariffsReceiverPutsAndDeletes() {
        String receiver = emsp.moduleUrl("tariffs", "RECEIVER") + "/NL/CPX/TAR1";

        SimulatedResponse put = call("PUT", receiver,
                OcpiJson.write(OcpiSamples.tariff(cpo.roles().get(0), "TAR1", OcpiSamples.seedTime(1))));
        SimulatedResponse get = call("GET", receiver, null);
        SimulatedResponse patch = call("PATCH", receiver, "{}");
        SimulatedResponse delete = call("DELETE", receiver, null);
        SimulatedResponse deleteAgain = call("DELETE", receiver, null);

        assertThat(put.isSuccess()).isTrue();
        assertThat(get.data().path("currency").stringValue()).isEqualTo("EUR");
        assertThat(patch.httpStatus()).isEqualTo(405);
        assertThat(delete.isSuccess()).isTrue();
        assertThat(deleteAgain.httpStatus()).isEqualTo(404);
        assertThat(emsp.receivedObjects("tariffs").size()).isZero();
    }

    @Test
    void cdrPostAnswersALocationWhereTheCdrCanBeFetched() {
        String cdr = OcpiJson.write(OcpiSamples.cdr(cpo.roles().get(0), "CDR1", emsp.roles().get(0), "TOK1",
                OcpiSamples.seedTime(1)));

        SimulatedResponse post = call("POST", emsp.moduleUrl("cdrs", "RECEIVER"), cdr);

        assertThat(post.isSuccess()).isTrue();
        String location = post.header("Location");
        assertThat(location).startsWith(emsp.moduleUrl("cdrs", "RECEIVER") + "/");
        SimulatedResponse get = call("GET", location, null);
        assertThat(get.isSuccess()).isTrue();
        assertThat(get.data().path("id").stringValue()).isEqualTo("CDR1");
        assertThat(OcpiJson.write(get.data())).isEqualTo(cdr);
        assertThat(emsp.receivedObjects("cdrs").all()).hasSize(1);
        assertThat(call("GET", emsp.moduleUrl("cdrs", "RECEIVER") + "/unknown", null).httpStatus()).isEqualTo(404);
    }

    @Test
    void clientInfoIsStoredWithoutRoutingHeaders() {
        String body = "{\"party_id\":\"ALL\",\"country_code\":\"NL\",\"role\":\"CPO\",\"status\":\"PLANNED\","
                + "\"last_updated\":\"2024-01-01T00:00:00Z\"}";

        SimulatedResponse put = cpo.call("PUT", emsp.moduleUrl("hubclientinfo", "RECEIVER") + "/NL/ALL", body)
                .block(TIMEOUT);
        SimulatedResponse get = cpo.call("GET", emsp.moduleUrl("hubclientinfo", "RECEIVER") + "/NL/ALL", null)
                .block(TIMEOUT);

        assertThat(put.isSuccess()).isTrue();
        assertThat(put.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ocpi-"));
        assertThat(get.data().path("status").stringValue()).isEqualTo("PLANNED");
        assertThat(emsp.receivedObjects("hubclientinfo").get("NL/ALL")).isPresent();
    }

    @Test
    void cposTokensReceiverStoresByUidAndType() {
        String receiver = cpo.moduleUrl("tokens", "RECEIVER");
        String token = OcpiJson.write(OcpiSamples.token(emsp.roles().get(0), "012345678", OcpiSamples.seedTime(1)));
        Map<String, String> emspToCpo = Map.of("OCPI-from-country-code", "DE", "OCPI-from-party-id", "EMX",
                "OCPI-to-country-code", "NL", "OCPI-to-party-id", "CPX");

        SimulatedResponse put = emsp.call("PUT", receiver + "/DE/EMX/012345678", token, emspToCpo).block(TIMEOUT);
        SimulatedResponse putApp = emsp.call("PUT", receiver + "/DE/EMX/012345678?type=APP_USER",
                "{\"uid\":\"012345678\",\"type\":\"APP_USER\"}", emspToCpo).block(TIMEOUT);
        SimulatedResponse patch = emsp.call("PATCH", receiver + "/DE/EMX/012345678?type=RFID",
                "{\"valid\":false,\"last_updated\":\"2024-03-01T00:00:00Z\"}", emspToCpo).block(TIMEOUT);
        SimulatedResponse get = emsp.call("GET", receiver + "/DE/EMX/012345678", null, emspToCpo).block(TIMEOUT);
        SimulatedResponse missing = emsp.call("GET", receiver + "/DE/EMX/999", null, emspToCpo).block(TIMEOUT);

        assertThat(put.isSuccess()).isTrue();
        assertThat(putApp.isSuccess()).isTrue();
        assertThat(patch.isSuccess()).isTrue();
        assertThat(get.data().path("valid").booleanValue()).isFalse();
        assertThat(get.data().path("whitelist").stringValue()).isEqualTo("ALLOWED");
        assertThat(missing.httpStatus()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(2004);
        assertThat(cpo.receivedObjects("tokens").all())
                .containsOnlyKeys("DE/EMX/012345678", "DE/EMX/012345678?type=APP_USER");
    }
}
