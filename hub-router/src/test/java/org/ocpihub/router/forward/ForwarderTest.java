package org.ocpihub.router.forward;

import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.Receiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.TokenCodec;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.health.UnreachableReceivers;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.outbound.OutboundHttpClients;
import org.ocpihub.registry.outbound.OutboundProperties;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.router.RouterConfiguration;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * {@link Forwarder} against a receiver that is a real in-process Reactor Netty server, on the one outbound client
 * ({@link OutboundHttpClients}) and the breaker configuration the hub uses; no Spring context, PostgreSQL or Kafka.
 * The requester's side is a mock exchange.
 */
class ForwarderTest {

    private static final PartyId HUB = new PartyId("NL", "HUB");
    private static final PartyId REQUESTER = new PartyId("DE", "EMS");
    private static final PartyId RECEIVER = new PartyId("NL", "CPO");
    private static final String RECEIVER_TOKEN = "receiver-token-for-the-hub";
    private static final String OCPI_OK = "{\"data\":{\"id\":\"LOC1\"},\"status_code\":1000,"
            + "\"timestamp\":\"2026-01-01T00:00:00Z\"}";
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One request as the receiver saw it. */
    record Received(String method, String uri, DefaultHttpHeaders headers, String body) {
    }

    /** What the receiver answers. */
    record Reply(int status, String body) {
    }

    private static LoopResources loops;
    private static OutboundHttpClients outbound;
    private static DisposableServer receiverServer;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static final AtomicReference<Reply> reply = new AtomicReference<>();

    private CircuitBreakerRegistry breakers;
    private SimpleMeterRegistry meters;
    private UnreachableReceivers unreachable;
    private Forwarder forwarder;

