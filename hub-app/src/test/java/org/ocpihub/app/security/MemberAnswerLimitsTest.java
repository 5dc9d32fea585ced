package org.ocpihub.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiClient;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 7 item 7 (client side) and the requester's hang-up, on the shared hub ({@code hub.http.max-answer-size} 1 MB
 * by default): a peer's huge configuration answer is the peer's fault (3001, "the platform's answer is too large"),
 * a receiver's answer the hub must hold (a CommandResponse it watches) is bounded, and a requester that hangs up
 * mid-request never counts against the receiver's circuit breaker.
 */
class MemberAnswerLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OcpiClient CLIENT = OcpiClient.create(TokenEncoding.BASE64);
    private static final int MB = 1024 * 1024;

    private static final RunningHub hub = RunningHub.shared();
    private static final AtomicInteger commandAnswerBytes = new AtomicInteger(100);
    private static DisposableServer huge;
    private static PartyRole cpoRole;
    private static PartyRole emspRole;
    private static SimulatedPlatform cpo;
    private static SimulatedPlatform emsp;
    private static String cpoId;
    private static String emspId;

    @BeforeAll
    static void start() {
        // a peer whose versions, or version details, are 50 MB
        huge = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/big/ocpi/versions", (request, response) -> fifty(response))
                        .get("/details/ocpi/versions", (request, response) -> response
                                .header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"status_code\":1000,\"timestamp\":\"" + Instant.now()
                                        + "\",\"data\":[{\"version\":\"2.2.1\",\"url\":\"http://127.0.0.1:"
                                        + request.hostPort() + "/details/ocpi/2.2.1\"}]}")))
                        .get("/details/ocpi/2.2.1", (request, response) -> fifty(response)))
                .bindNow();
        cpoRole = Parties.cpo();
        emspRole = Parties.emsp();
        cpo = SimulatedPlatform.builder().name("limits-cpo").role(cpoRole)
                .modules("locations:SENDER", "commands:RECEIVER", "hubclientinfo:RECEIVER")
                .route("POST", SimulatedPlatform.modulePath("commands", "RECEIVER") + "/**", request -> Mono.just(
                        OcpiReply.raw(200, "{\"data\":{\"result\":\"REJECTED\",\"timeout\":30,\"x_pad\":\""
                                + "x".repeat(commandAnswerBytes.get()) + "\"},\"status_code\":1000,\"timestamp\":\""
                                + Instant.now() + "\"}")))
                .start();
        emsp = SimulatedPlatform.builder().name("limits-emsp").role(emspRole)
                .modules("tokens:SENDER", "commands:SENDER", "hubclientinfo:RECEIVER").start();
        cpoId = RoutingParties.registerWith(hub, cpo, cpoRole);
        emspId = RoutingParties.registerWith(hub, emsp, emspRole);
    }

    @AfterAll
    static void stop() {
        RoutingParties.removeFrom(hub, cpo, cpoId);
        RoutingParties.removeFrom(hub, emsp, emspId);
        huge.disposeNow();
        CLIENT.close();
    }

    private static org.reactivestreams.Publisher<Void> fifty(reactor.netty.http.server.HttpServerResponse response) {
        byte[] padding = " ".repeat(MB).getBytes(StandardCharsets.US_ASCII);
        return response.header("Content-Type", "application/json")
                .send(Flux.concat(Flux.just(Unpooled.wrappedBuffer("{\"status_code\":1000,\"data\":[".getBytes(
                                StandardCharsets.US_ASCII))),
                        Flux.range(0, 50).map(i -> Unpooled.wrappedBuffer(padding)),
                        Flux.just(Unpooled.wrappedBuffer("]}".getBytes(StandardCharsets.US_ASCII)))));
    }

    // ---- a peer's configuration answer ----

    @ParameterizedTest
    @ValueSource(strings = {"big", "details"})
    void aPeers50MbConfigurationAnswerIs3001TheirAnswerIsTooLarge(String which) {
        PartyRole role = Parties.cpo();
        AdminClient.Answer created = hub.admin().createPlatform("huge-" + which + "-" + System.nanoTime(),
                List.of(role));
        String versions = "http://127.0.0.1:" + huge.port() + "/" + which + "/ocpi/versions";

        SimulatedResponse answer = CLIENT.send("POST", hub.url() + "/ocpi/2.2.1/credentials", created.text("token_a"),
                "{\"token\":\"tb-" + System.nanoTime() + "\",\"url\":\"" + versions + "\",\"roles\":[{\"role\":\"CPO\","
                        + "\"country_code\":\"" + role.countryCode() + "\",\"party_id\":\"" + role.partyId()
                        + "\",\"business_details\":{\"name\":\"Huge\"}}]}").block(WAIT);

        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(3001);
        assertThat(answer.statusMessage()).contains("the platform's answer is too large")
                .doesNotContain("request is too large", "Exception");
        assertThat(hub.admin().get("/platforms/" + created.text("id")).text("status")).isEqualTo("PLANNED");
    }

    // ---- a receiver's answer the hub holds ----

    @Test
    void aCommandAnswerOverTheLimitIsARoutingErrorAndOneUnderItPasses() {
        commandAnswerBytes.set(2 * MB);
        SimulatedResponse tooLarge = command("big-" + System.nanoTime());

        assertThat(tooLarge.httpStatus()).isEqualTo(200);
        assertThat(tooLarge.statusCode()).as(tooLarge.rawBody().length() > 500 ? "a 2 MB body"
                : tooLarge.rawBody()).isEqualTo(4000);
        assertThat(tooLarge.statusMessage()).contains(cpoRole.partyId(), "larger than");

        commandAnswerBytes.set(MB / 2);
        SimulatedResponse fits = command("fits-" + System.nanoTime());

        assertThat(fits.statusCode()).isEqualTo(1000);
        assertThat(fits.data().path("result").asString()).isEqualTo("REJECTED");
        assertThat(fits.data().path("x_pad").asString()).hasSize(MB / 2);
    }

    private SimulatedResponse command(String resultId) {
        String body = "{\"response_url\":\"" + emsp.commandResultUrl(resultId) + "\",\"token\":"
                + JSON.writeValueAsString(OcpiSamples.token(emspRole, "TOK1", Instant.now()))
                + ",\"location_id\":\"LOC1\"}";
        return emsp.call("POST", emsp.hubEndpoints().get("commands:RECEIVER") + "/START_SESSION", body,
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);
    }

    // ---- the requester hangs up ----

    @Test
    void aRequesterThatHangsUpMidRequestNeverOpensTheReceiversCircuit() throws Exception {
        CircuitBreaker breaker = hub.context().getBean(CircuitBreakerRegistry.class).circuitBreaker(emspId);
        String url = cpo.hubEndpoints().get("tokens:SENDER") + "/TOK-HANGUP/authorize";
        String body = "{\"location_id\":\"LOC1\",\"evse_uids\":[\"LOC1-1\"]}";

        // more than the breaker's window (20): half while the body is still coming, half while the answer is
        for (int i = 0; i < 15; i++) {
            String answer = hangUp(url, body, false, () -> { });
            // whatever the hub could still say, it does not blame the receiver
            assertThat(answer).doesNotContain("4003", "receiver", "closed the connection without answering");
        }
        emsp.moduleFaults("tokens:SENDER", Fault.slow(Duration.ofSeconds(2)));
        try {
            for (int i = 0; i < 15; i++) {
                emsp.clearReceived();
                // hang up once the receiver has the request: the hub is waiting for its answer
                hangUp(url, body, true, () -> emsp.awaitRequest(r -> r.path().endsWith("/TOK-HANGUP/authorize"),
                        WAIT));
            }
        } finally {
            emsp.moduleFaults("tokens:SENDER", Fault.NONE);
        }

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        SimulatedResponse next = cpo.call("POST", url, body, RoutingParties.route(cpoRole, emspRole)).block(WAIT);
        assertThat(next.httpStatus()).as(next.rawBody()).isIn(200, 404);
        assertThat(next.statusCode()).as(next.rawBody()).isLessThan(3000); // the eMSP answered, not the hub
        assertThat(next.header("OCPI-from-party-id")).isEqualTo(emspRole.partyId());
    }

    /**
     * Sends the request over a raw socket and hangs up: with {@code wholeBody}, closes after the whole body (the hub
     * is waiting for the receiver); else shuts its sending side after a part of the body (the hub is still streaming
     * it) and returns whatever the hub answers until it closes.
     */
    private String hangUp(String url, String body, boolean wholeBody, Runnable beforeClosing) throws Exception {
        URI uri = URI.create(url);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Token " + Base64.getEncoder().encodeToString(cpo.tokenForHub().orElseThrow()
                .getBytes(StandardCharsets.UTF_8))
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (wholeBody ? bytes.length : 10_000)
                + "\r\nX-Request-ID: hangup-" + System.nanoTime() + "\r\nX-Correlation-ID: hangup"
                + routingHeaders(RoutingParties.route(cpoRole, emspRole)) + "\r\n\r\n";
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, wholeBody ? bytes.length : 10);
            out.flush();
            beforeClosing.run();
            if (wholeBody) {
                return "";
            }
            // half-close, as a client that gives up on sending does: the hub sees the body end early and may answer
            socket.shutdownOutput();
            socket.setSoTimeout((int) WAIT.toMillis());
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException reset) {
                return "";
            }
        }
    }

    private static String routingHeaders(Map<String, String> headers) {
        StringBuilder out = new StringBuilder();
        headers.forEach((name, value) -> out.append("\r\n").append(name).append(": ").append(value));
        return out.toString();
    }
}
