package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.HubProcess;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.infra.TestInfrastructure;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Once the broadcaster got 1000 the push is delivered, whatever happens to the hub (D7): a hub process killed with
 * SIGKILL in the middle of a fan-out delivers everything after restart; two hub processes sharing the work deliver
 * each push once to each receiver.
 */
class BroadcastDurabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final String RECEIVER_PATH = SimulatedPlatform.modulePath("locations", "RECEIVER") + "/**";

    @Test
    void aPushAcceptedBeforeAKillMinus9IsDeliveredAfterRestart() {
        // a topic and consumer group of their own: only these hub processes fan these pushes out
        Map<String, String> isolated = Map.of("hub.broadcast.topic", "ocpihub.durability-" + System.nanoTime(),
                "hub.broadcast.consumer-group", "durability-" + System.nanoTime());
        RunningHub registryHub = RunningHub.shared();
        PartyRole cpoRole = Parties.cpo();
        PartyRole fastRole = Parties.emsp();
        PartyRole slowRole = Parties.emsp();
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger answered = new AtomicInteger();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform fast = SimulatedPlatform.builder().name("dur-fast").role(fastRole)
                     .modules("locations:RECEIVER").start();
             // answers nothing until the first hub is dead: its deliveries are mid-way when the hub dies
             SimulatedPlatform slow = SimulatedPlatform.builder().name("dur-slow").role(slowRole)
                     .modules("locations:RECEIVER")
                     .route("*", RECEIVER_PATH, request -> release.asMono().then(Mono.fromCallable(() -> {
                         answered.incrementAndGet();
                         return OcpiReply.ok(null);
                     })))
                     .start()) {
            RoutingParties.registerWith(registryHub, cpo, cpoRole);
            RoutingParties.registerWith(registryHub, fast, fastRole);
            RoutingParties.registerWith(registryHub, slow, slowRole);

            List<String> ids = new ArrayList<>();
            HubProcess first = HubProcess.start(isolated);
            try {
                String base = first.url() + "/ocpi/2.2.1/locations/receiver/" + cpoRole.countryCode() + "/"
                        + cpoRole.partyId() + "/";
                for (int i = 0; i < 5; i++) {
                    String id = "DUR-" + i;
                    SimulatedResponse accepted = cpo.call("PUT", base + id, OcpiSamples.location(cpoRole, id,
                            OcpiSamples.seedTime(i)).toString(), RoutingParties.route(cpoRole, HUB)).block(WAIT);
                    assertThat(accepted.statusCode()).isEqualTo(1000);
                    ids.add(id);
                }
                // the slow receiver holds a delivery unanswered: kill the hub now
                slow.awaitRequest(r -> r.path().endsWith("/DUR-0"), WAIT);
            } finally {
                first.kill();
            }
            assertThat(answered).as("deliveries the slow receiver answered before the kill").hasValue(0);
            release.tryEmitEmpty();

            try (HubProcess second = HubProcess.start(isolated)) {
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(received(fast)).containsAll(ids);
                    assertThat(received(slow)).containsAll(ids);
                });
            }
        } finally {
            release.tryEmitEmpty();
        }
    }

    @Test
    void twoInstancesShareTheFanOutAndOneDyingLosesNothing() throws Exception {
        String group = "pair-" + System.nanoTime();
        Map<String, String> shared = Map.of("hub.broadcast.topic", "ocpihub.pair-" + System.nanoTime(),
                "hub.broadcast.consumer-group", group);
        RunningHub registryHub = RunningHub.shared();
        PartyRole cpoRole = Parties.cpo();
        PartyRole fastRole = Parties.emsp();
        PartyRole slowRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform fast = SimulatedPlatform.builder().name("pair-fast").role(fastRole)
                     .modules("locations:RECEIVER").start();
             SimulatedPlatform slow = SimulatedPlatform.builder().name("pair-slow").role(slowRole)
                     .modules("locations:RECEIVER").start();
             HubProcess a = HubProcess.start(shared);
             HubProcess b = HubProcess.start(shared)) {
            RoutingParties.registerWith(registryHub, cpo, cpoRole);
            RoutingParties.registerWith(registryHub, fast, fastRole);
            RoutingParties.registerWith(registryHub, slow, slowRole);
            // registered through another instance: a and b learn of it through NOTIFY, a moment later
            for (HubProcess via : List.of(a, b)) {
                for (SimulatedPlatform platform : List.of(cpo, fast, slow)) {
                    awaitKnows(via, platform);
                }
            }
            awaitStableGroup(group, 2);

            // accepted by either instance, delivered once to each receiver: not once per instance
            List<String> first = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                HubProcess via = i % 2 == 0 ? a : b;
                String id = "PAIR-" + i;
                assertThat(put(cpo, cpoRole, via, id, i).statusCode()).isEqualTo(1000);
                first.add(id);
            }
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(received(fast)).containsAll(first);
                assertThat(received(slow)).containsAll(first);
            });
            assertThat(putCounts(fast, first)).allMatch(n -> n == 1);
            assertThat(putCounts(slow, first)).allMatch(n -> n == 1);

            // now the slow receiver takes its time, and one instance dies in the middle of the fan-out
            slow.moduleFaults("locations:RECEIVER", Fault.slow(Duration.ofMillis(800)));
            List<String> second = new ArrayList<>();
            for (int i = 10; i < 20; i++) {
                HubProcess via = i % 2 == 0 ? a : b;
                String id = "PAIR-" + i;
                assertThat(put(cpo, cpoRole, via, id, i).statusCode()).isEqualTo(1000);
                second.add(id);
            }
            a.kill();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(received(fast)).containsAll(second);
                assertThat(received(slow)).containsAll(second);
            });
        }
    }

    private static SimulatedResponse put(SimulatedPlatform cpo, PartyRole cpoRole, HubProcess via, String id, int i) {
        String url = via.url() + "/ocpi/2.2.1/locations/receiver/" + cpoRole.countryCode() + "/" + cpoRole.partyId()
                + "/" + id;
        return cpo.call("PUT", url, OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(i)).toString(),
                RoutingParties.route(cpoRole, HUB)).block(WAIT);
    }

    /** The instance's registry has the platform's registration: its token C opens the credentials module there. */
    private static void awaitKnows(HubProcess via, SimulatedPlatform platform) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> platform.call("GET",
                via.url() + "/ocpi/2.2.1/credentials", null).block(WAIT).httpStatus() == 200);
    }

    private static List<Long> putCounts(SimulatedPlatform platform, List<String> ids) {
        return ids.stream().map(id -> platform.received().stream()
                .filter(r -> r.method().equals("PUT") && r.path().endsWith("/" + id)).count()).toList();
    }

    /** Both instances joined the consumer group and got their partitions: no rebalance will replay what follows. */
    private static void awaitStableGroup(String group, int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().kafkaBootstrapServers()))) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                        .get(5, TimeUnit.SECONDS).get(group);
                return description.groupState() == GroupState.STABLE && description.members().size() == members
                        && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private static Set<String> received(SimulatedPlatform platform) {
        return platform.received().stream().filter(r -> r.method().equals("PUT"))
                .map(RecordedRequest::path).map(p -> p.substring(p.lastIndexOf('/') + 1))
                .collect(Collectors.toSet());
    }
}