    @BeforeAll
    static void startReceiver() {
        loops = LoopResources.create("forwarder-test", 1, true);
        outbound = new OutboundHttpClients(OutboundProperties.defaults(), http(), new EndpointUrlPolicy(true), loops);
        receiverServer = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().aggregate().asString().defaultIfEmpty("")
                        .flatMap(body -> {
                            DefaultHttpHeaders headers = new DefaultHttpHeaders();
                            headers.set(request.requestHeaders());
                            received.add(new Received(request.method().name(), request.uri(), headers, body));
                            Reply r = reply.get();
                            return response.status(HttpResponseStatus.valueOf(r.status()))
                                    .header("Content-Type", "application/json")
                                    .header(OcpiHeaders.FROM_COUNTRY_CODE, "XX") // a receiver cannot speak for others
                                    .sendString(Mono.just(r.body())).then();
                        }))
                .bindNow();
    }

    @AfterAll
    static void stopReceiver() {
        receiverServer.disposeNow();
        outbound.close();
        loops.disposeLater().block(WAIT);
    }

    @BeforeEach
    void freshForwarder() {
        received.clear();
        reply.set(new Reply(200, OCPI_OK));
        RoutingProperties routing = new RoutingProperties(Duration.ofSeconds(10), Map.of(), 0, 50, 4,
                Duration.ofSeconds(60), Duration.ofSeconds(30), null, Map.of(), 100_000, null);
        breakers = new RouterConfiguration().receiverCircuitBreakers(routing, new SimpleMeterRegistry());
        unreachable = new UnreachableReceivers();
        meters = new SimpleMeterRegistry();
        forwarder = new Forwarder(outbound, routing, breakers, hub(), unreachable, MessageLog.disabled(),
                new UpstreamMetrics(meters));
    }

    @Test
    void swapsTheTokenKeepsTheRoutingHeadersStreamsTheBodyAndRelaysTheAnswer() {
        String body = "{\"id\":\"LOC1\",\"country_code\":\"NL\",\"party_id\":\"CPO\"}";
        MockServerWebExchange exchange = exchange(MockServerHttpRequest
                .put("http://hub.test/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1?x=1")
                .header(OcpiHeaders.AUTHORIZATION, "Token requesters-own-token")
                .header(OcpiHeaders.REQUEST_ID, "requester-request-id")
                .header("Content-Type", "application/json")
                .body(body));
        Receiver receiver = receiver(receiverServer.port(), TokenEncoding.BASE64);

        forwarder.forward(context(exchange, receiver), call(null, "x=1")).block(WAIT);

        assertThat(received).hasSize(1);
        Received got = received.get(0);
        assertThat(got.method()).isEqualTo("PUT");
        assertThat(got.uri()).isEqualTo("/ocpi/cpo/2.2.1/locations/NL/CPO/LOC1?x=1");
        assertThat(got.headers().get(OcpiHeaders.AUTHORIZATION))
                .isEqualTo(TokenCodec.authorizationHeader(RECEIVER_TOKEN, TokenEncoding.BASE64));
        assertThat(got.headers().get(OcpiHeaders.REQUEST_ID)).isNotBlank().isNotEqualTo("requester-request-id");
        assertThat(got.headers().get(OcpiHeaders.CORRELATION_ID)).isEqualTo("the-correlation-id");
        assertThat(got.headers().get(OcpiHeaders.FROM_COUNTRY_CODE)).isEqualTo("DE");
        assertThat(got.headers().get(OcpiHeaders.FROM_PARTY_ID)).isEqualTo("EMS");
        assertThat(got.headers().get(OcpiHeaders.TO_COUNTRY_CODE)).isEqualTo("NL");
        assertThat(got.headers().get(OcpiHeaders.TO_PARTY_ID)).isEqualTo("CPO");
        assertThat(got.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(got.body()).isEqualTo(body); // streamed from the requester, bytes unchanged

        var answer = exchange.getResponse();
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBodyAsString().block(WAIT)).isEqualTo(OCPI_OK);
        assertThat(answer.getHeaders().getFirst(OcpiHeaders.FROM_COUNTRY_CODE)).isEqualTo("NL"); // the receiver
        assertThat(answer.getHeaders().getFirst(OcpiHeaders.TO_PARTY_ID)).isEqualTo("EMS"); // the requester
        assertThat(unreachable.lastFailure(receiver.platform().platform().id())).isEmpty();
    }

    @Test
    void aBufferedBodyIsSentAsBufferedWithTheRawToken() {
        byte[] buffered = "{\"id\":\"LOC1\",\"country_code\":\"NL\",\"party_id\":\"CPO\",\"x\":1}".getBytes();
        MockServerWebExchange exchange = exchange(MockServerHttpRequest
                .put("http://hub.test/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1")
                .header("Content-Type", "application/json")
                .body("this is not what the receiver gets"));

        forwarder.forward(context(exchange, receiver(receiverServer.port(), TokenEncoding.RAW)),
                call(buffered, null)).block(WAIT);

        Received got = received.get(0);
        assertThat(got.uri()).isEqualTo("/ocpi/cpo/2.2.1/locations/NL/CPO/LOC1");
        assertThat(got.headers().get(OcpiHeaders.AUTHORIZATION)).isEqualTo("Token " + RECEIVER_TOKEN);
        assertThat(got.headers().get("Content-Length")).isEqualTo(String.valueOf(buffered.length));
        assertThat(got.body()).isEqualTo(new String(buffered));
    }

    @Test
    void aReceiverThatIsDownIs4003AndCountsAsItsFailure() {
        DisposableServer gone = HttpServer.create().host("127.0.0.1").port(0).bindNow();
        int port = gone.port();
        gone.disposeNow();
        Receiver receiver = receiver(port, TokenEncoding.BASE64);

        assertThatThrownBy(() -> forwarder.forward(context(get(), receiver), call(null, null)).block(WAIT))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(OcpiStatus.CONNECTION_PROBLEM);
                    assertThat(e.getMessage()).contains("cannot connect to receiver NL/CPO").doesNotContain(
                            "Exception");
                });
        assertThat(breaker(receiver).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(unreachable.lastFailure(receiver.platform().platform().id())).isPresent();
        assertThat(upstreamCalls(receiver, "unreachable")).isEqualTo(1);
    }

    @Test
    void a5xxAnswerIsRelayedAndCountsAgainstTheReceiverUntilItsBreakerOpens() {
        String serverError = "{\"status_code\":3000,\"status_message\":\"down for maintenance\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\"}";
        reply.set(new Reply(503, serverError));
        Receiver receiver = receiver(receiverServer.port(), TokenEncoding.BASE64);

        MockServerWebExchange first = get();
        forwarder.forward(context(first, receiver), call(null, null)).block(WAIT);

        assertThat(first.getResponse().getStatusCode().value()).isEqualTo(503); // relayed as it came
        assertThat(first.getResponse().getBodyAsString().block(WAIT)).isEqualTo(serverError);
        assertThat(breaker(receiver).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(unreachable.lastFailure(receiver.platform().platform().id())).isPresent();

        for (int i = 1; i < 4; i++) { // the window is 4 calls, 50 % failures open it
            forwarder.forward(context(get(), receiver), call(null, null)).block(WAIT);
        }
        assertThat(breaker(receiver).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> forwarder.forward(context(get(), receiver), call(null, null)).block(WAIT))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(OcpiStatus.CONNECTION_PROBLEM);
                    assertThat(e.getMessage()).contains("circuit open");
                });
        assertThat(received).as("an open circuit calls nobody").hasSize(4);
        assertThat(upstreamCalls(receiver, "5xx")).isEqualTo(4);
        assertThat(upstreamCalls(receiver, "circuit_open")).isEqualTo(1);
    }

    @Test
    void a4xxAnswerIsRelayedAndIsNotTheReceiversFailure() {
        reply.set(new Reply(404, "{\"status_code\":2003,\"status_message\":\"unknown location\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\"}"));
        Receiver receiver = receiver(receiverServer.port(), TokenEncoding.BASE64);

        MockServerWebExchange exchange = get();
        forwarder.forward(context(exchange, receiver), call(null, null)).block(WAIT);

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(404);
        assertThat(breaker(receiver).getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker(receiver).getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        assertThat(unreachable.lastFailure(receiver.platform().platform().id())).isEmpty();
        assertThat(upstreamCalls(receiver, "4xx")).isEqualTo(1);
        assertThat(upstreamCalls(receiver, "2xx")).isZero();
    }

    // ---- fixtures ----

    /** Calls to the receiver timed as {@code ocpihub.routing.upstream} with this result, by its name and id. */
    private long upstreamCalls(Receiver receiver, String result) {
        var timer = meters.find("ocpihub.routing.upstream").tag("receiver", receiver.platformName())
                .tag("receiver_id", receiver.platform().platform().id().toString()).tag("module", "locations")
                .tag("result", result).timer();
        return timer == null ? 0 : timer.count();
    }

    private CircuitBreaker breaker(Receiver receiver) {
        return breakers.circuitBreaker(receiver.platform().platform().id().toString());
    }

    private static MockServerWebExchange get() {
        return exchange(MockServerHttpRequest.get("http://hub.test/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1"));
    }

    private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(ExchangeAttributes.CORRELATION_ID, "the-correlation-id");
        return exchange;
    }

    private static MockServerWebExchange exchange(MockServerHttpRequest request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(ExchangeAttributes.CORRELATION_ID, "the-correlation-id");
        return exchange;
    }

    private static RoutingContext context(MockServerWebExchange exchange, Receiver receiver) {
        ModuleCall call = ModuleCall.parse(exchange.getRequest().getURI().getRawPath()).orElseThrow();
        return RoutingContext.start(exchange, null, call, HUB)
                .withHeaders(new RoutingHeaders(REQUESTER, Optional.of(RECEIVER)))
                .withReceiver(receiver);
    }

    private static Forwarder.Call call(byte[] body, String rawQuery) {
        return new Forwarder.Call(body, OutgoingParties.of(REQUESTER, RECEIVER), rawQuery, url -> url,
                ResponseTap.NONE);
    }

    private static Receiver receiver(int port, TokenEncoding encoding) {
        String url = "http://127.0.0.1:" + port + "/ocpi/cpo/2.2.1/locations/";
        PlatformEndpoint endpoint = new PlatformEndpoint(ModuleId.LOCATIONS, InterfaceRole.RECEIVER, url);
        Platform platform = new Platform(UUID.randomUUID(), "receiver", ConnectionStatus.CONNECTED, true,
                "http://127.0.0.1:" + port + "/ocpi/versions", "2.2.1", encoding, List.of(), List.of(endpoint),
                Instant.now(), Instant.now());
        return new Receiver(RECEIVER, new RegistrySnapshot.Entry(platform, Optional.of(new Secret(RECEIVER_TOKEN))),
                endpoint, new Secret(RECEIVER_TOKEN));
    }

    private static HubProperties.Http http() {
        return new HubProperties.Http(Duration.ofSeconds(10), Duration.ofSeconds(5), DataSize.ofMegabytes(1),
                DataSize.ofMegabytes(1));
    }

    private static HubProperties hub() {
        return new HubProperties("http://hub.test", new HubProperties.Identity("NL", "HUB", "OCPI Hub", null),
                new HubProperties.Admin(null), null, new HubProperties.Security(true, List.of()), http(),
                new HubProperties.Database(Duration.ofSeconds(60), "ocpi-hub"));
    }
}
