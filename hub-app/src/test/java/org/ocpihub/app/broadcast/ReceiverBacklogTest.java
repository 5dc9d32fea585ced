package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.HubProcess;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.fanout.ReceiverBacklog;
import org.ocpihub.broadcast.fanout.ReceiverBacklogStore;
import org.ocpihub.broadcast.fanout.ReceiverLanes;
import org.ocpihub.testkit.infra.TestInfrastructure;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.r2dbc.core.DatabaseClient;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable receiver backlog (issue 11, D7) through real Kafka, PostgreSQL and HTTP: deliveries to a receiver
 * that is behind wait in PostgreSQL beyond {@code hub.broadcast.receiver-backlog}, not in the hub's memory, reach it
 * in the order the hub accepted them once it answers again, and survive a {@code kill -9} of the hub without holding
 * back the Kafka offsets of the receivers that keep up. Receivers hold their requests until the test lets them go,
 * so what waits where is exact, not a matter of timing.
 */
class ReceiverBacklogTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final String RECEIVER_PATH = SimulatedPlatform.modulePath("locations", "RECEIVER") + "/**";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void beyondTheMarkDeliveriesWaitInPostgresqlAndReachTheReceiverInAcceptanceOrder() {
        int mark = 5;
        // one delivery to a receiver is in flight at a time and a held one is never timed out, so exactly `mark`
        // PATCHes wait in memory behind the held PUT and the rest in PostgreSQL; no conflation, so every PATCH counts
        RunningHub hub = oneAtATime(mark);
        Sinks.Empty<Void> release = Sinks.empty();
        PartyRole cpoRole = Parties.cpo();
        PartyRole laggingRole = Parties.emsp();
        PartyRole promptRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform lagging = heldReceiver("backlog-lagging", laggingRole, release);
             SimulatedPlatform prompt = receiver("backlog-prompt", promptRole)) {
            RoutingParties.registerWith(hub, cpo, cpoRole);
            UUID laggingId = UUID.fromString(RoutingParties.registerWith(hub, lagging, laggingRole));
            RoutingParties.registerWith(hub, prompt, promptRole);

            String id = "BACKLOG-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            String locationUrl = hub.url() + "/ocpi/2.2.1/locations/receiver/" + cpoRole.countryCode() + "/"
                    + cpoRole.partyId() + "/" + id;
            ObjectNode location = (ObjectNode) OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(40));
            String evse = location.get("evses").get(0).get("uid").asString();
            assertThat(push(cpo, cpoRole, "PUT", locationUrl, location.toString())).isEqualTo(1000);
            lagging.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/" + id), WAIT);

            int patches = 40;
            List<String> pushed = pushStatusPatches(cpo, cpoRole, locationUrl + "/" + evse, patches);

            // the prompt receiver got everything; for the lagging one, `mark` wait in memory and the rest in rows
            await().atMost(WAIT).until(() -> patchesAbout(prompt, id).size() == patches);
            ReceiverLanes lanes = hub.context().getBean(ReceiverLanes.class);
            ReceiverBacklogStore store = hub.context().getBean(ReceiverBacklogStore.class);
            await().atMost(WAIT).until(() -> rows(store, laggingId) == patches - mark);
            assertThat(lanes.waiting(laggingId)).isEqualTo(mark);
            assertThat(hub.context().getBean(ReceiverBacklog.class).spilling()).contains(laggingId);
            // counted once committed, just after the rows became visible
            await().atMost(WAIT).until(() -> spilled(hub, laggingId) == patches - mark);

            // once it answers, it gets the PUT and then every PATCH once, in the order the CPO sent them
            release.tryEmitEmpty();
            await().atMost(WAIT).until(() -> patchesAbout(lagging, id).size() >= patches);
            assertThat(patchesAbout(lagging, id)).extracting(ReceiverBacklogTest::lastUpdated)
                    .containsExactlyElementsOf(pushed);
            await().atMost(WAIT).until(() -> rows(store, laggingId) == 0
                    && !hub.context().getBean(ReceiverBacklog.class).spilling().contains(laggingId));
            assertThat(failedDeliveries(hub, laggingId)).isZero();

            // drained, the receiver is back on the memory path: a new push reaches it without a row
            assertThat(push(cpo, cpoRole, "PATCH", locationUrl + "/" + evse,
                    "{\"status\":\"BLOCKED\",\"last_updated\":\"2026-03-01T00:00:00Z\"}")).isEqualTo(1000);
            await().atMost(WAIT).until(() -> patchesAbout(lagging, id).size() == patches + 1);
            assertThat(spilled(hub, laggingId)).isEqualTo(patches - mark);
        } finally {
            release.tryEmitEmpty();
            hub.close();
        }
    }

    /**
     * A new member's Hub Client Info list is one record in the log holding a PUT per party (ClientInfoList): when
     * the member is slow to take them, those beyond the mark wait in PostgreSQL as one row each (the rows' key names
     * the delivery's own broadcast id, since they share the record's offset and the receiving party), and every one
     * reaches the member once it answers.
     */
    @Test
    void aNewMembersListBeyondTheMarkWaitsInPostgresqlARowPerPartyAndReachesItWhole() {
        int mark = 2;
        RunningHub hub = oneAtATime(mark);
        Sinks.Empty<Void> release = Sinks.empty();
        PartyRole cpoRole = Parties.cpo();
        PartyRole emspRole = Parties.emsp();
        PartyRole newcomerRole = Parties.emsp();
        String clientInfoPath = SimulatedPlatform.modulePath("hubclientinfo", "RECEIVER") + "/**";
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform emsp = receiver("list-emsp", emspRole);
             SimulatedPlatform newcomer = SimulatedPlatform.builder().name("list-slow-newcomer").role(newcomerRole)
                     .modules("hubclientinfo:RECEIVER")
                     .route("PUT", clientInfoPath, request -> release.asMono().then(Mono.just(OcpiReply.ok(null))))
                     .start()) {
            RoutingParties.registerWith(hub, cpo, cpoRole);
            RoutingParties.registerWith(hub, emsp, emspRole);
            UUID newcomerId = UUID.fromString(RoutingParties.registerWith(hub, newcomer, newcomerRole));
            // every party and role of the other members, as the relay read them for the list
            List<String> listed = hub.context().getBean(DatabaseClient.class)
                    .sql("select r.country_code, r.party_id, r.role from platform_role r "
                            + "where r.platform_id <> :id::uuid")
                    .bind("id", newcomerId.toString())
                    .map(row -> "/" + row.get(0, String.class) + "/" + row.get(1, String.class) + " "
                            + row.get(2, String.class))
                    .all().collectList().block(WAIT);
            assertThat(listed).hasSizeGreaterThan(mark + 2);

            // one in flight, `mark` waiting in memory, the others of the list a row each
            ReceiverBacklogStore store = hub.context().getBean(ReceiverBacklogStore.class);
            await().atMost(WAIT).until(() -> rows(store, newcomerId) >= listed.size() - mark - 1);

            release.tryEmitEmpty();
            await().atMost(WAIT).until(() -> rows(store, newcomerId) == 0
                    && clientInfoPuts(newcomer).containsAll(listed));
            assertThat(failedDeliveries(hub, newcomerId)).isZero();
        } finally {
            release.tryEmitEmpty();
            hub.close();
        }
    }

    /** The ClientInfo PUTs a member got, as "/cc/pid ROLE". */
    private static java.util.Set<String> clientInfoPuts(SimulatedPlatform member) {
        java.util.Set<String> puts = new java.util.HashSet<>();
        for (RecordedRequest r : member.received()) {
            int at = r.path().indexOf("/hubclientinfo/receiver/");
            if (r.method().equals("PUT") && at >= 0) {
                puts.add(r.path().substring(at + "/hubclientinfo/receiver".length()) + " "
                        + r.json().get("role").asString());
            }
        }
        return puts;
    }

    /**
     * Another instance took this instance's claim of its partitions (in PostgreSQL) while this one still consumes
     * them: this instance was fenced out of the group and does not know it yet. Its next rows are refused, and the
     * fan-out restarts its consumer, which rejoins the group and claims what it is given again, in order. Without the
     * restart the records that needed rows would never be acknowledged: the lagging receiver would never get them.
     */
    @Test
    void aClaimTakenFromUnderTheInstanceRestartsItsConsumerAndTheLaggingReceiverStillGetsEverythingInOrder() {
        int mark = 5;
        RunningHub hub = oneAtATime(mark);
        Sinks.Empty<Void> release = Sinks.empty();
        PartyRole cpoRole = Parties.cpo();
        PartyRole laggingRole = Parties.emsp();
        PartyRole promptRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform lagging = heldReceiver("claim-lagging", laggingRole, release);
             SimulatedPlatform prompt = receiver("claim-prompt", promptRole)) {
            RoutingParties.registerWith(hub, cpo, cpoRole);
            UUID laggingId = UUID.fromString(RoutingParties.registerWith(hub, lagging, laggingRole));
            RoutingParties.registerWith(hub, prompt, promptRole);

            String id = "CLAIM-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            String locationUrl = hub.url() + "/ocpi/2.2.1/locations/receiver/" + cpoRole.countryCode() + "/"
                    + cpoRole.partyId() + "/" + id;
            ObjectNode location = (ObjectNode) OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(41));
            String evse = location.get("evses").get(0).get("uid").asString();
            assertThat(push(cpo, cpoRole, "PUT", locationUrl, location.toString())).isEqualTo(1000);
            lagging.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/" + id), WAIT);

            // what another instance's claims do: every partition of this hub's group and topic gets a newer epoch
            Map<Integer, Long> taken = takeClaims(hub);
            assertThat(taken).as("this hub claimed its partitions").isNotEmpty();

            int patches = 20;
            List<String> pushed = pushStatusPatches(cpo, cpoRole, locationUrl + "/" + evse, patches);

            // the rows beyond the mark were refused; the restarted consumer claimed every partition again
            await().atMost(WAIT).until(() -> claims(hub).entrySet().stream()
                    .allMatch(claim -> claim.getValue() > taken.get(claim.getKey())));
            await().atMost(WAIT).until(() -> distinct(patchesAbout(prompt, id)).equals(pushed));

            release.tryEmitEmpty();
            await().atMost(WAIT).until(() -> distinct(patchesAbout(lagging, id)).equals(pushed));
            List<String> arrived = patchesAbout(lagging, id).stream().map(ReceiverBacklogTest::lastUpdated).toList();
            assertThat(arrived.get(arrived.size() - 1)).as("its final state is the last push").isEqualTo(
                    pushed.get(patches - 1));
            ReceiverBacklogStore store = hub.context().getBean(ReceiverBacklogStore.class);
            await().atMost(WAIT).until(() -> rows(store, laggingId) == 0);
            assertThat(failedDeliveries(hub, laggingId)).isZero();
        } finally {
            release.tryEmitEmpty();
            hub.close();
        }
    }

    /** Raises the epoch of every claim of the hub's consumer group and topic; returns the new epochs. */
    private static Map<Integer, Long> takeClaims(RunningHub hub) {
        return claims(hub, "update receiver_backlog_claim set epoch = epoch + 1 where consumer_group = :group "
                + "and topic = :topic returning kafka_partition, epoch");
    }

    /** Per partition, the epoch of the hub's claim. */
    private static Map<Integer, Long> claims(RunningHub hub) {
        return claims(hub, "select kafka_partition, epoch from receiver_backlog_claim where consumer_group = :group "
                + "and topic = :topic");
    }

    private static Map<Integer, Long> claims(RunningHub hub, String sql) {
        BroadcastProperties properties = hub.context().getBean(BroadcastProperties.class);
        return hub.context().getBean(org.springframework.r2dbc.core.DatabaseClient.class).sql(sql)
                .bind("group", properties.consumerGroup()).bind("topic", properties.topic())
                .map(row -> Map.entry(row.get(0, Integer.class), row.get(1, Long.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block(WAIT);
    }

    /**
     * A hub of its own where {@code mark} deliveries per receiver wait in memory, one is in flight at a time, a held
     * one is never timed out and nothing is conflated: every delivery beyond the mark is a row.
     */
    private static RunningHub oneAtATime(int mark) {
        return RunningHub.start(Map.of("hub.broadcast.receiver-backlog", String.valueOf(mark),
                "hub.broadcast.in-flight-per-receiver", "1", "hub.broadcast.conflation", "false",
                "hub.broadcast.delivery-timeout", "5m"));
    }

    /** A receiver of Locations that holds every request until {@code release} completes. */
    private static SimulatedPlatform heldReceiver(String name, PartyRole role, Sinks.Empty<Void> release) {
        return SimulatedPlatform.builder().name(name).role(role).modules("locations:RECEIVER", "tokens:SENDER")
                .route("*", RECEIVER_PATH, request -> release.asMono().then(Mono.just(OcpiReply.ok(null))))
                .start();
    }

    /** A receiver of Locations that answers at once. */
    private static SimulatedPlatform receiver(String name, PartyRole role) {
        return SimulatedPlatform.builder().name(name).role(role).modules("locations:RECEIVER", "tokens:SENDER")
                .start();
    }

    /**
     * {@code count} EVSE status PATCHes, CHARGING and AVAILABLE in turn, each answered 1000; returns their
     * last_updated in the order sent.
     */
    private static List<String> pushStatusPatches(SimulatedPlatform cpo, PartyRole cpoRole, String evseUrl,
                                                  int count) {
        List<String> pushed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String at = Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i + 1).toString();
            String status = i % 2 == 0 ? "CHARGING" : "AVAILABLE";
            assertThat(push(cpo, cpoRole, "PATCH", evseUrl,
                    "{\"status\":\"" + status + "\",\"last_updated\":\"" + at + "\"}")).isEqualTo(1000);
            pushed.add(at);
        }
        return pushed;
    }

    /** The last_updated of each PATCH, in first-arrival order, each once. */
    private static List<String> distinct(List<RecordedRequest> patches) {
        return List.copyOf(new LinkedHashSet<>(patches.stream().map(ReceiverBacklogTest::lastUpdated).toList()));
    }

    @Test
    void memoryIsBoundedOverAllReceiversAndAStuckReceiverDoesNotStarveAnother() {
        // at most 3 deliveries in memory over all receivers (each may still have half a drain batch to drain with)
        RunningHub hub = RunningHub.start(Map.of("hub.broadcast.memory-backlog", "3",
                "hub.broadcast.in-flight-per-receiver", "1", "hub.broadcast.conflation", "false",
                "hub.broadcast.delivery-timeout", "5m"));
        Sinks.Empty<Void> release = Sinks.empty();
        PartyRole cpoRole = Parties.cpo();
        PartyRole stuckRole = Parties.emsp();
        PartyRole promptRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform stuck = heldReceiver("backlog-stuck", stuckRole, release);
             SimulatedPlatform prompt = receiver("backlog-prompt-2", promptRole)) {
            RoutingParties.registerWith(hub, cpo, cpoRole);
            UUID stuckId = UUID.fromString(RoutingParties.registerWith(hub, stuck, stuckRole));
            RoutingParties.registerWith(hub, prompt, promptRole);
            ReceiverBacklogStore store = hub.context().getBean(ReceiverBacklogStore.class);
            String base = hub.url() + "/ocpi/2.2.1/locations/receiver/" + cpoRole.countryCode() + "/"
                    + cpoRole.partyId() + "/";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "SHARED-" + i;
                assertThat(push(cpo, cpoRole, "PUT", base + id,
                        OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(i)).toString())).isEqualTo(1000);
                ids.add(id);
            }
            // the prompt receiver gets everything although the stuck one holds what memory there is
            await().atMost(WAIT).until(() -> putIds(prompt).containsAll(ids));
            await().atMost(WAIT).until(() -> rows(store, stuckId) > 0);
            // memory-backlog bounds memory over all receivers, but a receiver whose lane fell below half a drain
            // batch (16 / 2 here) may still take its rows up to that, so that receivers stuck with full lanes do not
            // stop the others from draining; the fan-outs of several partitions must not each take the last room
            int halfBatch = 8;
            assertThat(hub.context().getBean(ReceiverLanes.class).waiting(stuckId))
                    .isLessThanOrEqualTo(Math.max(3, halfBatch));

            release.tryEmitEmpty();
            await().atMost(WAIT).until(() -> putIds(stuck).containsAll(ids) && rows(store, stuckId) == 0);
            assertThat(failedDeliveries(hub, stuckId)).isZero();
        } finally {
            release.tryEmitEmpty();
            hub.close();
        }
    }

    @Test
    void rowsSurviveAKillMinus9AndALaggingReceiverHoldsBackNoKafkaOffset() {
        String topic = "ocpihub.backlog-" + System.nanoTime();
        String group = "backlog-" + System.nanoTime();
        Map<String, String> isolated = Map.of("hub.broadcast.topic", topic, "hub.broadcast.consumer-group", group,
                "hub.broadcast.receiver-backlog", "2", "hub.broadcast.in-flight-per-receiver", "1",
                "hub.broadcast.conflation", "false", "hub.broadcast.delivery-timeout", "5m");
        RunningHub registryHub = RunningHub.shared();
        PartyRole cpoRole = Parties.cpo();
        PartyRole fastRole = Parties.emsp();
        PartyRole laggingRole = Parties.emsp();
        // the lagging receiver holds its first three requests until `firstThree`, every later one until `release`
        AtomicInteger requests = new AtomicInteger();
        Sinks.Empty<Void> firstThree = Sinks.empty();
        Sinks.Empty<Void> release = Sinks.empty();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform fast = SimulatedPlatform.builder().name("backlog-fast").role(fastRole)
                     .modules("locations:RECEIVER").start();
             SimulatedPlatform lagging = SimulatedPlatform.builder().name("backlog-held").role(laggingRole)
                     .modules("locations:RECEIVER")
                     .route("*", RECEIVER_PATH, request -> (requests.incrementAndGet() <= 3 ? firstThree : release)
                             .asMono().then(Mono.just(OcpiReply.ok(null))))
                     .start()) {
            RoutingParties.registerWith(registryHub, cpo, cpoRole);
            RoutingParties.registerWith(registryHub, fast, fastRole);
            UUID laggingId = UUID.fromString(RoutingParties.registerWith(registryHub, lagging, laggingRole));
            ReceiverBacklogStore store = registryHub.context().getBean(ReceiverBacklogStore.class);

            // ten Locations, three versions each: keyed by object, they spread over the partitions; order is kept
            // per object
            int pushes = 30;
            List<String> ids = new ArrayList<>();
            Map<String, List<String>> versions = new java.util.TreeMap<>();
            HubProcess first = HubProcess.start(isolated);
            try {
                for (int i = 0; i < pushes; i++) {
                    String id = "KEPT-" + (i % 10);
                    assertThat(put(cpo, cpoRole, first, id, i).statusCode()).isEqualTo(1000);
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                    versions.computeIfAbsent(id, k -> new ArrayList<>()).add(OcpiSamples.seedTime(i).toString());
                }
                // one delivery in flight and two waiting in the lane; the other 27 kept in PostgreSQL
                await().atMost(WAIT).until(() -> putsAbout(fast) == pushes);
                await().atMost(WAIT).until(() -> rows(store, laggingId) == pushes - 3);
                assertThat(requests).hasValue(1);
                // once the three in the lane are delivered, every record was delivered or kept: the group's committed
                // offsets reach the end of the log while the receiver still holds the first row handed to it
                firstThree.tryEmitEmpty();
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(requests).as("requests the lagging receiver got").hasValue(4);
                    assertThat(committedToTheEnd(topic, group)).as("offsets committed to the end").isTrue();
                });
                assertThat(rows(store, laggingId)).as("rows are deleted once delivered").isEqualTo(pushes - 3);
            } finally {
                first.kill();
            }

            release.tryEmitEmpty();
            try (HubProcess second = HubProcess.start(isolated)) {
                await().atMost(WAIT).until(() -> putVersions(lagging).values().stream().mapToLong(v -> new
                        LinkedHashSet<>(v).size()).sum() == pushes && rows(store, laggingId) == 0);
            }
            // nothing was fanned out again: the receiver that kept up got each push once, each object's in order
            assertThat(putVersions(fast)).isEqualTo(versions);
            // the lagging one got each object's versions in the order the hub accepted them (a batch handed over
            // before the kill may come twice: at least once, never lost, never an older version after a newer)
            Map<String, List<String>> lagged = putVersions(lagging);
            lagged.replaceAll((id, seen) -> new ArrayList<>(new LinkedHashSet<>(seen)));
            assertThat(lagged).isEqualTo(versions);
        } finally {
            firstThree.tryEmitEmpty();
            release.tryEmitEmpty();
        }
    }

    @Test
    void aDownReceiverGetsEverythingOnceBackAfterAKillMinus9AndTheHealthyOneNoDuplicate() {
        // default backlog settings: only the topic and group are the test's own
        Map<String, String> isolated = Map.of("hub.broadcast.topic", "ocpihub.down-" + System.nanoTime(),
                "hub.broadcast.consumer-group", "down-" + System.nanoTime());
        String topic = isolated.get("hub.broadcast.topic");
        String group = isolated.get("hub.broadcast.consumer-group");
        RunningHub registryHub = RunningHub.shared();
        PartyRole cpoRole = Parties.cpo();
        PartyRole fastRole = Parties.emsp();
        PartyRole downRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform fast = SimulatedPlatform.builder().name("down-fast").role(fastRole)
                     .modules("locations:RECEIVER").start();
             SimulatedPlatform down = SimulatedPlatform.builder().name("down-receiver").role(downRole)
                     .modules("locations:RECEIVER").start()) {
            RoutingParties.registerWith(registryHub, cpo, cpoRole);
            RoutingParties.registerWith(registryHub, fast, fastRole);
            UUID downId = UUID.fromString(RoutingParties.registerWith(registryHub, down, downRole));
            ReceiverBacklogStore store = registryHub.context().getBean(ReceiverBacklogStore.class);
            // the receiver is down: every request to it dies without an answer
            down.moduleFaults("locations:RECEIVER", Fault.CLOSE_CONNECTION);

            int pushes = 40;
            List<String> ids = new ArrayList<>();
            HubProcess first = HubProcess.start(isolated);
            try {
                for (int i = 0; i < pushes; i++) {
                    String id = "DOWN-" + i;
                    assertThat(put(cpo, cpoRole, first, id, i).statusCode()).isEqualTo(1000);
                    ids.add(id);
                }
                // every delivery to it waits in PostgreSQL and none is a failure; every record is acknowledged
                await().atMost(WAIT).until(() -> putIds(fast).containsAll(ids));
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(rows(store, downId)).as("rows kept for the down receiver").isEqualTo(pushes);
                    assertThat(committedToTheEnd(topic, group)).as("offsets committed to the end").isTrue();
                });
                assertThat(failedDeliveries(registryHub, downId)).isZero();
            } finally {
                first.kill();
            }

            down.moduleFaults("locations:RECEIVER", Fault.NONE);
            int before = down.received().size();
            try (HubProcess second = HubProcess.start(isolated)) {
                await().atMost(WAIT).until(() -> rows(store, downId) == 0);
            }
            List<String> afterBack = down.received().subList(before, down.received().size()).stream()
                    .filter(r -> r.method().equals("PUT")).map(RecordedRequest::path)
                    .map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
            assertThat(afterBack).containsAll(ids);
            assertThat(putCounts(fast, ids)).allMatch(n -> n == 1);
            assertThat(failedDeliveries(registryHub, downId)).isZero();
        }
    }

    /**
     * A receiver is down while its deliveries wait in PostgreSQL, and a second instance joins: the partitions it takes
     * move with their waiting rows (the first instance stops draining them, the second resumes them), pushes go on
     * through both, and once the receiver is back it gets every version of every object in acceptance order, while
     * the receiver that kept up got each push once.
     */
    @Test
    void waitingRowsMoveWithTheirPartitionsWhenASecondInstanceJoinsAndReachTheReceiverInOrder() throws Exception {
        String topic = "ocpihub.move-" + System.nanoTime();
        String group = "move-" + System.nanoTime();
        Map<String, String> isolated = Map.of("hub.broadcast.topic", topic, "hub.broadcast.consumer-group", group,
                "hub.broadcast.conflation", "false");
        RunningHub registryHub = RunningHub.shared();
        PartyRole cpoRole = Parties.cpo();
        PartyRole fastRole = Parties.emsp();
        PartyRole downRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform fast = SimulatedPlatform.builder().name("move-fast").role(fastRole)
                     .modules("locations:RECEIVER").start();
             SimulatedPlatform down = SimulatedPlatform.builder().name("move-down").role(downRole)
                     .modules("locations:RECEIVER").start();
             Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     TestInfrastructure.get().kafkaBootstrapServers()))) {
            RoutingParties.registerWith(registryHub, cpo, cpoRole);
            RoutingParties.registerWith(registryHub, fast, fastRole);
            UUID downId = UUID.fromString(RoutingParties.registerWith(registryHub, down, downRole));
            ReceiverBacklogStore store = registryHub.context().getBean(ReceiverBacklogStore.class);
            down.moduleFaults("locations:RECEIVER", Fault.CLOSE_CONNECTION);

            // sixteen Locations, keyed by object over the partitions; four versions each, two before the join and
            // two after it
            int objects = 16;
            Map<String, List<String>> versions = new java.util.TreeMap<>();
            try (HubProcess first = HubProcess.start(isolated)) {
                int pushed = 0;
                for (int i = 0; i < objects * 2; i++, pushed++) {
                    pushVersion(cpo, cpoRole, first, i % objects, i, versions);
                }
                int before = pushed;
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(putsAbout(fast)).isEqualTo(before);
                    assertThat(rows(store, downId)).as("rows kept for the down receiver").isEqualTo(before);
                    assertThat(committedToTheEnd(topic, group)).as("offsets committed to the end").isTrue();
                });

                try (HubProcess second = HubProcess.start(isolated)) {
                    // the second instance took partitions, with the rows waiting on them
                    awaitGroupOf(kafka, group, 2);
                    assertThat(BroadcastRebalanceTest.partitionChanges(first, "revoked"))
                            .as("partitions the first instance gave up while the receiver was down").isPositive();
                    for (int i = objects * 2; i < objects * 4; i++, pushed++) {
                        pushVersion(cpo, cpoRole, i % 2 == 0 ? first : second, i % objects, i, versions);
                    }
                    int all = pushed;
                    await().atMost(WAIT).untilAsserted(() -> {
                        assertThat(putsAbout(fast)).isEqualTo(all);
                        assertThat(rows(store, downId)).isEqualTo(all);
                    });

                    down.moduleFaults("locations:RECEIVER", Fault.NONE);
                    await().atMost(WAIT).until(() -> rows(store, downId) == 0);
                }
            }
            // each object's versions in acceptance order, never an older one after a newer (a delivery sent again
            // right after itself, its answer lost, is the only repeat allowed)
            Map<String, List<String>> got = putVersions(down);
            got.replaceAll((id, seen) -> withoutImmediateRepeats(seen));
            assertThat(got).isEqualTo(versions);
            assertThat(deliveringInstances(registryHub, downId))
                    .as("instances whose deliveries reached the receiver that was down").isEqualTo(2);
            assertThat(putVersions(fast)).as("the receiver that kept up: each push once, in order").isEqualTo(versions);
            assertThat(failedDeliveries(registryHub, downId)).isZero();
        }
    }

    private static void pushVersion(SimulatedPlatform cpo, PartyRole cpoRole, HubProcess via, int object, int version,
                                    Map<String, List<String>> versions) {
        String id = "MOVE-" + object;
        assertThat(put(cpo, cpoRole, via, id, version).statusCode()).isEqualTo(1000);
        versions.computeIfAbsent(id, k -> new ArrayList<>()).add(OcpiSamples.seedTime(version).toString());
    }

    private static List<String> withoutImmediateRepeats(List<String> seen) {
        List<String> kept = new ArrayList<>();
        for (String version : seen) {
            if (kept.isEmpty() || !kept.get(kept.size() - 1).equals(version)) {
                kept.add(version);
            }
        }
        return kept;
    }

    /**
     * How many hub instances delivered to {@code receiver} (the message log's DELIVERY rows; written in batches, so
     * waited for): 2 once the instance that took partitions drained the rows waiting on them.
     */
    private static long deliveringInstances(RunningHub hub, UUID receiver) {
        org.springframework.r2dbc.core.DatabaseClient db = hub.context()
                .getBean(org.springframework.r2dbc.core.DatabaseClient.class);
        java.util.function.Supplier<Long> instances = () -> db.sql("select count(distinct instance_id) from "
                        + "message_log where kind = 'DELIVERY' and outcome = 'DELIVERED' and receiver_platform_id = :r")
                .bind("r", receiver).map(row -> row.get(0, Long.class)).one().block(WAIT);
        await().atMost(WAIT).until(() -> instances.get() >= 2);
        return instances.get();
    }

    /** Until the group is stable with {@code members} consumers, each holding partitions. */
    private static void awaitGroupOf(Admin kafka, String group, int members) {
        await().atMost(WAIT).until(() -> {
            ConsumerGroupDescription description = kafka.describeConsumerGroups(List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
            return description.groupState() == GroupState.STABLE && description.members().size() == members
                    && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        });
    }

    @Test
    void aReceiverThatComesBackIsProbedAndDrainedWhileAPoisonPushGoesToTheFailedList() {
        // an attempt that gets no answer in 1 s is given up: the receiver did not answer
        RunningHub hub = RunningHub.start(Map.of("hub.broadcast.delivery-timeout", "1s"));
        PartyRole cpoRole = Parties.cpo();
        PartyRole flakyRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform flaky = SimulatedPlatform.builder().name("backlog-flaky").role(flakyRole)
                     .modules("locations:RECEIVER", "tokens:SENDER")
                     // the receiver never answers for this one Location, and answers every other push
                     .route("*", RECEIVER_PATH, request -> request.recorded().path().contains("/POISON")
                             ? Mono.never() : Mono.just(OcpiReply.ok(null)))
                     .start()) {
            RoutingParties.registerWith(hub, cpo, cpoRole);
            UUID flakyId = UUID.fromString(RoutingParties.registerWith(hub, flaky, flakyRole));
            ReceiverBacklogStore store = hub.context().getBean(ReceiverBacklogStore.class);
            String base = hub.url() + "/ocpi/2.2.1/locations/receiver/" + cpoRole.countryCode() + "/"
                    + cpoRole.partyId() + "/";

            // down: the first pushes wait in PostgreSQL, none fails
            flaky.moduleFaults("locations:RECEIVER", Fault.CLOSE_CONNECTION);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = "BACK-" + i;
                assertThat(push(cpo, cpoRole, "PUT", base + id,
                        OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(i)).toString())).isEqualTo(1000);
                ids.add(id);
            }
            await().atMost(WAIT).until(() -> rows(store, flakyId) == 5);
            assertThat(failedDeliveries(hub, flakyId)).isZero();

            // back: a probe finds it and the rows drain, with no operator
            flaky.moduleFaults("locations:RECEIVER", Fault.NONE);
            await().atMost(WAIT).until(() -> rows(store, flakyId) == 0 && putIds(flaky).containsAll(ids));
            assertThat(failedDeliveries(hub, flakyId)).isZero();

            // a push it never answers waits like one to a receiver that is down, and holds up the pushes after it
            // only until probes show the receiver takes those: then it is recorded as failed for the operators
            assertThat(push(cpo, cpoRole, "PUT", base + "POISON",
                    OcpiSamples.location(cpoRole, "POISON", OcpiSamples.seedTime(9)).toString())).isEqualTo(1000);
            await().atMost(WAIT).until(() -> rows(store, flakyId) == 1);
            List<String> after = List.of("AFTER-1", "AFTER-2", "AFTER-3");
            for (String id : after) {
                assertThat(push(cpo, cpoRole, "PUT", base + id,
                        OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(9)).toString())).isEqualTo(1000);
            }
            await().atMost(WAIT).until(() -> putIds(flaky).containsAll(after) && rows(store, flakyId) == 0
                    && failedDeliveries(hub, flakyId) == 1);
            assertThat(failedPaths(hub, flakyId)).singleElement().asString().endsWith("/POISON");
        } finally {
            hub.close();
        }
    }

    private static int push(SimulatedPlatform cpo, PartyRole cpoRole, String method, String url, String body) {
        return cpo.call(method, url, body, RoutingParties.route(cpoRole, HUB)).block(WAIT).statusCode();
    }

    private static SimulatedResponse put(SimulatedPlatform cpo, PartyRole cpoRole, HubProcess via, String id, int i) {
        String url = via.url() + "/ocpi/2.2.1/locations/receiver/" + cpoRole.countryCode() + "/" + cpoRole.partyId()
                + "/" + id;
        return cpo.call("PUT", url, OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(i)).toString(),
                RoutingParties.route(cpoRole, HUB)).block(WAIT);
    }

    private static long rows(ReceiverBacklogStore store, UUID receiver) {
        return store.waiting().block(WAIT).getOrDefault(receiver, 0L);
    }

    private static double spilled(RunningHub hub, UUID receiver) {
        Counter counter = hub.context().getBean(MeterRegistry.class).find("ocpihub.broadcast.spilled")
                .tag("receiver_id", receiver.toString()).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long failedDeliveries(RunningHub hub, UUID receiver) {
        return hub.context().getBean(org.springframework.r2dbc.core.DatabaseClient.class)
                .sql("select count(*) from delivery_failure where receiver_platform_id = :r").bind("r", receiver)
                .map(row -> row.get(0, Long.class)).one().block(WAIT);
    }

    private static List<String> failedPaths(RunningHub hub, UUID receiver) {
        return hub.context().getBean(org.springframework.r2dbc.core.DatabaseClient.class)
                .sql("select path_suffix from delivery_failure where receiver_platform_id = :r").bind("r", receiver)
                .map(row -> row.get(0, String.class)).all().collectList().block(WAIT);
    }

    private static List<RecordedRequest> patchesAbout(SimulatedPlatform receiver, String id) {
        return receiver.received().stream().filter(r -> r.method().equals("PATCH") && r.path().contains("/" + id + "/"))
                .toList();
    }

    private static String lastUpdated(RecordedRequest request) {
        JsonNode body = JSON.readTree(new String(request.bodyBytes(), StandardCharsets.UTF_8));
        return body.get("last_updated").asString();
    }

    /** Per Location id, the last_updated of each PUT of it the platform received, in arrival order. */
    private static Map<String, List<String>> putVersions(SimulatedPlatform platform) {
        Map<String, List<String>> versions = new java.util.TreeMap<>();
        platform.received().stream().filter(r -> r.method().equals("PUT")).forEach(r -> versions
                .computeIfAbsent(r.path().substring(r.path().lastIndexOf('/') + 1), k -> new ArrayList<>())
                .add(java.time.Instant.parse(lastUpdated(r)).toString()));
        return versions;
    }

    private static long putsAbout(SimulatedPlatform platform) {
        return platform.received().stream().filter(r -> r.method().equals("PUT")).count();
    }

    private static List<String> putIdsInOrder(SimulatedPlatform platform) {
        return platform.received().stream().filter(r -> r.method().equals("PUT"))
                .map(RecordedRequest::path).map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
    }

    private static java.util.Set<String> putIds(SimulatedPlatform platform) {
        return new LinkedHashSet<>(putIdsInOrder(platform));
    }

    private static List<Long> putCounts(SimulatedPlatform platform, List<String> ids) {
        return ids.stream().map(id -> platform.received().stream()
                .filter(r -> r.method().equals("PUT") && r.path().endsWith("/" + id)).count()).toList();
    }

    /** The consumer group's committed offset equals the end of the log on every partition that has records. */
    private static boolean committedToTheEnd(String topic, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(10, TimeUnit.SECONDS);
            for (TopicPartition partition : partitions) {
                long end = ends.get(partition).offset();
                OffsetAndMetadata at = committed.get(partition);
                if (end > 0 && (at == null || at.offset() != end)) {
                    return false;
                }
            }
            return true;
        }
    }
}
