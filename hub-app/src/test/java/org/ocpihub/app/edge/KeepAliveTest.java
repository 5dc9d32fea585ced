package org.ocpihub.app.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.MinimalPeer;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;


/**
 * Issue 7 item 0: requests on one keep-alive connection never hang. Reactor Netty 1.3.6 could stop reading a
 * keep-alive connection when a request answered at once followed one that waited (reactor/reactor-netty#4361); the
 * hub runs 1.3.8. Each test drives ONE raw HTTP/1.1 socket with a read timeout, so a hang fails with the request that
 * got no answer.
 */
class KeepAliveTest {

    private static final int ROUNDS = 100;
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");

    private static RunningHub hub;
    private static MinimalPeer peer;

    @BeforeAll
    static void start() {
        hub = RunningHub.shared();
        peer = MinimalPeer.start();
    }

    @AfterAll
    static void stop() {
        peer.close();
    }

    /**
     * The sequence, 100 times on one connection: versions and version details with token A, POST
     * credentials (the hub calls the platform and the database meanwhile), then versions and version details with
     * the new token C, which answer at once.
     */
    @Test
    void theRegistrationSequenceNeverHangsOnOneConnection() {
        List<String> ids = new ArrayList<>();
        List<String> tokensA = new ArrayList<>();
        List<PartyRole> roles = new ArrayList<>();
        try (RawHttp admin = RawHttp.to(hub.url(), READ_TIMEOUT_MS)) {
            for (int i = 0; i < ROUNDS; i++) {
                PartyRole cpo = Parties.cpo();
                RawHttp.Response created = admin.send("POST", "/admin/api/platforms", adminAuth(),
                        MinimalPeer.createPlatformBody("keep-alive " + i, cpo));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                ids.add(created.json().get("id").asString());
                tokensA.add(created.json().get("token_a").asString());
                roles.add(cpo);
            }
        }
        try (RawHttp connection = RawHttp.to(hub.url(), READ_TIMEOUT_MS)) {
            for (int i = 0; i < ROUNDS; i++) {
                String tokenA = RawHttp.ocpiToken(tokensA.get(i));
                assertThat(connection.get("/ocpi/versions", tokenA).status()).isEqualTo(200);
                assertThat(connection.get("/ocpi/2.2.1", tokenA).status()).isEqualTo(200);
                RawHttp.Response posted = connection.send("POST", "/ocpi/2.2.1/credentials",
                        Map.of("Authorization", tokenA), peer.credentialsBody("token-b-" + i + "-" + System.nanoTime(),
                                roles.get(i)));
                assertThat(posted.status()).as(posted.body()).isEqualTo(200);
                assertThat(posted.json().get("status_code").asInt()).as(posted.body()).isEqualTo(1000);
                String tokenC = RawHttp.ocpiToken(posted.json().get("data").get("token").asString());
                assertThat(connection.get("/ocpi/versions", tokenC).status()).isEqualTo(200);
                RawHttp.Response details = connection.get("/ocpi/2.2.1", tokenC);
                assertThat(details.status()).isEqualTo(200);
                assertThat(details.json().get("status_code").asInt()).isEqualTo(1000);
            }
            // and the admin API on the same connection
            for (String id : ids) {
                assertThat(connection.send("DELETE", "/admin/api/platforms/" + id, adminAuth(), null).status())
                        .isIn(200, 204);
            }
        }
    }

    /** Routed calls, admin API calls, broadcast pushes and the hub's own answers, mixed on one connection. */
    @Test
    void routedAdminAndBroadcastCallsMixedNeverHangOnOneConnection() {
        RoutingParties parties = RoutingParties.register(hub);
        try (RawHttp connection = RawHttp.to(hub.url(), READ_TIMEOUT_MS)) {
            String emspToken = RawHttp.ocpiToken(parties.emsp.tokenForHub().orElseThrow());
            String cpoToken = RawHttp.ocpiToken(parties.cpo.tokenForHub().orElseThrow());
            String cc = parties.cpoRole.countryCode();
            String pid = parties.cpoRole.partyId();
            for (int i = 0; i < ROUNDS; i++) {
                // a routed GET (the hub waits on the CPO), then answers the hub gives at once
                Map<String, String> routed = new LinkedHashMap<>(parties.emspToCpo());
                routed.put("Authorization", emspToken);
                RawHttp.Response list = connection.send("GET", "/ocpi/2.2.1/locations/sender?limit=1", routed, null);
                assertThat(list.status()).as(list.body()).isEqualTo(200);
                assertThat(connection.get("/ocpi/versions", emspToken).status()).isEqualTo(200);
                assertThat(connection.send("GET", "/admin/api/platforms/" + parties.cpoPlatformId, adminAuth(), null)
                        .status()).isEqualTo(200);
                // a broadcast push (the hub waits on Kafka), then again answers at once
                Map<String, String> push = new LinkedHashMap<>(RoutingParties.route(parties.cpoRole, HUB));
                push.put("Authorization", cpoToken);
                String id = "KA-" + i;
                RawHttp.Response accepted = connection.send("PUT",
                        "/ocpi/2.2.1/locations/receiver/" + cc + "/" + pid + "/" + id, push,
                        OcpiSamples.location(parties.cpoRole, id, OcpiSamples.seedTime(i)).toString());
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
                assertThat(accepted.json().get("status_code").asInt()).as(accepted.body()).isEqualTo(1000);
                assertThat(connection.get("/ocpi/2.2.1", cpoToken).status()).isEqualTo(200);
                assertThat(connection.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            }
        } finally {
            parties.closeAndRemove(hub);
        }
    }

    private static Map<String, String> adminAuth() {
        return Map.of("Authorization", "Bearer " + hub.adminToken());
    }
}
