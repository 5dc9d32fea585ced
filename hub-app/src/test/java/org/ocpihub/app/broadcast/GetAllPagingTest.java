package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.broadcast.StoreFixtures.at;
import static org.ocpihub.app.broadcast.StoreFixtures.encoded;
import static org.ocpihub.app.broadcast.StoreFixtures.key;
import static org.ocpihub.app.broadcast.StoreFixtures.record;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.store.BroadcastStore;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedResponse;

import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET All via the hub over thousands of stored locations of two CPOs, through real HTTP as a registered eMSP: every
 * page reached by {@code Link}, every object exactly once, in a stable order, with the right headers; and a member that
 * was away catching up with {@code date_from}. The store is filled through the app's own {@link BroadcastStore} bean
 * (what the fan-out calls for every accepted push), and how long that takes is printed.
 */
class GetAllPagingTest {

    private static final int PER_OWNER = 1250;
    private static final int CONCURRENCY = 16;

    private static final RunningHub hub = RunningHub.shared();
    private static RoutingParties parties;
    private static PartyRole cpoA;
    private static PartyRole cpoB;
    private static Instant start;
    private static Instant end;
    private static final Map<String, ObjectNode> pushed = new LinkedHashMap<>();

    @BeforeAll
    static void fillTheStore() {
        parties = RoutingParties.register(hub);
        cpoA = Parties.cpo();
        cpoB = Parties.cpo();
        start = StoreFixtures.reserveHour();
        end = start.plus(Duration.ofHours(1));
        List<BroadcastRecord> puts = new ArrayList<>();
        for (int i = 0; i < PER_OWNER; i++) {
            for (PartyRole owner : List.of(cpoA, cpoB)) {
                String id = String.format("LOC-%04d", i);
                // four objects share each second (two ids of each owner): the order must break ties on owner and id
                ObjectNode location = OcpiSamples.location(owner, id, at(start, i / 2));
                pushed.put(key(location), location);
                puts.add(record(ModuleId.LOCATIONS, "PUT", owner, "/" + id, location));
            }
        }
        Collections.shuffle(puts, new Random(42)); // stored in an order unrelated to the one GET All must give
        BroadcastStore store = StoreFixtures.store();

        long began = System.nanoTime();
        Flux.fromIterable(puts).flatMap(store::apply, CONCURRENCY).then().block(Duration.ofMinutes(5));
        long putMillis = (System.nanoTime() - began) / 1_000_000;

        List<BroadcastRecord> again = puts.subList(0, 250);
        began = System.nanoTime();
        Flux.fromIterable(again).concatMap(store::apply).then().block(Duration.ofMinutes(5));
        long sequentialMillis = (System.nanoTime() - began) / 1_000_000;

        // EVSE status PATCHes (read-modify-write under a row lock) with the location's own time: nothing moves
        List<BroadcastRecord> patches = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            PartyRole owner = i % 2 == 0 ? cpoA : cpoB;
            String id = String.format("LOC-%04d", i);
            String evse = id + "-1";
            patches.add(record(ModuleId.LOCATIONS, "PATCH", owner, "/" + id + "/" + evse,
                    "{\"status\":\"CHARGING\",\"last_updated\":\"" + at(start, i / 2) + "\"}"));
        }
        began = System.nanoTime();
        Flux.fromIterable(patches).flatMap(store::apply, CONCURRENCY).then().block(Duration.ofMinutes(5));
        long patchMillis = (System.nanoTime() - began) / 1_000_000;
        for (int i = 0; i < 500; i++) {
            ObjectNode location = pushed.get((i % 2 == 0 ? cpoA : cpoB).countryCode() + "/"
                    + (i % 2 == 0 ? cpoA : cpoB).partyId() + "/" + String.format("LOC-%04d", i));
            ((ObjectNode) location.get("evses").get(0)).put("status", "CHARGING");
        }

