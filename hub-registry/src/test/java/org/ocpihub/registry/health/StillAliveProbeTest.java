package org.ocpihub.registry.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.credentials.PeerClient;
import org.ocpihub.registry.outbound.OutboundHttpClients;
import org.ocpihub.registry.outbound.OutboundProperties;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.Secret;
import org.springframework.util.unit.DataSize;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The still-alive probe ({@link PeerClient#answers}, used by {@link StillAliveCheck}) against a real in-process
 * server: it fails whenever {@code MemberFailures} says so, as the circuit breaker and delivery retries do, and for
 * any answer that is not a 2xx OCPI success (the hub cannot use the platform).
 */
class StillAliveProbeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicReference<String> reply = new AtomicReference<>();

    private static LoopResources loops;
    private static OutboundHttpClients outbound;
    private static DisposableServer server;
    private static PeerClient peers;

    @BeforeAll
    static void start() {
        loops = LoopResources.create("still-alive-test", 1, true);
        HubProperties.Http http = new HubProperties.Http(Duration.ofSeconds(5), Duration.ofSeconds(5),
                DataSize.ofMegabytes(1), DataSize.ofMegabytes(1));
        EndpointUrlPolicy policy = new EndpointUrlPolicy(true);
        outbound = new OutboundHttpClients(OutboundProperties.defaults(), http, policy, loops);
        peers = new PeerClient(outbound.webClient(), policy, http.outboundTimeout(), http.maxAnswerSize().toBytes());
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    String[] r = reply.get().split(" ", 2);
                    return response.status(HttpResponseStatus.valueOf(Integer.parseInt(r[0])))
                            .header("Content-Type", "application/json").sendString(Mono.just(r[1]));
                })
                .bindNow();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
        outbound.close();
        loops.disposeLater().block(WAIT);
    }

    private static boolean probe(String url) {
        return peers.answers(url, new Secret("token-b"), TokenEncoding.BASE64, "versions of test").block(WAIT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200 {\"data\":[],\"status_code\":1000,\"timestamp\":\"2026-01-01T00:00:00Z\"}|true",
            "500 {\"status_code\":3000,\"timestamp\":\"2026-01-01T00:00:00Z\"}|false",
            "503 not json at all|false",
            "200 {\"status_code\":3001,\"timestamp\":\"2026-01-01T00:00:00Z\"}|false",
            // not the platform's failure for a routed call, but this call is the hub's own: it cannot use the
            // platform (its token refused, the URL gone, a page that is no OCPI), as before issue 8 (attack 8 F1)
            "401 {\"status_code\":2000,\"timestamp\":\"2026-01-01T00:00:00Z\"}|false",
            "404 no envelope|false",
            "301 moved|false",
            "200 <html>parked domain</html>|false",
            "200 {\"status_code\":2001,\"timestamp\":\"2026-01-01T00:00:00Z\"}|false"})
    void aProbeFailsForMemberFailuresAndForAnswersTheHubCannotUse(String answer, boolean alive) {
        reply.set(answer);
        assertThat(probe("http://127.0.0.1:" + server.port() + "/ocpi/versions")).as(answer).isEqualTo(alive);
    }

    @Test
    void aPlatformThatCannotBeReachedIsNotAlive() {
        DisposableServer gone = HttpServer.create().host("127.0.0.1").port(0).bindNow();
        int port = gone.port();
        gone.disposeNow();
        assertThat(probe("http://127.0.0.1:" + port + "/ocpi/versions")).isFalse();
    }

    @Test
    void anAddressTheUrlPolicyRefusesIsNotAlive() {
        assertThat(probe("ftp://127.0.0.1/ocpi/versions")).isFalse();
    }
}
