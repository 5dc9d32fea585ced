package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.fanout.ReceiverLanes;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.store.PushTarget;
import org.ocpihub.broadcast.store.ReceiverMerge;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.springframework.r2dbc.core.DatabaseClient;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Broadcast conflation (issue 11 item 2) through real Kafka, PostgreSQL and HTTP: a receiver that lags while a CPO
 * sends a storm of EVSE status PATCHes gets the Location's stored state once instead of every PATCH, and ends in the
 * state the hub stored; a receiver that keeps up ends in the same state. The lagging receiver holds its first
 * delivery until the test lets it go, so what waits behind it is exact, not a matter of timing.
 */
class BroadcastConflationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final List<String> STATUSES = List.of("AVAILABLE", "CHARGING", "BLOCKED", "OUTOFORDER",
            "INOPERATIVE", "RESERVED");
    private static final RunningHub hub = RunningHub.shared();

    private static PartyRole cpoRole;
    private static SimulatedPlatform cpo;
    private static PartyRole laggingRole;
    private static SimulatedPlatform lagging;
    private static String laggingId;
    private static PartyRole promptRole;
    private static SimulatedPlatform prompt;
    /** Completes when the test lets the lagging receiver answer; until then every request to it waits. */
    private static final Sinks.Empty<Void> release = Sinks.empty();

    @BeforeAll
    static void platforms() {
        cpoRole = Parties.cpo();
        cpo = RoutingParties.cpo(cpoRole);
        RoutingParties.registerWith(hub, cpo, cpoRole);
        laggingRole = Parties.emsp();
        String receiverPath = SimulatedPlatform.modulePath("locations", "RECEIVER") + "/**";
        lagging = SimulatedPlatform.builder().name("conflation-lagging").role(laggingRole)
                .modules("locations:RECEIVER", "tokens:SENDER")
                .route("*", receiverPath, request -> release.asMono().then(Mono.just(OcpiReply.ok(null))))
                .start();
        laggingId = RoutingParties.registerWith(hub, lagging, laggingRole);
        promptRole = Parties.emsp();
        prompt = SimulatedPlatform.builder().name("conflation-prompt").role(promptRole)
                .modules("locations:RECEIVER", "tokens:SENDER").start();
        RoutingParties.registerWith(hub, prompt, promptRole);
    }

    @AfterAll
    static void close() {
        release.tryEmitEmpty();
        cpo.close();
        lagging.close();
        prompt.close();
    }

    @Test
    void aLaggingReceiverGetsTheLocationsStoredStateOnceAndEndsWhereTheHubIs() {
        String id = "CONFLATE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String locationUrl = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/"
                + cpoRole.partyId() + "/" + id;
        ObjectNode location = (ObjectNode) OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(30));
        List<String> evses = new ArrayList<>();
        location.get("evses").forEach(evse -> evses.add(evse.get("uid").asString()));
        assertThat(push("PUT", locationUrl, location.toString())).isEqualTo(1000);
        // the lagging receiver now holds that PUT: every later delivery of this Location waits behind it
        lagging.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/" + id), WAIT);

        Counter conflated = conflatedTo(laggingId);
        double conflatedBefore = conflated == null ? 0 : conflated.count();
        Random random = new Random(11);
        int storm = 60;
        Map<String, String> lastStatus = new LinkedHashMap<>();
        for (int i = 0; i < storm; i++) {
            String evse = evses.get(random.nextInt(evses.size()));
            String status = STATUSES.get(random.nextInt(STATUSES.size()));
            String at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i + 1).toString();
            assertThat(push("PATCH", locationUrl + "/" + evse, "{\"status\":\"" + status + "\",\"last_updated\":\""
                    + at + "\"}")).isEqualTo(1000);
            lastStatus.put(evse, status);
        }
        // every PATCH reached the receiver's lane: all but one were conflated into the newest, which will send the
        // stored state; they end (and their Kafka records may be committed) only once that one is delivered
        ReceiverLanes lanes = hub.context().getBean(ReceiverLanes.class);
        await().atMost(WAIT).until(() -> lanes.superseded(UUID.fromString(laggingId)) == storm - 1);
        Counter notYet = conflatedTo(laggingId);
        assertThat(notYet == null ? 0 : notYet.count() - conflatedBefore).isZero();
        release.tryEmitEmpty();
        await().atMost(WAIT).until(() -> conflatedTo(laggingId) != null
                && conflatedTo(laggingId).count() - conflatedBefore == storm - 1);

        // the prompt receiver and the lagging one both end where the hub is: what it stored, what the CPO sent last
        JsonNode stored = storedLocation(id);
        lastStatus.forEach((evse, status) -> assertThat(evseStatus(stored, evse)).as("stored %s", evse)
                .isEqualTo(status));
        for (SimulatedPlatform receiver : List.of(lagging, prompt)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(replayed(receiver, id)).as("%s", receiver.name())
                    .isEqualTo(stored));
        }
        // the first PUT (sent again should the held attempt have timed out), then one PUT of the stored Location in
        // place of the whole storm
        List<RecordedRequest> toLagging = requestsAbout(lagging, id);
        List<RecordedRequest> afterFirst = toLagging.stream()
                .filter(r -> !ReceiverMerge.parseObject(r.bodyBytes()).equals(location)).toList();
        int spared = storm - afterFirst.size();
        System.out.printf("conflation: %d PATCHes of one Location; the lagging receiver got %d request(s) for them "
                + "(%d spared), the prompt one %d%n", storm, afterFirst.size(), spared,
                requestsAbout(prompt, id).size() - 1);
        assertThat(afterFirst).extracting(RecordedRequest::method).containsExactly("PUT");
        assertThat(afterFirst.get(0).path()).endsWith("/" + cpoRole.countryCode() + "/" + cpoRole.partyId() + "/"
                + id);
        assertThat(spared).isEqualTo(storm - 1);
    }

    private static int push(String method, String url, String body) {
        return cpo.call(method, url, body, RoutingParties.route(cpoRole, HUB)).block(WAIT).statusCode();
    }

    /** The hub's counter of deliveries to that receiving platform that were conflated, or null before the first. */
    private static Counter conflatedTo(String receiverId) {
        MeterRegistry meters = hub.context().getBean(MeterRegistry.class);
        return meters.find("ocpihub.broadcast.deliveries").tag("receiver_id", receiverId).tag("module", "locations")
                .tag("outcome", "CONFLATED").counter();
    }

    private static JsonNode storedLocation(String id) {
        String body = hub.context().getBean(DatabaseClient.class)
                .sql("select body::text as body from broadcast_object where module = 'locations' and country_code = "
                        + ":cc and party_id = :pid and object_id = :id")
                .bind("cc", cpoRole.countryCode()).bind("pid", cpoRole.partyId()).bind("id", id)
                .map(row -> row.get("body", String.class)).one().block(WAIT);
        return ReceiverMerge.parseObject(body);
    }

    private static String evseStatus(JsonNode location, String uid) {
        for (JsonNode evse : location.get("evses")) {
            if (evse.get("uid").asString().equals(uid)) {
                return evse.get("status").asString();
            }
        }
        return null;
    }

    private static List<RecordedRequest> requestsAbout(SimulatedPlatform receiver, String id) {
        return receiver.received().stream().filter(r -> r.path().contains("/locations/receiver/")
                && r.path().contains("/" + id) && (r.method().equals("PUT") || r.method().equals("PATCH"))).toList();
    }

    /**
     * The Location as this receiver holds it: what it received, applied in arrival order as a receiver applies
     * pushes (PUT replaces, PATCH merges, an EVSE push changes its EVSE), with the hub's own merge rules.
     */
    private static JsonNode replayed(SimulatedPlatform receiver, String id) {
        ObjectNode state = null;
        PartyId owner = PartyId.of(cpoRole.countryCode(), cpoRole.partyId());
        for (RecordedRequest request : requestsAbout(receiver, id)) {
            String suffix = request.path().substring(request.path().indexOf("/locations/receiver")
                    + "/locations/receiver".length());
            BroadcastRecord record = new BroadcastRecord("r", "c", ModuleId.LOCATIONS, request.method(), owner,
                    Role.CPO, null, suffix, null, request.bodyBytes(), Instant.now());
            PushTarget target = PushTarget.of(record);
            ObjectNode body = ReceiverMerge.parseObject(new String(request.bodyBytes(), StandardCharsets.UTF_8));
            state = request.method().equals("PUT") ? ReceiverMerge.put(target.level() == PushTarget.Level.OBJECT
                    ? null : state, target, body) : ReceiverMerge.patch(state, target, body);
        }
        return state;
    }
}