        System.out.printf("BroadcastStore.apply throughput: %d location PUTs in %d ms (%.0f/s, %d concurrent); "
                        + "%d PUTs one after another in %d ms (%.0f/s); %d EVSE PATCHes (locked read-modify-write) "
                        + "in %d ms (%.0f/s, %d concurrent)%n",
                puts.size(), putMillis, rate(puts.size(), putMillis), CONCURRENCY,
                again.size(), sequentialMillis, rate(again.size(), sequentialMillis),
                patches.size(), patchMillis, rate(patches.size(), patchMillis), CONCURRENCY);
    }

    private static double rate(int count, long millis) {
        return count * 1000.0 / Math.max(1, millis);
    }

    @AfterAll
    static void closeParties() {
        parties.close();
    }

    private static String window() {
        return "date_from=" + encoded(start) + "&date_to=" + encoded(end);
    }

    @Test
    void anEmspWalksEveryPageByLinkAndGetsEveryObjectExactlyOnce() {
        int cap = StoreFixtures.cap();
        String first = parties.hub("locations:SENDER") + "?" + window() + "&limit=1000";

        StoreFixtures.Walk walk = StoreFixtures.walk(parties.emsp, parties.emspRole, first);

        int expectedPages = (2 * PER_OWNER + cap - 1) / cap;
        assertThat(walk.pages()).hasSize(expectedPages);
        for (SimulatedResponse page : walk.pages()) {
            assertThat(page.header("X-Total-Count")).isEqualTo(String.valueOf(2 * PER_OWNER));
            assertThat(page.header("X-Limit")).isEqualTo(String.valueOf(cap));
            assertThat(page.data().size()).isLessThanOrEqualTo(cap);
            assertThat(page.header("OCPI-from-country-code")).isEqualTo("NL");
            assertThat(page.header("OCPI-from-party-id")).isEqualTo("HUB");
            assertThat(page.header("OCPI-to-country-code")).isEqualTo(parties.emspRole.countryCode());
            assertThat(page.header("OCPI-to-party-id")).isEqualTo(parties.emspRole.partyId());
        }
        assertThat(walk.pages().get(0).data().size()).isEqualTo(cap);
        assertThat(walk.pages().get(walk.pages().size() - 1).header("Link")).isNull();
        assertThat(walk.links()).hasSize(expectedPages - 1);
        for (int i = 0; i < walk.links().size(); i++) {
            assertThat(walk.links().get(i))
                    .startsWith(parties.hub("locations:SENDER") + "?")
                    .contains("date_from=" + encoded(start), "date_to=" + encoded(end), "limit=1000",
                            "offset=" + (i + 1) * cap)
                    // the hub pages by its cursor (keyset): the same cost on every page, no count after the first
                    .containsPattern("[?&]after=[A-Za-z0-9_-]+(&|$)");
        }

        List<String> keys = walk.objects().stream().map(StoreFixtures::key).toList();
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(new HashSet<>(keys)).isEqualTo(pushed.keySet());
        for (JsonNode object : walk.objects()) {
            assertThat(object.get("country_code").asString() + "/" + object.get("party_id").asString())
                    .isIn(cpoA.countryCode() + "/" + cpoA.partyId(), cpoB.countryCode() + "/" + cpoB.partyId());
            if (Integer.parseInt(object.get("id").asString().substring(4)) < 1000) { // the catch-up test changes others
                assertThat(object).as("as stored").isEqualTo(pushed.get(key(object)));
            }
        }
        assertThat(walk.objects()).isSortedAccordingTo(Comparator
                .comparing((JsonNode o) -> Instant.parse(o.get("last_updated").asString()))
                .thenComparing(o -> o.get("country_code").asString())
                .thenComparing(o -> o.get("party_id").asString())
                .thenComparing(o -> o.get("id").asString()));
    }

    @Test
    void aCursorThatWasTamperedWithIsRefusedNamingAfter() {
        SimulatedResponse first = StoreFixtures.getAll(parties.emsp, parties.emspRole,
                parties.hub("locations:SENDER") + "?" + window() + "&limit=5");
        String link = StoreFixtures.nextLink(first.header("Link"));
        String tampered = link.replaceFirst("after=[A-Za-z0-9_-]{4}", "after=AAAA");

        SimulatedResponse refused = StoreFixtures.getAll(parties.emsp, parties.emspRole, tampered);

        assertThat(refused.httpStatus()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(2001);
        assertThat(refused.rawBody()).contains("after").doesNotContain("Exception");
        // the untouched link still answers the next page
        SimulatedResponse second = StoreFixtures.getAll(parties.emsp, parties.emspRole, link);
        assertThat(second.isSuccess()).isTrue();
        assertThat(second.data().size()).isEqualTo(5);
        assertThat(second.header("X-Total-Count")).isEqualTo(first.header("X-Total-Count"));
    }

    @Test
    void aSmallerLimitIsHonouredAndKeptInTheLink() {
        SimulatedResponse page = StoreFixtures.getAll(parties.emsp, parties.emspRole,
                parties.hub("locations:SENDER") + "?" + window() + "&limit=7&offset=14");

        assertThat(page.isSuccess()).isTrue();
        assertThat(page.data().size()).isEqualTo(7);
        assertThat(page.header("X-Limit")).isEqualTo(String.valueOf(StoreFixtures.cap()));
        assertThat(StoreFixtures.nextLink(page.header("Link"))).contains("limit=7", "offset=21")
                .doesNotContain("offset=14");
    }

    @Test
    void aMemberThatWasAwayCatchesUpWithDateFrom() {
        Instant since = at(start, 1000); // after every object's first time (those end at start + 625 s)
        Set<String> updated = new HashSet<>();
        for (int k = 0; k < 17; k++) { // location PATCHes
            String id = String.format("LOC-%04d", 1000 + k);
            StoreFixtures.apply(record(ModuleId.LOCATIONS, "PATCH", cpoA, "/" + id,
                    "{\"name\":\"renamed " + k + "\",\"last_updated\":\"" + at(since, k) + "\"}"));
            updated.add(cpoA.countryCode() + "/" + cpoA.partyId() + "/" + id);
        }
        for (int k = 0; k < 13; k++) { // EVSE PATCHes: the location's last_updated follows (LOC 8.2.2.3)
            String id = String.format("LOC-%04d", 1100 + k);
            StoreFixtures.apply(record(ModuleId.LOCATIONS, "PATCH", cpoB, "/" + id + "/" + id + "-2",
                    "{\"status\":\"OUTOFORDER\",\"last_updated\":\"" + at(since, 100 + k) + "\"}"));
            updated.add(cpoB.countryCode() + "/" + cpoB.partyId() + "/" + id);
        }
        for (int k = 0; k < 5; k++) { // connector PUTs: the EVSE's and the location's last_updated follow
            String id = String.format("LOC-%04d", 1200 + k);
            StoreFixtures.apply(record(ModuleId.LOCATIONS, "PUT", cpoA, "/" + id + "/" + id + "-1/2",
                    "{\"id\":\"2\",\"standard\":\"CHADEMO\",\"format\":\"CABLE\",\"power_type\":\"DC\","
                            + "\"max_voltage\":500,\"max_amperage\":125,\"last_updated\":\"" + at(since, 200 + k)
                            + "\"}"));
            updated.add(cpoA.countryCode() + "/" + cpoA.partyId() + "/" + id);
        }

        // date_to closes this test's window: later windows belong to other tests
        StoreFixtures.Walk walk = StoreFixtures.walk(parties.emsp, parties.emspRole, parties.hub("locations:SENDER")
                + "?date_from=" + encoded(since) + "&date_to=" + encoded(end) + "&limit=10");

        assertThat(walk.objects().stream().map(StoreFixtures::key).toList())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(updated);
        assertThat(walk.pages().get(0).header("X-Total-Count")).isEqualTo(String.valueOf(updated.size()));
        assertThat(walk.pages()).hasSize(4);
        for (String link : walk.links()) {
            assertThat(link).contains("date_from=" + encoded(since), "date_to=" + encoded(end), "limit=10");
        }
        for (JsonNode location : walk.objects()) {
            String id = location.get("id").asString();
            int n = Integer.parseInt(id.substring(4));
            if (n < 1100) {
                assertThat(location.get("name").asString()).isEqualTo("renamed " + (n - 1000));
                assertThat(location.get("last_updated").asString()).isEqualTo(at(since, n - 1000).toString());
            } else if (n < 1200) {
                JsonNode evse = location.get("evses").get(1);
                assertThat(evse.get("status").asString()).isEqualTo("OUTOFORDER");
                assertThat(evse.get("last_updated").asString()).isEqualTo(at(since, 100 + n - 1100).toString());
                assertThat(location.get("last_updated").asString()).isEqualTo(evse.get("last_updated").asString());
                assertThat(location.get("evses").get(0).get("last_updated"))
                        .isEqualTo(pushed.get(key(location)).get("evses").get(0).get("last_updated"));
            } else {
                JsonNode evse = location.get("evses").get(0);
                assertThat(evse.get("connectors")).hasSize(2);
                assertThat(evse.get("connectors").get(1).get("standard").asString()).isEqualTo("CHADEMO");
                assertThat(evse.get("last_updated").asString()).isEqualTo(at(since, 200 + n - 1200).toString());
                assertThat(location.get("last_updated").asString()).isEqualTo(at(since, 200 + n - 1200).toString());
            }
        }
    }
}
