package org.ocpihub.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.registry.health.StillAliveCheck;
import org.ocpihub.testkit.party.AsyncResultBehaviour;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiClient;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.ocpihub.testkit.infra.TestInfrastructure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.awaitility.Awaitility.await;

/**
 * Issue 7 items 2, 3, 11 and 12 with a hub as production runs it: {@code hub.security.allow-private-endpoints=false}.
 * Every simulated platform listens on loopback, so the members of this test are named in
 * {@code hub.security.allowed-endpoints} (host:port), while a second loopback server, the "internal service", is
 * not: the hub must never send it a request, whatever a member hands the hub ({@code response_url}, {@code Link},
 * {@code Location}, 3xx, versions URL), and relays keep their one method. The hub has a database of its own.
 */
class OutboundUrlPolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OcpiClient CLIENT = OcpiClient.create(TokenEncoding.BASE64);
    private static final String LOCATIONS_SENDER = SimulatedPlatform.modulePath("locations", "SENDER");
    private static final String CDRS_RECEIVER = SimulatedPlatform.modulePath("cdrs", "RECEIVER");
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final String DATABASE = "outbound_policy_" + Long.toHexString(System.nanoTime());

    /** What the internal service was asked: must stay empty. */
    private static final List<String> internalRequests = new CopyOnWriteArrayList<>();
    /** The Link header the CPO puts on its locations page (null: none). */
    private static final AtomicReference<String> cpoLink = new AtomicReference<>();
    /** The HTTP status and Location header the eMSP answers a CDR POST with. */
    private static final AtomicReference<OcpiReply> emspCdrAnswer = new AtomicReference<>();

    private static DisposableServer internal;
    /** An allowed member server that answers every request with a redirect to the internal service. */
    private static DisposableServer redirector;
    private static RunningHub hub;
    private static PartyRole cpoRole;
    private static PartyRole emspRole;
    private static SimulatedPlatform cpo;
    private static SimulatedPlatform emsp;
    private static SimulatedPlatform bom;
    private static SimulatedPlatform odd;
    private static PartyRole bomRole;
    private static PartyRole oddRole;
    private static String emspId;

    @BeforeAll
    static void start() {
        internal = bindBelowEphemeralPorts(HttpServer.create().host("127.0.0.1")
                .handle((request, response) -> {
                    internalRequests.add(request.method() + " " + request.uri());
                    return response.header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"data\":\"internal secret\",\"status_code\":1000}"));
                }));
        redirector = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> response.status(302)
                        .header("Location", internalUrl("127.0.0.1", "/ocpi/versions")).send())
                .bindNow();
        cpoRole = Parties.cpo();
        emspRole = Parties.emsp();
        cpo = SimulatedPlatform.builder().name("policy-cpo").role(cpoRole)
                .modules("locations:SENDER", "tariffs:SENDER", "sessions:SENDER", "cdrs:SENDER",
                        "commands:RECEIVER", "chargingprofiles:RECEIVER", "tokens:RECEIVER", "hubclientinfo:RECEIVER")
                .route("GET", LOCATIONS_SENDER, request -> {
                    OcpiReply page = OcpiReply.ok(JsonNodeFactory.instance.arrayNode())
                            .withHeader("X-Total-Count", "6").withHeader("X-Limit", "2");
                    String link = cpoLink.get();
                    return Mono.just(link == null ? page : page.withHeader("Link", link));
                })
                .start();
        emsp = SimulatedPlatform.builder().name("policy-emsp").role(emspRole)
                .modules("tokens:SENDER", "locations:RECEIVER", "tariffs:RECEIVER", "sessions:RECEIVER",
                        "cdrs:RECEIVER", "commands:SENDER", "chargingprofiles:SENDER", "hubclientinfo:RECEIVER")
                .route("POST", CDRS_RECEIVER, request -> Mono.just(emspCdrAnswer.get()))
                .start();
        bomRole = Parties.cpo();
        bom = SimulatedPlatform.builder().name("policy-bom").role(bomRole)
                .modules("locations:SENDER", "hubclientinfo:RECEIVER").faults(Fault.BOM).start();
        oddRole = Parties.cpo();
        odd = SimulatedPlatform.builder().name("policy-odd").role(oddRole)
                .modules("locations:SENDER", "hubclientinfo:RECEIVER").faults(Fault.ODD_TIMESTAMP).start();
        // a database of its own: relays, command timeouts and the Hub Client Info outbox of this hub must not be
        // claimed by the shared test hub (which allows private endpoints), nor the shared hub's by this one
        InfrastructureEndpoints infra = TestInfrastructure.get();
        execute(infra, "create database " + DATABASE);
        hub = RunningHub.start(Map.of(
                "spring.r2dbc.url", withDatabase(infra.r2dbcUrl()),
                "spring.flyway.url", withDatabase(infra.jdbcUrl()),
                "hub.security.allow-private-endpoints", "false",
                "hub.security.allowed-endpoints", String.join(",", authority(cpo), authority(emsp), authority(bom),
                        authority(odd), "127.0.0.1:" + redirector.port()),
                "hub.still-alive.after", "1ms",
                "hub.still-alive.check-every", "1h",
                "hub.still-alive.failures", "2"));
        RoutingParties.registerWith(hub, cpo, cpoRole);
        emspId = RoutingParties.registerWith(hub, emsp, emspRole);
    }

    @AfterAll
    static void stop() {
        Stream.of(cpo, emsp, bom, odd).forEach(SimulatedPlatform::close);
        hub.close();
        try {
            execute(TestInfrastructure.get(), "drop database if exists " + DATABASE + " with (force)");
        } catch (RuntimeException e) {
            System.out.println("could not drop test database " + DATABASE + ": " + e.getMessage());
        }
        internal.disposeNow();
        redirector.disposeNow();
        CLIENT.close();
    }

    @BeforeEach
    void reset() {
        cpoLink.set(null);
        emspCdrAnswer.set(OcpiReply.ok(null));
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.neverSendResult());
    }

    private static void execute(InfrastructureEndpoints infra, String sql) {
        try (var connection = java.sql.DriverManager.getConnection(infra.jdbcUrl(), infra.username(),
                infra.password()); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The same server, this test's database. */
    private static String withDatabase(String url) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + DATABASE + (query < 0 ? "" : url.substring(query));
    }

    private static String authority(SimulatedPlatform platform) {
        return platform.baseUrl().substring("http://".length());
    }

    /**
     * Binds on a port below the kernel's ephemeral range, from which every other test server gets its port: the
     * shared test hub keeps delivering to platforms other tests registered and closed (Hub Client Info, a down
     * receiver's probes), and on a reused ephemeral port those deliveries would land here and look like a breach.
     */
    private static DisposableServer bindBelowEphemeralPorts(HttpServer server) {
        int start = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000);
        RuntimeException last = null;
        for (int port = start; port < start + 2_000; port++) {
            try {
                return server.port(port).bindNow();
            } catch (RuntimeException e) {
                last = e; // taken: the next one
            }
        }
        throw new IllegalStateException("no free port from " + start, last);
    }

    private static String internalUrl(String host, String path) {
        return "http://" + host + ":" + internal.port() + path;
    }

    // ---- item 2: response_url ----

    static Stream<String> unsafeCallbacks() {
        return Stream.of(internalUrl("127.0.0.1", "/cb"), internalUrl("localhost", "/cb"),
                internalUrl("[::ffff:127.0.0.1]", "/cb"), internalUrl("[::1]", "/cb"),
                "http://169.254.169.254/latest/meta-data/iam", "http://[fd00:ec2::254]/latest/meta-data",
                "http://10.0.0.1/cb", "http://0.0.0.0:" + internal.port() + "/cb");
    }

    @ParameterizedTest
    @MethodSource("unsafeCallbacks")
    void aCommandResponseUrlAtAnInternalAddressIs2001NamingTheFieldAndNothingIsForwarded(String unsafe) {
        SimulatedResponse answer = emsp.call("POST", hubEndpoint(emsp, "commands:RECEIVER") + "/START_SESSION",
                startSession(unsafe), RoutingParties.route(emspRole, cpoRole)).block(WAIT);

        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("response_url");
        assertThat(cpo.received()).noneMatch(r -> r.body() != null && r.body().contains(unsafe));
        assertThat(internalRequests).isEmpty();
    }

    @Test
    void theHubsOwnUrlIsNoResponseUrlEither() {
        String self = hub.url() + "/ocpi/2.2.1/relay/whatever";
        SimulatedResponse answer = emsp.call("POST", hubEndpoint(emsp, "commands:RECEIVER") + "/START_SESSION",
                startSession(self), RoutingParties.route(emspRole, cpoRole)).block(WAIT);

        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("response_url", "hub itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "GET"})
    void aChargingProfileResponseUrlAtAnInternalAddressIs2001(String method) {
        String unsafe = internalUrl("127.0.0.1", "/profile-result");
        String url = hubEndpoint(emsp, "chargingprofiles:RECEIVER") + "/SES-P1";
        String body = null;
        if (method.equals("PUT")) {
            body = "{\"charging_profile\":{\"charging_rate_unit\":\"W\",\"charging_profile_period\":"
                    + "[{\"start_period\":0,\"limit\":11000}]},\"response_url\":\"" + unsafe + "\"}";
        } else {
            url += "?duration=900&response_url=" + java.net.URLEncoder.encode(unsafe,
                    java.nio.charset.StandardCharsets.UTF_8);
        }

        SimulatedResponse answer = emsp.call(method, url, body, RoutingParties.route(emspRole, cpoRole)).block(WAIT);

        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("response_url");
        assertThat(cpo.received()).noneMatch(r -> r.path().endsWith("/SES-P1"));
        assertThat(internalRequests).isEmpty();
    }

    // ---- item 2: Link, Location, 3xx ----

    @ParameterizedTest
    @MethodSource("unsafeCallbacks")
    void anUnsafeLinkIsDropped(String unsafe) {
        cpoLink.set("<" + unsafe + "?offset=2&limit=2>; rel=\"next\"");

        SimulatedResponse page = getLocations();

        assertThat(page.httpStatus()).as(page.rawBody()).isEqualTo(200);
        assertThat(page.statusCode()).isEqualTo(1000);
        assertThat(page.header("Link")).isNull();
        assertThat(internalRequests).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {201, 302, 303, 307})
    void anUnsafeCdrLocationOrRedirectIsDroppedAndNeverFollowed(int status) {
        emspCdrAnswer.set(new OcpiReply(status, status / 100 == 2 ? okEnvelope() : "{\"status_code\":1000}",
                Map.of("Location", internalUrl("127.0.0.1", "/cdr-store/CDR1"))));

        SimulatedResponse answer = cpo.call("POST", hubEndpoint(cpo, "cdrs:RECEIVER"), cdr("CDR-LOC-" + status),
                RoutingParties.route(cpoRole, emspRole)).block(WAIT);

        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(status);
        assertThat(answer.header("Location")).isNull();
        assertThat(internalRequests).isEmpty();
    }

    // ---- item 2: handshakes ----

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]"})
    void anInternalVersionsUrlIs3001AndNeverCalled(String host) {
        PartyRole role = Parties.cpo();
        var created = hub.admin().createPlatform("internal-" + System.nanoTime(), List.of(role));
        String versions = internalUrl(host, "/ocpi/versions");

        SimulatedResponse answer = CLIENT.send("POST", hub.url() + "/ocpi/2.2.1/credentials",
                created.text("token_a"), credentialsBody(versions, role)).block(WAIT);

        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(3001);
        assertThat(answer.statusMessage()).contains(versions);
        assertThat(internalRequests).isEmpty();
    }

    /**
     * The operator's side of the same refusal: a versions URL the policy refuses for what it is (an internal
     * address, as a literal or by a name such as localhost) is the operator's input error, 400 naming versions_url,
     * and never called.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]"})
    void anInternalVersionsUrlForHubInitiatedRegistrationIs400NamingIt(String host) {
        PartyRole role = Parties.cpo();
        var created = hub.admin().createPlatform("internal-admin-" + System.nanoTime(), List.of(role));

        var answer = hub.admin().post("/platforms/" + created.text("id") + "/register",
                Map.of("versions_url", internalUrl(host, "/ocpi/versions"), "token", "their-token-a"));

        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(400);
        assertThat(answer.error()).contains("versions_url");
        assertThat(internalRequests).isEmpty();
        assertThat(hub.admin().get("/platforms/" + created.text("id")).text("status")).isEqualTo("PLANNED");
    }

    @Test
    void aRedirectingVersionsUrlIsNotFollowed() {
        PartyRole role = Parties.cpo();
        var created = hub.admin().createPlatform("redirect-" + System.nanoTime(), List.of(role));

        SimulatedResponse answer = CLIENT.send("POST", hub.url() + "/ocpi/2.2.1/credentials",
                created.text("token_a"), credentialsBody("http://127.0.0.1:" + redirector.port() + "/ocpi/versions",
                        role)).block(WAIT);

        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(3001);
        assertThat(answer.statusMessage()).contains("HTTP 302");
        assertThat(internalRequests).isEmpty();
    }

    /**
     * The check at connect time: a name the URL check cannot judge without resolving it (this machine's host name,
     * which resolves to a loopback or private address) is let through as a relay, and refused when the hub connects.
     */
    @Test
    void aNameResolvingToAnInternalAddressIsRefusedWhenTheHubConnects() throws Exception {
        String name = java.net.InetAddress.getLocalHost().getHostName();
        boolean internalName = java.util.Arrays.stream(java.net.InetAddress.getAllByName(name))
                .anyMatch(org.ocpihub.registry.secret.EndpointUrlPolicy::isInternal);
        org.junit.jupiter.api.Assumptions.assumeTrue(internalName && !name.equalsIgnoreCase("localhost"),
                "skipped: this machine's host name (" + name + ") does not resolve to an internal address");
        emspCdrAnswer.set(new OcpiReply(200, okEnvelope(), Map.of("Location",
                "http://" + name + ":" + internal.port() + "/cdr-store/CDR-NAME")));
        SimulatedResponse posted = cpo.call("POST", hubEndpoint(cpo, "cdrs:RECEIVER"), cdr("CDR-NAME"),
                RoutingParties.route(cpoRole, emspRole)).block(WAIT);
        String relay = posted.header("Location");
        assertThat(relay).as(posted.rawBody()).startsWith(hub.url() + "/ocpi/2.2.1/relay/");

        SimulatedResponse fetched = cpo.call("GET", relay, null, RoutingParties.route(cpoRole, emspRole)).block(WAIT);

        assertThat(fetched.httpStatus()).as(fetched.rawBody()).isEqualTo(200);
        assertThat(fetched.statusCode()).isEqualTo(4003);
        assertThat(fetched.statusMessage()).contains("URL policy").doesNotContain("secret");
        assertThat(fetched.rawBody()).doesNotContain("internal secret");
        assertThat(internalRequests).isEmpty();
    }

    /**
     * The synthetic TIMEOUT passes the policy at connect time too: a pending command whose response_url now points
     * at an internal address (as a name that resolved publicly when the command was sent, and internally when its
     * timeout is due, would) is claimed, and its TIMEOUT never reaches the internal service.
     */
    @Test
    void aCommandTimeoutToAnAddressThatTurnedInternalIsNeverSent() {
        var store = hub.context().getBean(org.ocpihub.router.relay.RelayStore.class);
        var db = hub.context().getBean(org.springframework.r2dbc.core.DatabaseClient.class);
        var emspParty = org.ocpihub.ocpi.party.PartyId.of(emspRole.countryCode(), emspRole.partyId());
        var cpoParty = org.ocpihub.ocpi.party.PartyId.of(cpoRole.countryCode(), cpoRole.partyId());
        var rebound = new org.ocpihub.router.relay.Relay(org.ocpihub.router.relay.RelayUrls.newId(),
                org.ocpihub.ocpi.module.RelayKind.COMMAND, internalUrl("127.0.0.1", "/timeout-result"),
                java.util.UUID.fromString(emspId), emspParty, cpoParty, "START_SESSION",
                Instant.now().plus(Duration.ofDays(1)));
        store.insert(rebound).then(store.awaitResultUntil(rebound.id(), Instant.now().minusSeconds(1))).block(WAIT);
        await().atMost(WAIT).until(() -> "TIMED_OUT".equals(db.sql("select state from relay where id = :id")
                .bind("id", rebound.id()).map(r -> r.get("state", String.class)).one().block(WAIT)));

        // a later overdue command to the eMSP is answered in a later run: by then the first attempt is over
        var later = new org.ocpihub.router.relay.Relay(org.ocpihub.router.relay.RelayUrls.newId(),
                org.ocpihub.ocpi.module.RelayKind.COMMAND, emsp.commandResultUrl("after-rebound"),
                java.util.UUID.fromString(emspId), emspParty, cpoParty, "START_SESSION",
                Instant.now().plus(Duration.ofDays(1)));
        store.insert(later).then(store.awaitResultUntil(later.id(), Instant.now().minusSeconds(1))).block(WAIT);
        RecordedRequest timeout = emsp.awaitRequest(r -> r.path().endsWith("/after-rebound"), WAIT);

        assertThat(timeout.json().path("result").asString()).isEqualTo("TIMEOUT");
        assertThat(internalRequests).isEmpty();
    }

    @Test
    void theHubCannotRegisterItselfAsAMember() {
        PartyRole role = Parties.cpo();
        var created = hub.admin().createPlatform("self-" + System.nanoTime(), List.of(role));

        SimulatedResponse answer = CLIENT.send("POST", hub.url() + "/ocpi/2.2.1/credentials",
                created.text("token_a"), credentialsBody(hub.versionsUrl(), role)).block(WAIT);

        // the member's input error (it sent the hub's URL as its own): 2001 naming url, not 3001
        assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("field url", "the hub's own address");
        assertThat(hub.admin().get("/platforms/" + created.text("id")).text("status")).isEqualTo("PLANNED");
    }

    // ---- item 3: relays keep their method ----

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "PATCH", "DELETE"})
    void aCommandResultRelayAcceptsOnlyPost(String method) {
        String relay = commandRelay("m-" + method);

        SimulatedResponse answer = cpo.call(method, relay, method.equals("GET") || method.equals("DELETE") ? null
                : "{\"result\":\"ACCEPTED\"}", RoutingParties.route(cpoRole, emspRole)).block(WAIT);

        assertMethodNotAllowed(answer, "POST");
        assertThat(emsp.received()).noneMatch(r -> r.path().endsWith("/m-" + method));
        // and POST, its meaning, still works
        SimulatedResponse posted = cpo.call("POST", relay, "{\"result\":\"ACCEPTED\"}",
                RoutingParties.route(cpoRole, emspRole)).block(WAIT);
        assertThat(posted.isSuccess()).as(posted.rawBody()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "DELETE"})
    void aChargingProfileResultRelayAcceptsOnlyPost(String method) {
        String original = emsp.chargingProfileResultUrl("cp-" + method);
        emsp.call("PUT", hubEndpoint(emsp, "chargingprofiles:RECEIVER") + "/SES-M-" + method,
                "{\"charging_profile\":{\"charging_rate_unit\":\"W\",\"charging_profile_period\":"
                        + "[{\"start_period\":0,\"limit\":11000}]},\"response_url\":\"" + original + "\"}",
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);
        String relay = cpo.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/SES-M-" + method), WAIT)
                .json().path("response_url").asString();

        SimulatedResponse answer = cpo.call(method, relay, null, RoutingParties.route(cpoRole, emspRole)).block(WAIT);

        assertMethodNotAllowed(answer, "POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void aCdrLocationRelayAcceptsOnlyGet(String method) {
        String elsewhere = emsp.baseUrl() + "/elsewhere/CDR-" + method;
        emspCdrAnswer.set(new OcpiReply(200, okEnvelope(), Map.of("Location", elsewhere)));
        SimulatedResponse posted = cpo.call("POST", hubEndpoint(cpo, "cdrs:RECEIVER"), cdr("CDR-M-" + method),
                RoutingParties.route(cpoRole, emspRole)).block(WAIT);
        String relay = posted.header("Location");
        assertThat(relay).as(posted.rawBody()).startsWith(hub.url() + "/ocpi/2.2.1/relay/");

        SimulatedResponse answer = cpo.call(method, relay, method.equals("DELETE") ? null : "{}",
                RoutingParties.route(cpoRole, emspRole)).block(WAIT);

        assertMethodNotAllowed(answer, "GET");
        assertThat(emsp.received()).noneMatch(r -> r.path().equals("/elsewhere/CDR-" + method));
        // GET, its meaning, reaches the eMSP
        cpo.call("GET", relay, null, RoutingParties.route(cpoRole, emspRole)).block(WAIT);
        emsp.awaitRequest(r -> r.method().equals("GET") && r.path().equals("/elsewhere/CDR-" + method), WAIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    void aPageRelayAcceptsOnlyGet(String method) {
        cpoLink.set("<" + cpo.baseUrl() + "/other/pages?n=" + method + ">; rel=\"next\"");
        String relay = linkTarget(getLocations().header("Link"));
        assertThat(relay).startsWith(hub.url() + "/ocpi/2.2.1/relay/");

        SimulatedResponse answer = emsp.call(method, relay, method.equals("DELETE") ? null : "{}",
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);

        assertMethodNotAllowed(answer, "GET");
        assertThat(cpo.received()).noneMatch(r -> r.path().equals("/other/pages"));
    }

    // ---- item 12: relative URLs in Link ----

    static Stream<Arguments> relativeLinks() {
        return Stream.of(
                Arguments.of("</ocpi/2.2.1/locations/sender?offset=2&limit=2>; rel=\"next\"", "offset=2&limit=2"),
                Arguments.of("<../locations/sender?offset=4&limit=2>; rel=\"next\"", "offset=4&limit=2"),
                Arguments.of("<sender?offset=6&limit=2>; rel=\"next\"", "offset=6&limit=2"));
    }

    @ParameterizedTest
    @MethodSource("relativeLinks")
    void aRelativeLinkIsResolvedAgainstTheReceiversUrlAndCanBeFollowed(String link, String query) {
        cpoLink.set(link);

        SimulatedResponse page = getLocations();
        String next = linkTarget(page.header("Link"));
        assertThat(next).isEqualTo(hubEndpoint(emsp, "locations:SENDER") + "?" + query);
        assertThat(page.header("Link")).endsWith("; rel=\"next\"");

        cpoLink.set(null);
        SimulatedResponse followed = emsp.call("GET", next, null, RoutingParties.route(emspRole, cpoRole)).block(WAIT);

        assertThat(followed.httpStatus()).as(followed.rawBody()).isEqualTo(200);
        assertThat(followed.statusCode()).isEqualTo(1000);
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET") && r.path().equals(LOCATIONS_SENDER)
                && query.equals(r.query()), WAIT);
        assertThat(atCpo.header("OCPI-from-party-id")).isEqualTo(emspRole.partyId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<http://exa mple.com/x>; rel=\"next\"", "not a link at all", "<javascript:alert(1)>",
            "<//>; rel=\"next\"", "<http://user:pw@" + "example.com/x>; rel=\"next\"", "<>; rel=\"next\"",
            "</../../../etc/passwd>; rel=\"next\""})
    void aJunkLinkIsDroppedNeverA5xx(String link) {
        cpoLink.set(link);

        SimulatedResponse page = getLocations();

        assertThat(page.httpStatus()).as(page.rawBody()).isEqualTo(200);
        assertThat(page.statusCode()).isEqualTo(1000);
        assertThat(page.header("Link")).isNull();
    }

    @Test
    void aLinkToAnotherPublicHostBecomesARelay() {
        cpoLink.set("<https://pages.example.com/ocpi/locations?offset=2>; rel=\"next\"");

        String next = linkTarget(getLocations().header("Link"));

        assertThat(next).startsWith(hub.url() + "/ocpi/2.2.1/relay/");
    }

    // ---- item 11: liberal in what members send ----

    @ParameterizedTest
    @ValueSource(strings = {"bom", "odd"})
    void aMemberWithAQuirkyVersionsAnswerRegistersAndStaysConnected(String which) {
        SimulatedPlatform platform = which.equals("bom") ? bom : odd;
        PartyRole role = which.equals("bom") ? bomRole : oddRole;
        String id = RoutingParties.registerWith(hub, platform, role);
        assertThat(hub.admin().get("/platforms/" + id).text("status")).isEqualTo("CONNECTED");

        StillAliveCheck check = hub.context().getBean(StillAliveCheck.class);
        for (int i = 0; i < 3; i++) {
            check.checkAll().block(WAIT);
        }

        long probes = platform.received().stream().filter(r -> r.path().equals("/ocpi/versions")).count();
        assertThat(probes).as("registration and three still-alive checks").isGreaterThanOrEqualTo(4);
        assertThat(hub.admin().get("/platforms/" + id).text("status")).isEqualTo("CONNECTED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BOM", "ODD_TIMESTAMP"})
    void aBroadcastAcknowledgedWithAQuirkIsDelivered(String quirk) {
        emsp.moduleFaults("locations:RECEIVER", new Fault(Fault.Kind.valueOf(quirk), Duration.ZERO));
        MeterRegistry meters = hub.context().getBean(MeterRegistry.class);
        double before = deliveries(meters, "DELIVERED");
        try {
            String id = "Q-" + quirk;
            SimulatedResponse accepted = cpo.call("PUT", hubEndpoint(cpo, "locations:RECEIVER") + "/"
                            + cpoRole.countryCode() + "/" + cpoRole.partyId() + "/" + id,
                    OcpiSamples.location(cpoRole, id, Instant.now()).toString(),
                    RoutingParties.route(cpoRole, HUB)).block(WAIT);
            assertThat(accepted.statusCode()).as(accepted.rawBody()).isEqualTo(1000);

            await().atMost(WAIT).until(() -> deliveries(meters, "DELIVERED") > before);
            assertThat(deliveries(meters, "FAILED")).isZero();
            assertThat(emsp.received()).filteredOn(r -> r.path().endsWith("/" + id)).hasSize(1);
        } finally {
            emsp.moduleFaults("locations:RECEIVER", Fault.NONE);
        }
    }

    @Test
    void aCommandAnswerWithAByteOrderMarkIsStillWatchedForItsTimeout() {
        cpo.moduleFaults("commands:RECEIVER", Fault.BOM);
        cpo.commandBehaviour(AsyncResultBehaviour.ACCEPTED.withTimeout(1).neverSendResult());
        try {
            SimulatedResponse answer = emsp.call("POST", hubEndpoint(emsp, "commands:RECEIVER") + "/START_SESSION",
                    startSession(emsp.commandResultUrl("bom-timeout")), RoutingParties.route(emspRole, cpoRole))
                    .block(WAIT);
            assertThat(answer.httpStatus()).isEqualTo(200);
            assertThat(answer.rawBody()).contains("ACCEPTED");

            // the hub read the BOM'd CommandResponse as ACCEPTED with a timeout: its TIMEOUT comes
            RecordedRequest timeout = emsp.awaitRequest(r -> r.method().equals("POST")
                    && r.path().endsWith("/bom-timeout"), WAIT);
            assertThat(timeout.json().path("result").asString()).isEqualTo("TIMEOUT");
        } finally {
            cpo.moduleFaults("commands:RECEIVER", Fault.NONE);
        }
    }

    // ---- helpers ----

    private static double deliveries(MeterRegistry meters, String outcome) {
        return meters.find("ocpihub.broadcast.deliveries").tag("module", "locations").tag("outcome", outcome)
                .tag("receiver_id", emspId).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static void assertMethodNotAllowed(SimulatedResponse answer, String allowed) {
        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(405);
        assertThat(answer.statusCode()).isBetween(2000, 2999);
        assertThat(answer.statusMessage()).contains(allowed);
        assertThat(answer.body().has("timestamp")).isTrue();
        assertThat(internalRequests).isEmpty();
    }

    private String commandRelay(String resultId) {
        cpo.clearReceived();
        SimulatedResponse accepted = emsp.call("POST", hubEndpoint(emsp, "commands:RECEIVER") + "/START_SESSION",
                startSession(emsp.commandResultUrl(resultId)), RoutingParties.route(emspRole, cpoRole)).block(WAIT);
        assertThat(accepted.isSuccess()).as(accepted.rawBody()).isTrue();
        return cpo.awaitRequest(r -> r.method().equals("POST") && r.path().endsWith("/START_SESSION"), WAIT)
                .json().path("response_url").asString();
    }

    private SimulatedResponse getLocations() {
        return emsp.call("GET", hubEndpoint(emsp, "locations:SENDER") + "?limit=2", null,
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);
    }

    private static String hubEndpoint(SimulatedPlatform platform, String moduleInterface) {
        return platform.hubEndpoints().get(moduleInterface);
    }

    private static String linkTarget(String link) {
        assertThat(link).isNotNull();
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }

    private static String startSession(String responseUrl) {
        return "{\"response_url\":\"" + responseUrl + "\",\"token\":"
                + JSON.writeValueAsString(OcpiSamples.token(emspRole, "TOK1", Instant.now()))
                + ",\"location_id\":\"LOC1\"}";
    }

    private static String cdr(String id) {
        return OcpiSamples.cdr(cpoRole, id, emspRole, "TOK1", Instant.now()).toString();
    }

    private static String okEnvelope() {
        return "{\"status_code\":1000,\"status_message\":\"Success\",\"timestamp\":\"" + Instant.now() + "\"}";
    }

    private static String credentialsBody(String versionsUrl, PartyRole role) {
        return "{\"token\":\"token-b-" + System.nanoTime() + "\",\"url\":\"" + versionsUrl + "\",\"roles\":[{\"role\":\""
                + role.role() + "\",\"country_code\":\"" + role.countryCode() + "\",\"party_id\":\""
                + role.partyId() + "\",\"business_details\":{\"name\":\"" + role.businessName() + "\"}}]}";
    }
}
