package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.accept.BroadcastBackpressure;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Backpressure to broadcasters (issue 11 item 6) through real Kafka and HTTP: with {@code hub.broadcast.max-backlog}
 * at 20, a receiver that holds every delivery keeps the accepted pushes unacknowledged; once the hub has measured more
 * than 20 waiting, a CPO's next push is refused with HTTP 429, Retry-After and an OCPI envelope, and nothing of it is
 * accepted; once the receiver answers and the backlog drains, pushes are accepted again.
 * <p>
 * Every test hub shares one database, so this hub's relay may also carry a Hub Client Info change of another test's
 * platform into its log now and then. Keyed by owner, such a change is one record per role (keyed by object, the
 * default, it is one copy per partition), so the bound is well above what one adds.
 */
class BroadcastBacklogRefusalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MAX_BACKLOG = 20;
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static RunningHub hub;
    private static PartyRole cpoRole;
    private static SimulatedPlatform cpo;
    private static SimulatedPlatform holding;
    private static final Sinks.Empty<Void> release = Sinks.empty();

    @BeforeAll
    static void start() {
        hub = RunningHub.start(Map.of("hub.broadcast.max-backlog", String.valueOf(MAX_BACKLOG),
                "hub.broadcast.backlog-check", "200ms", "hub.broadcast.partition-key", "owner"));
        cpoRole = Parties.cpo();
        cpo = RoutingParties.cpo(cpoRole);
        RoutingParties.registerWith(hub, cpo, cpoRole);
        PartyRole emspRole = Parties.emsp();
        holding = SimulatedPlatform.builder().name("backlog-holding").role(emspRole)
                .modules("locations:RECEIVER", "tokens:SENDER")
                .route("*", SimulatedPlatform.modulePath("locations", "RECEIVER") + "/**",
                        request -> release.asMono().then(Mono.just(OcpiReply.ok(null))))
                .start();
        RoutingParties.registerWith(hub, holding, emspRole);
    }

    @AfterAll
    static void stop() {
        release.tryEmitEmpty();
        cpo.close();
        holding.close();
        hub.close();
    }

    @Test
    void aFullFanOutBacklogRefusesPushesWith429AndRetryAfterUntilItDrains() {
        // onboarding's Hub Client Info records go through the same log: start once the fan-out has handled them, as
        // measured now (the last sample may predate the last of them) and as the hub's own sampling sees it
        BroadcastBackpressure backpressure = hub.context().getBean(BroadcastBackpressure.class);
        BroadcastLog broadcastLog = hub.context().getBean(BroadcastLog.class);
        await().atMost(WAIT).until(() -> Long.valueOf(0).equals(broadcastLog.backlog().block(WAIT))
                && backpressure.backlog() == 0 && !backpressure.refusing());
        AtomicInteger next = new AtomicInteger();
        AtomicReference<SimulatedResponse> refused = new AtomicReference<>();
        // every accepted push waits at the holding receiver: the backlog grows until the hub says no
        await().atMost(WAIT).until(() -> {
            SimulatedResponse answer = push("BACKLOG-" + next.incrementAndGet());
            if (answer.httpStatus() == 429) {
                refused.set(answer);
                return true;
            }
            assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(1000);
            return false;
        });
        SimulatedResponse answer = refused.get();
        assertThat(next.get()).as("pushes sent before the first refusal").isGreaterThan(MAX_BACKLOG / 2);
        assertThat(Integer.parseInt(answer.header("Retry-After"))).isBetween(1, 60);
        assertThat(answer.statusCode()).isEqualTo(2000);
        assertThat(answer.rawBody()).contains("backlog").contains("nothing was accepted");
        // nothing of the refused push was accepted: it never reaches the receiver, even once it answers again
        String refusedId = "BACKLOG-" + next.get();

        release.tryEmitEmpty();
        AtomicReference<String> acceptedAgain = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            String id = "AFTER-" + UUID.randomUUID().toString().substring(0, 8);
            if (push(id).statusCode() == 1000) {
                acceptedAgain.set(id);
                return true;
            }
            return false;
        });
        holding.awaitRequest(r -> r.path().endsWith("/" + acceptedAgain.get()), WAIT);
        assertThat(holding.received()).noneMatch(r -> r.path().endsWith("/" + refusedId));
    }

    private static SimulatedResponse push(String id) {
        String url = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/"
                + cpoRole.partyId() + "/" + id;
        return cpo.call("PUT", url, OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(40)).toString(),
                RoutingParties.route(cpoRole, HUB)).block(WAIT);
    }
}
