package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.clientinfo.ClientInfoList;
import org.ocpihub.broadcast.fanout.ReceiverLanes;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.log.BroadcastRecordCodec;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.infra.TestInfrastructure;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Issue 11, item 4: the broadcast log is keyed by object (D7, {@code hub.broadcast.partition-key=object}), so one
 * CPO's pushes spread over every partition, and so over every instance and core, while each object's pushes keep
 * their order; a Hub Client Info change is written into every partition, so that a party's CONNECTED still reaches
 * a member before any of its data, and the member hears it once.
 */
class BroadcastPartitioningTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final String TOPIC = "ocpihub.broadcasts"; // the shared hub's

    private final RunningHub hub = RunningHub.shared();

    @Test
    void oneCposPushesUseEveryPartitionEachObjectInOrderAndItsConnectedComesOnceAndFirst() throws Exception {
        PartyRole watcherRole = Parties.emsp();
        PartyRole bystanderRole = Parties.emsp();
        PartyRole cpoRole = Parties.cpo();
        try (SimulatedPlatform watcher = SimulatedPlatform.builder().name("partition-watcher").role(watcherRole)
                .modules("hubclientinfo:RECEIVER", "locations:RECEIVER").start();
             // takes none of a CPO's broadcast data: it needs the change, not the fence
             SimulatedPlatform bystander = SimulatedPlatform.builder().name("partition-bystander")
                     .role(bystanderRole).modules("hubclientinfo:RECEIVER", "tokens:SENDER").start();
             SimulatedPlatform cpo = RoutingParties.cpo(cpoRole)) {
            String watcherId = RoutingParties.registerWith(hub, watcher, watcherRole);
            String bystanderId = RoutingParties.registerWith(hub, bystander, bystanderRole);
            RoutingParties.registerWith(hub, cpo, cpoRole);

            int partitions = partitionCount();
            List<String> ids = oneLocationPerPartition(cpoRole, partitions);
            // three versions of each Location, pushed round robin
            Map<String, List<String>> pushed = new TreeMap<>();
            for (int version = 0; version < 3; version++) {
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    Instant lastUpdated = OcpiSamples.seedTime(version * 100 + i);
                    String url = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/"
                            + cpoRole.partyId() + "/" + id;
                    assertThat(cpo.call("PUT", url, OcpiSamples.location(cpoRole, id, lastUpdated).toString(),
                            RoutingParties.route(cpoRole, HUB)).block(WAIT).statusCode()).isEqualTo(1000);
                    pushed.computeIfAbsent(id, k -> new ArrayList<>()).add(lastUpdated.toString());
                }
            }

            await().atMost(WAIT).until(() -> locationPuts(watcher).size() == 3 * ids.size());
            // each object's versions once each, in the order the CPO pushed them
            Map<String, List<String>> received = new TreeMap<>();
            for (RecordedRequest put : locationPuts(watcher)) {
                received.computeIfAbsent(put.path().substring(put.path().lastIndexOf('/') + 1),
                        k -> new ArrayList<>()).add(Instant.parse(put.json().get("last_updated").asString())
                        .toString());
            }
            assertThat(received).isEqualTo(pushed);

            // in the log: this CPO's data in every partition, its CONNECTED copied into every partition
            PartyId owner = PartyId.of(cpoRole.countryCode(), cpoRole.partyId());
            Map<Integer, List<BroadcastRecord>> logged = recordsAbout(owner);
            Set<Integer> all = new TreeSet<>();
            for (int p = 0; p < partitions; p++) {
                all.add(p);
            }
            assertThat(partitionsHolding(logged, r -> r.module() == ModuleId.LOCATIONS)).isEqualTo(all);
            assertThat(partitionsHolding(logged, r -> r.module() == ModuleId.HUB_CLIENT_INFO
                    && r.copies() == partitions && new String(r.body(), StandardCharsets.UTF_8)
                    .contains("\"CONNECTED\""))).isEqualTo(all);

            // every partition's data reached the watcher, so every copy of the CONNECTED ended in its lane: it was
            // sent once, before the first data
            List<RecordedRequest> connected = watcher.received().stream()
                    .filter(r -> r.method().equals("PUT") && r.path().endsWith("/hubclientinfo/receiver/"
                            + cpoRole.countryCode() + "/" + cpoRole.partyId())
                            && "CONNECTED".equals(r.json().get("status").asString()))
                    .toList();
            assertThat(connected).hasSize(1);
            Instant firstData = locationPuts(watcher).stream().map(RecordedRequest::receivedAt).min(Instant::compareTo)
                    .orElseThrow();
            assertThat(connected.get(0).receivedAt()).isBefore(firstData);

            // the watcher's other copies ended unsent (COPY); the bystander was handed only the home partition's
            // copy: it heard the CONNECTED once and its lane never had another copy to drop
            ReceiverLanes lanes = hub.context().getBean(ReceiverLanes.class);
            await().atMost(WAIT).until(() -> copiesDropped(watcherId) >= partitions - 1
                    && countStatus(bystander, cpoRole, "CONNECTED") == 1
                    && lanes.waiting(UUID.fromString(bystanderId)) == 0
                    && lanes.inFlight(UUID.fromString(bystanderId)) == 0);
            assertThat(copiesDropped(bystanderId)).isZero();
        }
    }

    /**
     * The fence itself: while the receiver has not yet answered the CPO's CONNECTED (after a suspension), none of
     * the CPO's data pushed after it, in any partition, is sent to that receiver; once it answers, all of it is.
     */
    @Test
    void noPartitionsDataOvertakesTheConnectedBeforeItAndTheChangeIsSentOnce() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole cpoRole = Parties.cpo();
        AtomicBoolean holding = new AtomicBoolean();
        Sinks.Empty<Void> answer = Sinks.empty();
        String aboutCpo = "/" + cpoRole.countryCode() + "/" + cpoRole.partyId();
        try (SimulatedPlatform watcher = SimulatedPlatform.builder().name("fence-watcher").role(watcherRole)
                .modules("hubclientinfo:RECEIVER", "locations:RECEIVER")
                // once told to, holds the ClientInfo PUTs about the CPO unanswered until `answer`
                .route("PUT", SimulatedPlatform.modulePath("hubclientinfo", "RECEIVER") + "/**",
                        request -> (holding.get() && request.recorded().path().endsWith(aboutCpo)
                                ? answer.asMono() : Mono.<Void>empty()).then(Mono.just(OcpiReply.ok(null))))
                .start();
             SimulatedPlatform cpo = RoutingParties.cpo(cpoRole)) {
            UUID watcherId = UUID.fromString(RoutingParties.registerWith(hub, watcher, watcherRole));
            String cpoId = RoutingParties.registerWith(hub, cpo, cpoRole);
            assertThat(hub.admin().post("/platforms/" + cpoId + "/suspend", null).status()).isEqualTo(200);
            awaitStatus(watcher, cpoRole, "SUSPENDED", 1);

            holding.set(true);
            assertThat(hub.admin().post("/platforms/" + cpoId + "/reactivate", null).status()).isEqualTo(200);
            int partitions = partitionCount();
            List<String> ids = oneLocationPerPartition(cpoRole, partitions);
            for (int i = 0; i < ids.size(); i++) {
                String url = cpo.hubEndpoints().get("locations:RECEIVER") + aboutCpo + "/" + ids.get(i);
                assertThat(cpo.call("PUT", url, OcpiSamples.location(cpoRole, ids.get(i), OcpiSamples.seedTime(i))
                        .toString(), RoutingParties.route(cpoRole, HUB)).block(WAIT).statusCode()).isEqualTo(1000);
            }
            // the first copy of the CONNECTED is at the watcher, unanswered; the other copies and all the data wait
            ReceiverLanes lanes = hub.context().getBean(ReceiverLanes.class);
            await().atMost(WAIT).until(() -> countStatus(watcher, cpoRole, "CONNECTED") == 2
                    && (lanes.waiting(watcherId) >= partitions - 1 + ids.size() || !locationPuts(watcher).isEmpty()));
            assertThat(locationPuts(watcher)).as("data sent before the CONNECTED was answered").isEmpty();

            answer.tryEmitEmpty();
            await().atMost(WAIT).until(() -> locationPuts(watcher).size() == ids.size());
            // registration and reactivation: two CONNECTED, each once, whatever the copies
            assertThat(countStatus(watcher, cpoRole, "CONNECTED")).isEqualTo(2);
        } finally {
            answer.tryEmitEmpty();
        }
    }

    /**
     * A new member's full list is written as list records, not one record per party (issue 11: half a million
     * records for onboarding 1 000 members), and still reaches the member as one ClientInfo PUT per party and role.
     */
    @Test
    void aNewMembersFullListIsAFewRecordsInTheLogAndReachesItAsOnePutPerParty() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole cpoRole = Parties.cpo();
        PartyRole newcomerRole = Parties.emsp();
        try (SimulatedPlatform watcher = SimulatedPlatform.builder().name("list-watcher").role(watcherRole)
                .modules("hubclientinfo:RECEIVER").start();
             SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform newcomer = SimulatedPlatform.builder().name("list-newcomer").role(newcomerRole)
                     .modules("hubclientinfo:RECEIVER").start()) {
            RoutingParties.registerWith(hub, watcher, watcherRole);
            RoutingParties.registerWith(hub, cpo, cpoRole);
            UUID newcomerId = UUID.fromString(RoutingParties.registerWith(hub, newcomer, newcomerRole));

            List<BroadcastRecord> lists = recordsMatching(r -> newcomerId.equals(r.targetPlatformId()))
                    .values().stream().flatMap(List::stream).toList();
            assertThat(lists).isNotEmpty().allMatch(ClientInfoList::is);
            List<BroadcastRecord> entries = lists.stream().flatMap(r -> ClientInfoList.entries(r).stream()).toList();
            // every other party of the registry, each once; a record per CHUNK of them
            assertThat(lists).hasSize((entries.size() + ClientInfoList.CHUNK - 1) / ClientInfoList.CHUNK);
            Set<String> listed = new HashSet<>();
            for (BroadcastRecord entry : entries) {
                assertThat(listed.add(entry.suffix() + " " + entry.ownerRole()))
                        .as("listed once: %s %s", entry.suffix(), entry.ownerRole()).isTrue();
            }
            assertThat(listed).contains("/" + watcherRole.countryCode() + "/" + watcherRole.partyId() + " EMSP",
                    "/" + cpoRole.countryCode() + "/" + cpoRole.partyId() + " CPO")
                    .doesNotContain("/" + newcomerRole.countryCode() + "/" + newcomerRole.partyId() + " EMSP");

            // each party and role reached the newcomer (a party whose status changed since may come with the newer
            // status: the lane never sends the older over it), the two registered here as CONNECTED
            await().atMost(WAIT).until(() -> entries.stream()
                    .allMatch(entry -> !statusesAt(newcomer, entry).isEmpty()));
            for (BroadcastRecord entry : entries) {
                if (entry.owner().equals(PartyId.of(watcherRole.countryCode(), watcherRole.partyId()))
                        || entry.owner().equals(PartyId.of(cpoRole.countryCode(), cpoRole.partyId()))) {
                    assertThat(OcpiJson.mapper().readTree(entry.body()).get("status").asString())
                            .isEqualTo("CONNECTED");
                    assertThat(statusesAt(newcomer, entry)).containsExactly("CONNECTED");
                }
            }
        }
    }

    /**
     * A list record whose body holds no ClientInfo array (only the hub writes lists, so a bug's) is logged and
     * acknowledged without a delivery: it does not stall its partition, and the next list to the member, keyed like it
     * and so behind it in that partition, still arrives.
     */
    @Test
    void aListRecordWithoutAClientInfoArrayIsSkippedAndTheNextListBehindItStillArrives() {
        PartyRole memberRole = Parties.emsp();
        PartyRole aboutRole = Parties.cpo();
        try (SimulatedPlatform member = SimulatedPlatform.builder().name("list-poison-member").role(memberRole)
                .modules("hubclientinfo:RECEIVER").start()) {
            UUID memberId = UUID.fromString(RoutingParties.registerWith(hub, member, memberRole));
            BroadcastLog log = hub.context().getBean(BroadcastLog.class);
            BroadcastRecord good = ClientInfoList.records(List.of(new ClientInfo(aboutRole.partyId(),
                    aboutRole.countryCode(), Role.CPO, ConnectionStatus.PLANNED, Instant.now())), memberId, 1).get(0);
            BroadcastRecord broken = new BroadcastRecord(UUID.randomUUID().toString(), good.correlationId(),
                    good.module(), good.method(), good.owner(), good.ownerRole(), null, "", null,
                    "{\"not\":\"a list\"}".getBytes(StandardCharsets.UTF_8), good.acceptedAt(), memberId);
            assertThat(broken.objectKey()).isEqualTo(good.objectKey()); // the same partition, before it
            log.appendAll(List.of(broken, good)).block(WAIT);

            RecordedRequest put = member.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith(
                    "/hubclientinfo/receiver/" + aboutRole.countryCode() + "/" + aboutRole.partyId()), WAIT);
            assertThat(put.json().get("status").asString()).isEqualTo("PLANNED");
        }
    }

    /** The statuses of the ClientInfo PUTs about an entry's party and role that reached a member. */
    private static List<String> statusesAt(SimulatedPlatform member, BroadcastRecord entry) {
        return member.received().stream()
                .filter(r -> r.method().equals("PUT") && r.path().endsWith("/hubclientinfo/receiver" + entry.suffix())
                        && r.json().get("role").asString().equals(entry.ownerRole().name()))
                .map(r -> r.json().get("status").asString())
                .toList();
    }

    /** Hub Client Info deliveries to the platform that ended unsent because another copy carried the change. */
    private double copiesDropped(String platformId) {
        return hub.context().getBean(MeterRegistry.class).find("ocpihub.broadcast.deliveries")
                .tags("outcome", "COPY", "receiver_id", platformId).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static long countStatus(SimulatedPlatform watcher, PartyRole about, String status) {
        return watcher.received().stream()
                .filter(r -> r.method().equals("PUT") && r.path().endsWith("/hubclientinfo/receiver/"
                        + about.countryCode() + "/" + about.partyId())
                        && status.equals(r.json().get("status").asString()))
                .count();
    }

    private static void awaitStatus(SimulatedPlatform watcher, PartyRole about, String status, int times) {
        await().atMost(WAIT).until(() -> countStatus(watcher, about, status) >= times);
    }

    /** Location ids whose Kafka keys land one in each partition (Kafka's own key hash, as the producer uses it). */
    private static List<String> oneLocationPerPartition(PartyRole cpoRole, int partitions) {
        PartyId owner = PartyId.of(cpoRole.countryCode(), cpoRole.partyId());
        Map<Integer, String> byPartition = new HashMap<>();
        for (int n = 0; byPartition.size() < partitions; n++) {
            String id = "SPREAD-" + n;
            BroadcastRecord record = new BroadcastRecord("probe", "probe", ModuleId.LOCATIONS, "PUT", owner, Role.CPO,
                    UUID.randomUUID(), "/" + owner + "/" + id, null, new byte[0], Instant.now());
            int partition = BuiltInPartitioner.partitionForKey(record.objectKey().getBytes(StandardCharsets.UTF_8),
                    partitions);
            byPartition.putIfAbsent(partition, id);
        }
        return new ArrayList<>(new TreeMap<>(byPartition).values());
    }

    private static List<RecordedRequest> locationPuts(SimulatedPlatform platform) {
        return platform.received().stream()
                .filter(r -> r.method().equals("PUT") && r.path().contains("/locations/"))
                .toList();
    }

    private static Set<Integer> partitionsHolding(Map<Integer, List<BroadcastRecord>> logged,
                                                  java.util.function.Predicate<BroadcastRecord> which) {
        Set<Integer> holding = new TreeSet<>();
        logged.forEach((partition, records) -> {
            if (records.stream().anyMatch(which)) {
                holding.add(partition);
            }
        });
        return holding;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static int partitionCount() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return consumer.partitionsFor(TOPIC).size();
        }
    }

    /** Every record of the shared topic about {@code owner}, by partition, read from the start to the end. */
    private static Map<Integer, List<BroadcastRecord>> recordsAbout(PartyId owner) {
        return recordsMatching(record -> record.owner().equals(owner));
    }

    /** Every record of the shared topic that matches, by partition, read from the start to the end. */
    private static Map<Integer, List<BroadcastRecord>> recordsMatching(
            java.util.function.Predicate<BroadcastRecord> which) {
        Map<Integer, List<BroadcastRecord>> found = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Set<TopicPartition> open = new HashSet<>(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    BroadcastRecord decoded = BroadcastRecordCodec.decode(record.value());
                    if (which.test(decoded)) {
                        found.computeIfAbsent(record.partition(), k -> new ArrayList<>()).add(decoded);
                    }
                }
                open.removeIf(p -> consumer.position(p) >= end.get(p));
            }
            assertThat(open).as("partitions read to their end").isEmpty();
        }
        return found;
    }
}
