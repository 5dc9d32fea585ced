package org.ocpihub.app.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.HubProcess;
import org.ocpihub.app.support.MinimalPeer;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;

/**
 * Issue 7 "no answer before the registry is loaded": a hub that starts does not open its port before its registry
 * snapshot is loaded, so the very first request with a valid token C succeeds (before, it got 401 for ~0.35 s).
 */
class StartUpTest {

    @Test
    void theFirstRequestAfterAStartWithAValidTokenCSucceeds() {
        RunningHub shared = RunningHub.shared();
        PartyRole cpo = Parties.cpo();
        String tokenC;
        String id;
        try (MinimalPeer peer = MinimalPeer.start(); RawHttp connection = RawHttp.to(shared.url(), 10_000)) {
            var created = shared.admin().createPlatform("start-up-cpo", java.util.List.of(cpo));
            id = created.text("id");
            RawHttp.Response registered = connection.send("POST", "/ocpi/2.2.1/credentials",
                    Map.of("Authorization", RawHttp.ocpiToken(created.text("token_a"))),
                    peer.credentialsBody("start-up-b-" + System.nanoTime(), cpo));
            assertThat(registered.json().get("status_code").asInt()).as(registered.body()).isEqualTo(1000);
            tokenC = registered.json().get("data").get("token").asString();
        }
        long unique = System.nanoTime();
        try (HubProcess restarted = HubProcess.launch(Map.of("hub.broadcast.topic", "ocpihub.startup-" + unique,
                "hub.broadcast.consumer-group", "ocpihub-startup-" + unique))) {
            // knock until the port opens (the pace of the knocking is not what is tested)
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5))
                    .pollDelay(Duration.ZERO).until(() -> {
                        assertThat(restarted.isAlive()).as("hub process alive; log in " + restarted.logFile())
                                .isTrue();
                        try (Socket probe = new Socket("localhost", restarted.port())) {
                            return true;
                        } catch (IOException notYet) {
                            return false;
                        }
                    });
            try (RawHttp first = RawHttp.to(restarted.url(), 10_000)) {
                RawHttp.Response answer = first.get("/ocpi/2.2.1/credentials", RawHttp.ocpiToken(tokenC));
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(answer.json().get("status_code").asInt()).isEqualTo(1000);
                RawHttp.Response readiness = first.get("/actuator/health/readiness", null);
                assertThat(readiness.status()).isIn(200, 503); // Kafka may still be connecting; the registry is in
            }
        } finally {
            shared.admin().call(org.springframework.http.HttpMethod.DELETE, "/platforms/" + id, null);
        }
    }
}
