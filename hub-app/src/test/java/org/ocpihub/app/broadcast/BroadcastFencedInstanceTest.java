package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ocpihub.app.broadcast.BroadcastRebalanceTest.WAIT;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.HubProcess;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.infra.TestInfrastructure;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;

import reactor.core.publisher.Sinks;

/**
 * Issue 11, item 3, the other way a partition leaves an instance: the instance stands still (a long garbage-collection
 * pause, a frozen virtual machine) past the consumer group's session timeout, the group gives its partitions to the
 * other instance, and when it goes on its Kafka consumer finds them lost. reactor-kafka calls the same revoke
 * listener as for a hand-over; the hub tells the two apart by a commit the group refuses
 * ({@code HandoverCommits.stillOwner}) and keeps no receiver-backlog rows for lost partitions: the other instance
 * consumes them already and may have read their rows, so a row written now could be drained at a later assignment,
 * after newer pushes of its object. Their unfinished pushes are sent again by the new owner instead (at least once).
 *
 * <p>What is asserted is what an operator checks: the paused instance logs that it lost its partitions, it kept no
 * row at that moment, and every push reaches the healthy receiver and, once it answers, the receiver that hangs.
 */
class BroadcastFencedInstanceTest {

    @Test
    void anInstanceFencedOutOfTheGroupKeepsNoRowsAndEveryPushStillReachesEveryReceiver() throws Exception {
        String group = "fenced-" + System.nanoTime();
        // classic protocol, whose session timeout the hub sets (6 s: the broker's minimum)
        Map<String, String> shared = Map.of("hub.broadcast.topic", "ocpihub.fenced-" + System.nanoTime(),
                "hub.broadcast.consumer-group", group, "hub.broadcast.session-timeout", "6s",
                "hub.broadcast.delivery-timeout", "5m");
        RunningHub registryHub = RunningHub.shared();
        List<PartyRole> cpoRoles = IntStream.range(0, 4).mapToObj(i -> Parties.cpo()).toList();
        PartyRole healthyRole = Parties.emsp();
        PartyRole hangingRole = Parties.emsp();
        Sinks.Empty<Void> release = Sinks.empty();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        SimulatedPlatform.Builder cpoBuilder = SimulatedPlatform.builder().name("fenced-cpo")
                .modules("locations:SENDER");
        cpoRoles.forEach(cpoBuilder::role);
        try (SimulatedPlatform cpo = cpoBuilder.start();
             SimulatedPlatform healthy = SimulatedPlatform.builder().name("fenced-healthy").role(healthyRole)
                     .modules("locations:RECEIVER").start();
             SimulatedPlatform hanging = BroadcastRebalanceTest.hangingReceiver("fenced-hanging", hangingRole, release,
                     answered);
             // both start at once (the group then settles with two members): half the wall time of one after the other
             HubProcess survivor = HubProcess.launch(shared);
             HubProcess paused = HubProcess.launch(shared);
             Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     TestInfrastructure.get().kafkaBootstrapServers()))) {
            survivor.awaitReady();
            paused.awaitReady();
            // settled before any push or registration: the only hand-overs to come are the pause's and the rejoin's
            BroadcastRebalanceTest.awaitStableGroup(kafka, group, 2);
            BroadcastRebalanceTest.register(registryHub, cpo, cpoRoles);
            RoutingParties.registerWith(registryHub, healthy, healthyRole);
            RoutingParties.registerWith(registryHub, hanging, hangingRole);
            for (SimulatedPlatform platform : List.of(cpo, healthy, hanging)) {
                BroadcastRebalanceTest.awaitKnows(survivor, platform);
                BroadcastRebalanceTest.awaitKnows(paused, platform);
            }
            BroadcastRebalanceTest.Pusher pusher = new BroadcastRebalanceTest.Pusher(cpo, cpoRoles, survivor);
            try {
                // both instances fan out; the hanging receiver holds deliveries of every partition
                BroadcastRebalanceTest.awaitMoreReceived(healthy, pusher, 40);
                paused.pause();
                try {
                    BroadcastRebalanceTest.awaitStableGroup(kafka, group, 1);
                    BroadcastRebalanceTest.awaitMoreReceived(healthy, pusher, 40);
                } finally {
                    paused.resume();
                }
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> Files.readString(
                        paused.logFile().toPath()).contains("were lost to another instance"));
                assertThat(BroadcastRebalanceTest.spilledAtHandOver(paused))
                        .as(() -> "rows the paused instance kept for partitions it had lost; its hand-overs:\n"
                                + BroadcastRebalanceTest.handOverLines(paused.logFile().toPath()))
                        .isZero();
                // it rejoins and takes partitions again (the survivor hands them over)
                BroadcastRebalanceTest.awaitStableGroup(kafka, group, 2);
                BroadcastRebalanceTest.awaitMoreReceived(healthy, pusher, 40);
            } finally {
                pusher.stop();
            }
            Set<String> sent = pusher.sent();
            await().atMost(WAIT).untilAsserted(() -> assertThat(BroadcastRebalanceTest.firstArrivals(healthy)
                    .keySet()).containsAll(sent));
            release.tryEmitEmpty();
            await().atMost(WAIT).untilAsserted(() -> assertThat(answered).containsAll(sent));
            System.out.printf("fenced instance: %d pushes; the healthy receiver got %d requests (pushes of the "
                            + "lost partitions not acknowledged before the pause go again), the hanging one "
                            + "answered %d%n", sent.size(), BroadcastRebalanceTest.puts(healthy).size(),
                    answered.size());
        } finally {
            release.tryEmitEmpty();
        }
    }
}
