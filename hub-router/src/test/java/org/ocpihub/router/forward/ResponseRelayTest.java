package org.ocpihub.router.forward;

import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.Receiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * How a receiver's answer reaches the requester (D4, D5), without PostgreSQL or Kafka: a real receiver (an in-process
 * Reactor Netty server) answers, the hub's {@link ResponseRelay} writes that answer to a requester's exchange, and the
 * test reads what the requester got: the receiver's status, envelope and paging headers; the hub's routing headers;
 * {@code Link} and {@code Location} pointing at the hub; 4000 for an answer that is not OCPI.
 */
class ResponseRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final PartyId HUB = PartyId.of("NL", "HUB");
    private static final PartyId EMSP = PartyId.of("DE", "EMS");
    private static final PartyId CPO = PartyId.of("NL", "CPO");
    private static final String HUB_ENDPOINT = "https://hub.example.com/ocpi/2.2.1/locations/sender";
    private static final String ENVELOPE = "{\"data\":[{\"id\":\"LOC1\",\"last_updated\":\"2026-11-30T10:00:00.123Z\","
            + "\"x-unknown\":1}],  \"status_code\":1000,\"timestamp\":\"2026-11-30T10:00:01Z\"}";

    /** What the simulated receiver answers next: status, headers (a name may repeat), body. */
    private record Reply(int status, List<Map.Entry<String, String>> headers, String body) {
    }

    private static volatile Reply reply;
    private static DisposableServer receiverServer;
    private static String receiverEndpoint;

    private final List<String> relayed = new ArrayList<>();
    private final UnaryOperator<String> relayUrl = url -> {
        relayed.add(url);
        return "https://hub.example.com/ocpi/2.2.1/relay/R" + relayed.size();
    };

    @BeforeAll
    static void startReceiver() {
        receiverServer = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    Reply next = reply;
                    response.status(next.status());
                    next.headers().forEach(h -> response.addHeader(h.getKey(), h.getValue()));
                    return next.body() == null ? response.send()
                            : response.sendString(Mono.just(next.body()), StandardCharsets.UTF_8);
                })
                .bindNow(WAIT);
        receiverEndpoint = "http://127.0.0.1:" + receiverServer.port() + "/ocpi/cpo/2.2.1/locations";
    }

    @AfterAll
    static void stopReceiver() {
        receiverServer.disposeNow(WAIT);
    }

    @Test
    void statusEnvelopeAndPagingHeadersPassThroughAndTheRoutingHeadersAreTheHubs() {
        reply = new Reply(200, List.of(
                Map.entry(HttpHeaders.CONTENT_TYPE, "application/json"),
                Map.entry(OcpiHeaders.TOTAL_COUNT, "7"),
                Map.entry(OcpiHeaders.LIMIT, "2"),
                // a receiver cannot answer in another party's name, nor hand internal headers on
                Map.entry(OcpiHeaders.FROM_COUNTRY_CODE, "XX"), Map.entry(OcpiHeaders.FROM_PARTY_ID, "EVL"),
                Map.entry(OcpiHeaders.TO_COUNTRY_CODE, "YY"), Map.entry(OcpiHeaders.TO_PARTY_ID, "OTH"),
                Map.entry("Set-Cookie", "session=secret"), Map.entry("X-Internal-Host", "db-3.cpo.internal")),
                ENVELOPE);

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        assertThat(out.getStatusCode().value()).isEqualTo(200);
        assertThat(out.getBodyAsString().block(WAIT)).isEqualTo(ENVELOPE); // byte for byte, not re-serialised
        HttpHeaders headers = out.getHeaders();
        assertThat(headers.getFirst(OcpiHeaders.TOTAL_COUNT)).isEqualTo("7");
        assertThat(headers.getFirst(OcpiHeaders.LIMIT)).isEqualTo("2");
        assertThat(headers.getFirst(HttpHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(headers.get(OcpiHeaders.FROM_COUNTRY_CODE)).containsExactly("NL");
        assertThat(headers.get(OcpiHeaders.FROM_PARTY_ID)).containsExactly("CPO");
        assertThat(headers.get(OcpiHeaders.TO_COUNTRY_CODE)).containsExactly("DE");
        assertThat(headers.get(OcpiHeaders.TO_PARTY_ID)).containsExactly("EMS");
        assertThat(headers.containsHeader("Set-Cookie")).isFalse();
        assertThat(headers.containsHeader("X-Internal-Host")).isFalse();
        assertThat(relayed).isEmpty();
    }

    @Test
    void theReceiversErrorStatusAndOcpiCodeReachTheRequesterUnchanged() {
        String unknown = "{\"status_code\":2003,\"status_message\":\"unknown location\","
                + "\"timestamp\":\"2026-11-30T10:00:01Z\"}";
        reply = new Reply(404, List.of(Map.entry(HttpHeaders.CONTENT_TYPE, "application/json")), unknown);

        MockServerHttpResponse out = relay("/LOC9", ResponseTap.NONE);

        assertThat(out.getStatusCode().value()).isEqualTo(404);
        assertThat(out.getBodyAsString().block(WAIT)).isEqualTo(unknown);
        assertThat(out.getHeaders().getFirst(OcpiHeaders.FROM_PARTY_ID)).isEqualTo("CPO");
    }

    @Test
    void aRateLimitedReceiversRetryAfterPassesThrough() {
        reply = new Reply(429, List.of(Map.entry(HttpHeaders.RETRY_AFTER, "30")),
                "{\"status_code\":2000,\"timestamp\":\"2026-11-30T10:00:01Z\"}");

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        assertThat(out.getStatusCode().value()).isEqualTo(429);
        assertThat(out.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
    }

    @Test
    void pagingLinksUnderTheReceiversEndpointBecomeTheHubsEndpointWithTheirRelations() {
        reply = new Reply(200, List.of(
                Map.entry(OcpiHeaders.LINK, "<" + receiverEndpoint + "?offset=2&limit=2>; rel=\"next\"; "
                        + "title=\"internal\""),
                Map.entry(OcpiHeaders.LINK, "</ocpi/cpo/2.2.1/locations?offset=0&limit=2>; rel=first")),
                ENVELOPE);

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        // two field lines are one list (RFC 9110 5.3); only rel is kept, quoted
        assertThat(out.getHeaders().get(OcpiHeaders.LINK)).containsExactly("<" + HUB_ENDPOINT
                + "?offset=2&limit=2>; rel=\"next\", <" + HUB_ENDPOINT + "?offset=0&limit=2>; rel=\"first\"");
        assertThat(relayed).isEmpty();
    }

    @Test
    void aLinkOutsideTheReceiversEndpointBecomesARelayAndJunkIsDropped() {
        reply = new Reply(200, List.of(
                Map.entry(OcpiHeaders.LINK, "<https://pages.cpo.example/p/3>; rel=\"next\", <javascript:x>; rel=\"prev\"")),
                ENVELOPE);

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        assertThat(out.getHeaders().get(OcpiHeaders.LINK))
                .containsExactly("<https://hub.example.com/ocpi/2.2.1/relay/R1>; rel=\"next\"");
        assertThat(relayed).containsExactly("https://pages.cpo.example/p/3");
    }

    @Test
    void aLinkHeaderWithNothingUsableIsDroppedWholeAndTheAnswerStillPasses() {
        reply = new Reply(200, List.of(Map.entry(OcpiHeaders.LINK, "<http://user:pw@cpo.example/x>; rel=\"next\"")),
                ENVELOPE);

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        assertThat(out.getStatusCode().value()).isEqualTo(200);
        assertThat(out.getHeaders().containsHeader(OcpiHeaders.LINK)).isFalse();
        assertThat(out.getBodyAsString().block(WAIT)).isEqualTo(ENVELOPE);
    }

    @Test
    void aLocationUnderTheReceiversEndpointMapsOntoTheHubAndOneElsewhereIsRelayed() {
        reply = new Reply(201, List.of(Map.entry(OcpiHeaders.LOCATION, "/ocpi/cpo/2.2.1/locations/LOC1")), ENVELOPE);
        assertThat(relay("", ResponseTap.NONE).getHeaders().getFirst(OcpiHeaders.LOCATION))
                .isEqualTo(HUB_ENDPOINT + "/LOC1");

        reply = new Reply(201, List.of(Map.entry(OcpiHeaders.LOCATION, "https://cdrs.cpo.example/store/CDR1")),
                ENVELOPE);
        MockServerHttpResponse out = relay("", ResponseTap.NONE);
        assertThat(out.getStatusCode().value()).isEqualTo(201);
        assertThat(out.getHeaders().getFirst(OcpiHeaders.LOCATION))
                .isEqualTo("https://hub.example.com/ocpi/2.2.1/relay/R1");
        assertThat(relayed).containsExactly("https://cdrs.cpo.example/store/CDR1");
    }

    @Test
    void anUnusableLocationIsDropped() {
        reply = new Reply(201, List.of(Map.entry(OcpiHeaders.LOCATION, "ftp://cpo.example/CDR1")), ENVELOPE);

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        assertThat(out.getStatusCode().value()).isEqualTo(201);
        assertThat(out.getHeaders().containsHeader(OcpiHeaders.LOCATION)).isFalse();
        assertThat(relayed).isEmpty();
    }

    @Test
    void anAnswerThatIsNotJsonIs4000NamingTheReceiverAndNothingIsCommitted() {
        reply = new Reply(200, List.of(Map.entry(HttpHeaders.CONTENT_TYPE, "text/html")),
                "<html><body>502 Bad Gateway</body></html>");
        MockServerWebExchange exchange = requesterExchange("");

        assertThatThrownBy(() -> write(exchange, "", ResponseTap.NONE, 1 << 20))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(OcpiStatus.HUB_ERROR);
                    assertThat(e.getMessage()).contains("receiver NL/CPO").contains("not an OCPI response");
                });
        assertThat(exchange.getResponse().isCommitted()).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isNull();
    }

    @Test
    void aJsonArrayOrAnEmptyAnswerIs4000Too() {
        reply = new Reply(200, List.of(), "[1,2,3]");
        assertThatThrownBy(() -> relay("", ResponseTap.NONE)).isInstanceOfSatisfying(RoutingException.class,
                e -> assertThat(e.statusCode()).isEqualTo(OcpiStatus.HUB_ERROR));

        reply = new Reply(204, List.of(), null);
        assertThatThrownBy(() -> relay("", ResponseTap.NONE)).isInstanceOfSatisfying(RoutingException.class,
                e -> {
                    assertThat(e.statusCode()).isEqualTo(OcpiStatus.HUB_ERROR);
                    assertThat(e.getMessage()).contains("HTTP 204 without an OCPI body");
                });
    }

    @Test
    void aWatchedAnswerIsRelayedWholeAndThenShownToTheTap() {
        String commandResponse = "{\"data\":{\"result\":\"ACCEPTED\",\"timeout\":30},\"status_code\":1000,"
                + "\"timestamp\":\"2026-11-30T10:00:01Z\"}";
        reply = new Reply(200, List.of(Map.entry(HttpHeaders.CONTENT_TYPE, "application/json")), commandResponse);
        List<String> seen = new ArrayList<>();

        MockServerHttpResponse out = relay("", (status, body) -> seen.add(status + " "
                + new String(body, StandardCharsets.UTF_8)));

        assertThat(out.getBodyAsString().block(WAIT)).isEqualTo(commandResponse);
        assertThat(seen).containsExactly("200 " + commandResponse);
        assertThat(out.getHeaders().getFirst(OcpiHeaders.FROM_PARTY_ID)).isEqualTo("CPO");
    }

    @Test
    void aWatchedAnswerOverTheBoundIs4000AndNeverShownToTheTap() {
        reply = new Reply(200, List.of(), "{\"data\":\"" + "x".repeat(4096) + "\",\"status_code\":1000}");
        List<Integer> seen = new ArrayList<>();
        MockServerWebExchange exchange = requesterExchange("");

        assertThatThrownBy(() -> write(exchange, "", (status, body) -> seen.add(status), 1024))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(OcpiStatus.HUB_ERROR);
                    assertThat(e.getMessage()).contains("larger than 1024 bytes");
                });
        assertThat(seen).isEmpty();
        assertThat(exchange.getResponse().isCommitted()).isFalse();
    }

    /** An unwatched answer streams through whole, however large: only watched answers are held (and bounded). */
    @Test
    void aLargeListStreamsThroughUntouched() {
        StringBuilder list = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 3000; i++) {
            list.append(i == 0 ? "" : ",").append("{\"id\":\"LOC").append(i).append("\",\"name\":\"")
                    .append("x".repeat(100)).append("\"}");
        }
        String body = list.append("],\"status_code\":1000,\"timestamp\":\"2026-11-30T10:00:01Z\"}").toString();
        reply = new Reply(200, List.of(Map.entry(OcpiHeaders.TOTAL_COUNT, "3000")), body);

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        assertThat(body.length()).isGreaterThan(300_000);
        assertThat(out.getBodyAsString().block(WAIT)).isEqualTo(body);
        assertThat(out.getHeaders().getFirst(OcpiHeaders.TOTAL_COUNT)).isEqualTo("3000");
    }

    /** A UTF-8 byte order mark before the envelope is tolerated (members' answers are read liberally). */
    @Test
    void anAnswerWithAByteOrderMarkIsRelayed() {
        reply = new Reply(200, List.of(), "\uFEFF" + ENVELOPE);

        MockServerHttpResponse out = relay("", ResponseTap.NONE);

        assertThat(out.getStatusCode().value()).isEqualTo(200);
        assertThat(out.getBodyAsString().block(WAIT)).endsWith(ENVELOPE);
    }

    // ---- helpers ----

    private MockServerHttpResponse relay(String suffix, ResponseTap tap) {
        MockServerWebExchange exchange = requesterExchange(suffix);
        write(exchange, suffix, tap, 1 << 20);
        return exchange.getResponse();
    }

    private static MockServerWebExchange requesterExchange(String suffix) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender" + suffix)
                .header(OcpiHeaders.FROM_COUNTRY_CODE, EMSP.countryCode())
                .header(OcpiHeaders.FROM_PARTY_ID, EMSP.partyId())
                .header(OcpiHeaders.TO_COUNTRY_CODE, CPO.countryCode())
                .header(OcpiHeaders.TO_PARTY_ID, CPO.partyId()));
    }

    /** Calls the receiver as the Forwarder does (answer head first, body read from the connection) and relays. */
    private void write(MockServerWebExchange exchange, String suffix, ResponseTap tap, int maxAnswerBytes) {
        ModuleCall call = ModuleCall.parse("/ocpi/2.2.1/locations/sender" + suffix).orElseThrow();
        Receiver receiver = new Receiver(CPO, null,
                new PlatformEndpoint(ModuleId.LOCATIONS, InterfaceRole.SENDER, receiverEndpoint), new Secret("t"));
        RoutingContext context = RoutingContext.start(exchange, null, call, HUB)
                .withHeaders(new RoutingHeaders(EMSP, Optional.of(CPO))).withReceiver(receiver);
        URI called = URI.create(receiverEndpoint + suffix);
        HttpClient.create().get().uri(called)
                .responseConnection((response, connection) -> Mono.just(new Forwarder.Answer(response, connection)))
                .next()
                .flatMap(answer -> ResponseRelay.write(context, answer, called, HUB_ENDPOINT, relayUrl, tap,
                        maxAnswerBytes))
                .block(WAIT);
    }
}
