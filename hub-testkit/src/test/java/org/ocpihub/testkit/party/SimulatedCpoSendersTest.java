package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A simulated CPO's Sender interfaces over real HTTP: paginated lists, single Locations, charging preferences. */
class SimulatedCpoSendersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private static final Map<String, String> EMSP_TO_CPO = Map.of(
            "OCPI-from-country-code", "DE", "OCPI-from-party-id", "EMX",
            "OCPI-to-country-code", "NL", "OCPI-to-party-id", "CPX");

    private SimulatedPlatform cpo;
    private SimulatedPlatform hub;

    @BeforeEach
    void start() {
        cpo = SimulatedPlatform.builder()
                .name("cpo")
                .role("CPO", "NL", "CPX", "Charge Co")
                .modules("locations:SENDER", "tariffs:SENDER", "sessions:SENDER", "cdrs:SENDER")
                .maxPageSize(20)
                .start();
        // stands in for the hub: the CPO's registered peer, calling with the token the CPO issued
        hub = SimulatedPlatform.builder().name("hub").role("HUB", "DE", "HUB", "Hub").start();
        assertThat(hub.registerWith(cpo.versionsUrl(), cpo.issueTokenA()).block(TIMEOUT).isSuccess()).isTrue();
    }

    @AfterEach
    void stop() {
        hub.close();
        cpo.close();
    }

    private SimulatedResponse get(String url) {
        return hub.call("GET", url, null, EMSP_TO_CPO).block(TIMEOUT);
    }

    private static String next(SimulatedResponse response) {
        String link = response.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        assertThat(m.matches()).as("Link %s", link).isTrue();
        return m.group(1);
    }

    private static List<String> ids(SimulatedResponse response) {
        List<String> ids = new ArrayList<>();
        response.data().forEach(o -> ids.add(o.path("id").stringValue()));
        return ids;
    }

    @Test
    void pagingFollowsLinkKeepingTheFilters() {
        cpo.seedLocations(25);
        String filter = "date_from=2024-01-01T00:00:00Z";
        String url = cpo.moduleUrl("locations", "SENDER") + "?" + filter + "&limit=10";

        List<String> seen = new ArrayList<>();
        List<String> requested = new ArrayList<>();
        while (url != null) {
            requested.add(url);
            SimulatedResponse page = get(url);
            assertThat(page.isSuccess()).isTrue();
            assertThat(page.header("X-Total-Count")).isEqualTo("25");
            assertThat(page.header("X-Limit")).isEqualTo("20");
            seen.addAll(ids(page));
            url = next(page);
        }

        assertThat(requested).hasSize(3);
        String base = cpo.moduleUrl("locations", "SENDER");
        assertThat(requested.subList(1, 3)).containsExactly(
                base + "?offset=10&limit=10&" + filter,
                base + "?offset=20&limit=10&" + filter);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates().startsWith("LOC0001", "LOC0002").endsWith("LOC0025");
        assertThat(cpo.received()).filteredOn(r -> r.path().endsWith("/locations/sender")).hasSize(3);
    }

    @Test
    void dateFiltersAreInclusiveFromAndExclusiveTo() {
        cpo.seedLocations(25);
        // LOC000i has last_updated = 2024-01-01T00:00:00Z + i hours
        SimulatedResponse page = get(cpo.moduleUrl("locations", "SENDER")
                + "?date_from=2024-01-01T06:00:00Z&date_to=2024-01-01T21:00:00Z&offset=0&limit=100");

        assertThat(page.header("X-Total-Count")).isEqualTo("15");
        assertThat(ids(page)).hasSize(15).startsWith("LOC0006").endsWith("LOC0020");
        assertThat(page.header("Link")).isNull();
    }

    @Test
    void theServersPageSizeCapsTheLimit() {
        cpo.seedLocations(25);

        SimulatedResponse page = get(cpo.moduleUrl("locations", "SENDER") + "?limit=1000");

        assertThat(page.data()).hasSize(20);
        assertThat(page.header("X-Limit")).isEqualTo("20");
        assertThat(next(page)).isEqualTo(cpo.moduleUrl("locations", "SENDER") + "?offset=20&limit=20");
    }

    @Test
    void tinyPagesGiveTwoObjectsPerPage() {
        cpo.seedLocations(5).moduleFaults("locations:SENDER", Fault.TINY_PAGES);

        SimulatedResponse first = get(cpo.moduleUrl("locations", "SENDER"));
        SimulatedResponse second = get(next(first));
        SimulatedResponse third = get(next(second));

        assertThat(first.header("X-Limit")).isEqualTo("2");
        assertThat(ids(first)).containsExactly("LOC0001", "LOC0002");
        assertThat(ids(second)).containsExactly("LOC0003", "LOC0004");
        assertThat(ids(third)).containsExactly("LOC0005");
        assertThat(third.header("Link")).isNull();
        assertThat(third.header("X-Total-Count")).isEqualTo("5");

        cpo.moduleFaults("locations:SENDER", Fault.NONE);
        assertThat(get(cpo.moduleUrl("locations", "SENDER")).data()).hasSize(5);
    }

    @Test
    void invalidPaginationParametersAnswer2001() {
        SimulatedResponse response = get(cpo.moduleUrl("locations", "SENDER") + "?date_from=yesterday");

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.statusCode()).isEqualTo(2001);
    }

    @Test
    void singleLocationEvseAndConnector() {
        cpo.seedLocations(3);
        String base = cpo.moduleUrl("locations", "SENDER");

        SimulatedResponse location = get(base + "/LOC0002");
        SimulatedResponse evse = get(base + "/LOC0002/LOC0002-2");
        SimulatedResponse connector = get(base + "/LOC0002/LOC0002-2/1");

        assertThat(location.isSuccess()).isTrue();
        assertThat(location.data().path("id").stringValue()).isEqualTo("LOC0002");
        assertThat(location.data().path("country_code").stringValue()).isEqualTo("NL");
        assertThat(location.data().path("party_id").stringValue()).isEqualTo("CPX");
        assertThat(location.data().path("last_updated").stringValue()).isEqualTo("2024-01-01T02:00:00Z");
        assertThat(evse.data().path("uid").stringValue()).isEqualTo("LOC0002-2");
        assertThat(connector.data().path("id").stringValue()).isEqualTo("1");
        assertThat(connector.data().path("standard").stringValue()).isEqualTo("IEC_62196_T2");

        for (String unknown : List.of("/NOPE", "/LOC0002/NOPE", "/LOC0002/LOC0002-2/9")) {
            SimulatedResponse missing = get(base + unknown);
            assertThat(missing.httpStatus()).as(unknown).isEqualTo(404);
            assertThat(missing.statusCode()).as(unknown).isEqualTo(2003);
            assertThat(missing.data().isMissingNode()).isTrue();
        }
    }

    @Test
    void responsesCarrySwappedRoutingHeadersAndEchoedRequestIds() {
        cpo.seedLocations(1);
        Map<String, String> headers = new java.util.HashMap<>(EMSP_TO_CPO);
        headers.put("X-Request-ID", "req-7");
        headers.put("X-Correlation-ID", "corr-7");

        SimulatedResponse response = hub.call("GET", cpo.moduleUrl("locations", "SENDER") + "/LOC0001", null,
                headers).block(TIMEOUT);
        SimulatedResponse notFound = hub.call("GET", cpo.moduleUrl("locations", "SENDER") + "/X", null,
                EMSP_TO_CPO).block(TIMEOUT);

        assertThat(response.header("X-Request-ID")).isEqualTo("req-7");
        assertThat(response.header("X-Correlation-ID")).isEqualTo("corr-7");
        for (SimulatedResponse r : List.of(response, notFound)) {
            assertThat(r.header("OCPI-to-country-code")).isEqualTo("DE");
            assertThat(r.header("OCPI-to-party-id")).isEqualTo("EMX");
            assertThat(r.header("OCPI-from-country-code")).isEqualTo("NL");
            assertThat(r.header("OCPI-from-party-id")).isEqualTo("CPX");
        }
        // versions is a configuration module: no routing headers
        SimulatedResponse versions = hub.call("GET", cpo.versionsUrl(), null).block(TIMEOUT);
        assertThat(versions.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ocpi-"));
    }

    @Test
    void tariffsSessionsAndCdrsAreListed() {
        PartyRole cpoRole = cpo.roles().get(0);
        PartyRole emsp = new PartyRole("EMSP", "DE", "EMX", "Drive Co");
        cpo.seedTariffs(3);
        for (int i = 1; i <= 3; i++) {
            cpo.sessions().put(OcpiSamples.session(cpoRole, "SES" + i, emsp, "TOK1", OcpiSamples.seedTime(i)));
            cpo.cdrs().put(OcpiSamples.cdr(cpoRole, "CDR" + i, emsp, "TOK1", OcpiSamples.seedTime(i)));
        }

        SimulatedResponse tariffs = get(cpo.moduleUrl("tariffs", "SENDER") + "?offset=1&limit=1");
        SimulatedResponse sessions = get(cpo.moduleUrl("sessions", "SENDER"));
        SimulatedResponse cdrs = get(cpo.moduleUrl("cdrs", "SENDER") + "?date_to=2024-01-01T03:00:00Z");

        assertThat(ids(tariffs)).containsExactly("TAR0002");
        assertThat(tariffs.header("X-Total-Count")).isEqualTo("3");
        assertThat(next(tariffs)).isEqualTo(cpo.moduleUrl("tariffs", "SENDER") + "?offset=2&limit=1");
        assertThat(ids(sessions)).containsExactly("SES1", "SES2", "SES3");
        assertThat(sessions.data().get(0).path("cdr_token").path("party_id").stringValue()).isEqualTo("EMX");
        assertThat(ids(cdrs)).containsExactly("CDR1", "CDR2");
        assertThat(get(cpo.moduleUrl("tariffs", "SENDER") + "/TAR0001").httpStatus()).isEqualTo(404);
    }

    @Test
    void chargingPreferencesAreAccepted() {
        SimulatedResponse response = hub.call("PUT", cpo.moduleUrl("sessions", "SENDER")
                        + "/SES1/charging_preferences",
                "{\"profile_type\":\"FAST\",\"departure_time\":\"2024-01-01T18:00:00Z\",\"energy_need\":20}",
                EMSP_TO_CPO).block(TIMEOUT);

        assertThat(response.isSuccess()).isTrue();
        assertThat(response.data().stringValue()).isEqualTo("ACCEPTED");
        cpo.chargingPreferencesResponse("DEPARTURE_REQUIRED");
        assertThat(hub.call("PUT", cpo.moduleUrl("sessions", "SENDER") + "/SES1/charging_preferences",
                "{\"profile_type\":\"FAST\"}", EMSP_TO_CPO).block(TIMEOUT).data().stringValue())
                .isEqualTo("DEPARTURE_REQUIRED");
    }

    @Test
    void ownedObjectsAreCopiedInAndOut() {
        JsonNode location = OcpiSamples.location(cpo.roles().get(0), "LOC1", OcpiSamples.seedTime(1));
        cpo.locations().put(location);
        ((tools.jackson.databind.node.ObjectNode) location).put("name", "changed");

        assertThat(cpo.locations().get("loc1")).hasValueSatisfying(
                l -> assertThat(l.path("name").stringValue()).isEqualTo("Simulated location LOC1"));
        assertThat(cpo.locations().size()).isEqualTo(1);
    }

    @Test
    void onlyTheRegisteredPeerMayCallModules() {
        cpo.seedLocations(1);
        SimulatedResponse withTokenA = cpo.client().send("GET", cpo.moduleUrl("locations", "SENDER"),
                cpo.issueTokenA(), null).block(TIMEOUT);

        assertThat(withTokenA.httpStatus()).isEqualTo(401);
    }
}
