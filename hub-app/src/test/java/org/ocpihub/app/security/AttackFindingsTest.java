package org.ocpihub.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.OcpiClient;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;
import org.springframework.http.HttpMethod;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Faults found by trying the hub as an attacker would after issue 7 was closed (siblings of items 2, 4 and 12 that
 * the issue did not name). Each test states the right answer; each fails on the code it was written against.
 *
 * <ul>
 *   <li>A receiver's {@code Link} header: only the {@code <URI>} part of each link-value is rewritten; the
 *   parameters are copied verbatim, so a second {@code <URL>} written there reaches the requester unrewritten and
 *   unchecked (item 2: "drop an unsafe Link"; D5: a requester only ever sees hub URLs).</li>
 *   <li>A relative {@code Link} that is only a query ({@code <?offset=2&limit=2>}) is resolved with
 *   {@link java.net.URI#resolve} (RFC 2396), which drops the last path segment; RFC 3986 section 5.2.2 keeps the
 *   base path (item 12).</li>
 *   <li>The routing headers of a receiver's answer are passed to the requester as the receiver wrote them, so a
 *   receiver can answer in the name of another party (item 4's kind, on the answer's side).</li>
 *   <li>A {@code response_url} query parameter whose name is percent-encoded ({@code response%5Furl}) is not
 *   rewritten into a relay: the receiver gets the requester's own URL (item 2's kind).</li>
 *   <li>A party without a role that owns a module's data (a CPO pushing Tokens) is refused as a broadcaster but
 *   forwarded as a direct pusher (item 4's kind: the hub checks who may say what only on one of the two paths).</li>
 *   <li>A JSON field of the wrong type (credentials, admin API) is answered with Jackson's own message, which names
 *   Java types (item 8: "error messages name no Java class").</li>
 * </ul>
 * The members are simulated platforms on the shared test hub.
 */
class AttackFindingsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String LOCATIONS_SENDER = SimulatedPlatform.modulePath("locations", "SENDER");
    private static final Pattern LINK_URL = Pattern.compile("<([^>]*)>");

    /** The Link header the CPO puts on its locations page (null: none). */
    private static final AtomicReference<String> cpoLink = new AtomicReference<>();
    /** Extra headers the CPO puts on its locations page. */
    private static final AtomicReference<Map<String, String>> cpoHeaders = new AtomicReference<>(Map.of());

    private static RunningHub hub;
    private static PartyRole cpoRole;
    private static PartyRole emspRole;
    private static SimulatedPlatform cpo;
    private static SimulatedPlatform emsp;
    private static String cpoId;
    private static String emspId;

    @BeforeAll
    static void start() {
        hub = RunningHub.shared();
        cpoRole = Parties.cpo();
        emspRole = Parties.emsp();
        cpo = SimulatedPlatform.builder().name("attack-cpo").role(cpoRole)
                .modules("locations:SENDER", "tariffs:SENDER", "sessions:SENDER", "cdrs:SENDER",
                        "commands:RECEIVER", "chargingprofiles:RECEIVER", "tokens:RECEIVER", "hubclientinfo:RECEIVER")
                .route("GET", LOCATIONS_SENDER, request -> {
                    OcpiReply page = OcpiReply.ok(JsonNodeFactory.instance.arrayNode())
                            .withHeader("X-Total-Count", "6").withHeader("X-Limit", "2");
                    String link = cpoLink.get();
                    if (link != null) {
                        page = page.withHeader("Link", link);
                    }
                    for (Map.Entry<String, String> header : cpoHeaders.get().entrySet()) {
                        page = page.withHeader(header.getKey(), header.getValue());
                    }
                    return Mono.just(page);
                })
                .start();
        emsp = SimulatedPlatform.builder().name("attack-emsp").role(emspRole)
                .modules("tokens:SENDER", "locations:RECEIVER", "tariffs:RECEIVER", "sessions:RECEIVER",
                        "cdrs:RECEIVER", "commands:SENDER", "chargingprofiles:SENDER", "hubclientinfo:RECEIVER")
                .start();
        cpoId = RoutingParties.registerWith(hub, cpo, cpoRole);
        emspId = RoutingParties.registerWith(hub, emsp, emspRole);
    }

    @AfterAll
    static void stop() {
        RoutingParties.removeFrom(hub, cpo, cpoId);
        RoutingParties.removeFrom(hub, emsp, emspId);
    }

    @BeforeEach
    void reset() {
        cpoLink.set(null);
        cpoHeaders.set(Map.of());
    }

    // ---- item 2 sibling: a URL smuggled in a Link's parameters ----

    /**
     * {@code <next page>; rel="next" <https://attacker.example/steal>; rel="next"} (no comma between the two, so one
     * link-value to the hub's parser): the first URL is rewritten, the second is copied as written. An eMSP whose
     * Link parser takes the last {@code <…>; rel="next"} then sends its token for the hub to the attacker's URL.
     * Right: every URL the requester gets in a Link is a hub URL (or the value is dropped).
     */
    @Test
    void aUrlInALinksParametersNeverReachesTheRequesterUnrewritten() {
        cpoLink.set("<" + cpo.baseUrl() + LOCATIONS_SENDER + "?offset=2&limit=2>; rel=\"next\""
                + " <https://attacker.example/steal>; rel=\"next\"");

        SimulatedResponse page = getLocations();

        assertThat(page.httpStatus()).as(page.rawBody()).isEqualTo(200);
        String link = page.header("Link");
        if (link != null) {
            assertThat(link).doesNotContain("attacker.example").doesNotContain(cpo.baseUrl());
            assertThat(urlsIn(link)).allSatisfy(url -> assertThat(url).startsWith(hub.url() + "/ocpi/2.2.1/"));
        }
    }

    /** Sibling: the same smuggling through a link parameter's value ({@code anchor}, RFC 8288 section 3.2). */
    @Test
    void aUrlInALinkParameterValueNeverReachesTheRequester() {
        cpoLink.set("<" + cpo.baseUrl() + LOCATIONS_SENDER + "?offset=2&limit=2>; rel=\"next\"; anchor=\""
                + cpo.baseUrl() + "/internal\"");

        SimulatedResponse page = getLocations();

        assertThat(page.httpStatus()).as(page.rawBody()).isEqualTo(200);
        String link = page.header("Link");
        if (link != null) {
            assertThat(link).doesNotContain(cpo.baseUrl());
        }
    }

    // ---- item 12 sibling: a query-only relative Link ----

    /**
     * {@code <?offset=2&limit=2>} against the URL the hub called ({@code …/locations/sender?limit=2}) is
     * {@code …/locations/sender?offset=2&limit=2} (RFC 3986 section 5.2.2: an empty path keeps the base path), so
     * the hub maps it onto its own locations SENDER endpoint. Today it becomes a relay to {@code …/locations/?…}, a
     * resource the CPO never named.
     */
    @Test
    void aQueryOnlyRelativeLinkKeepsTheReceiversPath() {
        cpoLink.set("<?offset=2&limit=2>; rel=\"next\"");

        SimulatedResponse page = getLocations();
        String link = page.header("Link");
        assertThat(link).as("Link of %s", page.rawBody()).isNotNull();
        String next = urlsIn(link).get(0);

        assertThat(next).isEqualTo(hubEndpoint(emsp, "locations:SENDER") + "?offset=2&limit=2");

        cpoLink.set(null);
        SimulatedResponse followed = emsp.call("GET", next, null, RoutingParties.route(emspRole, cpoRole))
                .block(WAIT);
        assertThat(followed.httpStatus()).as(followed.rawBody()).isEqualTo(200);
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET") && r.path().equals(LOCATIONS_SENDER)
                && "offset=2&limit=2".equals(r.query()), WAIT);
        assertThat(atCpo).isNotNull();
    }

    // ---- item 4 sibling: an answer speaks for its sender only ----

    /**
     * The CPO answers a routed GET with {@code OCPI-from} = another CPO (and {@code OCPI-to} = that CPO too). The
     * requester must never be told that the answer comes from a party other than the one the hub routed to: the hub
     * either writes the routing headers of the answer itself or refuses the answer. Today they pass unchanged.
     */
    @Test
    void aReceiverCannotAnswerInTheNameOfAnotherParty() {
        PartyRole other = Parties.cpo();
        cpoHeaders.set(Map.of("OCPI-from-country-code", other.countryCode(), "OCPI-from-party-id", other.partyId(),
                "OCPI-to-country-code", other.countryCode(), "OCPI-to-party-id", other.partyId()));

        SimulatedResponse page = getLocations();

        assertThat(page.httpStatus()).as(page.rawBody()).isEqualTo(200);
        assertThat(page.header("OCPI-from-party-id")).isNotEqualTo(other.partyId());
        String from = page.header("OCPI-from-party-id");
        if (from != null) {
            assertThat(from).isEqualTo(cpoRole.partyId());
            assertThat(page.header("OCPI-from-country-code")).isEqualTo(cpoRole.countryCode());
        }
        String to = page.header("OCPI-to-party-id");
        if (to != null) {
            assertThat(to).isEqualTo(emspRole.partyId());
            assertThat(page.header("OCPI-to-country-code")).isEqualTo(emspRole.countryCode());
        }
    }

    // ---- item 2 sibling: a response_url the hub does not see is never forwarded ----

    /**
     * {@code GET …/chargingprofiles/{session}?duration=60&response%5Furl=<eMSP URL>}: every query parser on the
     * receiving side decodes the name to {@code response_url}, but the hub's rewrite looks for the literal
     * spelling, so the CPO gets the eMSP's own URL instead of a relay (no policy check, and a CPO behind the hub
     * cannot call it). Right: the parameter is rewritten like {@code response_url=}, or the request is refused
     * (2001); the CPO never sees the eMSP's URL.
     */
    @Test
    void anEncodedResponseUrlParameterNameIsRewrittenToo() {
        String original = "http://127.0.0.1:1/cb-enc";
        String url = hubEndpoint(emsp, "chargingprofiles:RECEIVER") + "/SES-ENC?duration=60&response%5Furl="
                + URLEncoder.encode(original, StandardCharsets.UTF_8);

        SimulatedResponse answer = emsp.call("GET", url, null, RoutingParties.route(emspRole, cpoRole)).block(WAIT);

        if (answer.statusCode() == 2001 && answer.header("OCPI-from-party-id") != null
                && answer.header("OCPI-from-party-id").equals("HUB")) {
            return; // refused: nothing forwarded (the hub answered itself)
        }
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET") && r.path().endsWith("/SES-ENC"),
                WAIT);
        assertThat(URLDecoder.decode(String.valueOf(atCpo.query()), StandardCharsets.UTF_8))
                .as(atCpo.line()).doesNotContain(original);
    }

    // ---- item 4 sibling: a direct push comes from a party that owns such data ----

    /**
     * A second CPO pushes a Token (eMSP data: TOK 12.2, "the eMSP pushes") straight to the first CPO, owner fields
     * its own, so every body check passes: a CPO can plant valid, {@code ALWAYS}-whitelisted tokens in another
     * CPO's authorization list. The hub refuses the same push as a broadcast ({@code BroadcastAcceptor}: "does not
     * own tokens data") but forwards it when it is addressed to one receiver. Right: the same role check for direct
     * pushes, 403/2001, nothing forwarded.
     */
    @Test
    void aPartyWithoutARoleOwningTheDataCannotPushItDirectly() {
        PartyRole otherCpoRole = Parties.cpo();
        try (SimulatedPlatform otherCpo = SimulatedPlatform.builder().name("attack-cpo2").role(otherCpoRole)
                .modules("locations:SENDER", "hubclientinfo:RECEIVER").start()) {
            String otherId = RoutingParties.registerWith(hub, otherCpo, otherCpoRole);
            try {
                String uid = "FREE-" + otherCpoRole.partyId();
                String token = OcpiSamples.token(otherCpoRole, uid, Instant.now()).put("whitelist", "ALWAYS")
                        .toString();
                String url = hubEndpoint(otherCpo, "tokens:RECEIVER") + "/" + otherCpoRole.countryCode() + "/"
                        + otherCpoRole.partyId() + "/" + uid;

                SimulatedResponse answer = otherCpo.call("PUT", url, token,
                        RoutingParties.route(otherCpoRole, cpoRole)).block(WAIT);

                assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(403);
                assertThat(answer.statusCode()).isEqualTo(2001);
                assertThat(cpo.received()).noneMatch(r -> r.path().contains(uid));
            } finally {
                hub.admin().call(HttpMethod.DELETE, "/platforms/" + otherId, null);
            }
        }
    }

    // ---- item 8 sibling: no Java type names in answers ----

    /**
     * A field of the wrong JSON type, on the credentials endpoint (token A) and on the admin API: the answer names the
     * field (2001 / 400) but no Java type. Today Jackson's own text reaches the client, e.g. "Cannot deserialize value
     * of type `ArrayList<CredentialsRole>` from String value (token `JsonToken.VALUE_STRING`)".
     */
    @ParameterizedTest
    @ValueSource(strings = {"\"roles\":\"CPO\"", "\"roles\":[{\"role\":\"KING\",\"country_code\":\"ZZ\","
            + "\"party_id\":\"ZZZ\",\"business_details\":{\"name\":\"x\"}}]",
            "\"roles\":[{\"role\":\"CPO\",\"country_code\":\"ZZ\",\"party_id\":\"ZZZ\",\"business_details\":\"x\"}]",
            "\"token\":{\"a\":1},\"roles\":[]"})
    void aFieldOfTheWrongTypeIsAnsweredWithoutJavaTypeNames(String fields) {
        PartyRole role = Parties.cpo();
        AdminClient.Answer created = hub.admin().createPlatform("attack-types", List.of(role));
        String tokenA = created.text("token_a");
        String body = "{\"url\":\"" + cpo.baseUrl() + "/ocpi/versions\"," + (fields.contains("\"token\"") ? ""
                : "\"token\":\"t\",") + fields + "}";

        try (OcpiClient client = OcpiClient.create(TokenEncoding.BASE64)) {
            SimulatedResponse answer = client.send("POST", hub.url() + "/ocpi/2.2.1/credentials", tokenA, body)
                    .block(WAIT);
            assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
            assertThat(answer.statusCode()).isEqualTo(2001);
            assertNoJavaTypeNames(answer.statusMessage());
        }

        AdminClient.Answer admin = hub.admin().call(HttpMethod.POST, "/platforms",
                "{\"name\":\"attack-types\"," + fields.replace("\"token\":{\"a\":1},", "\"token_encoding\":{\"a\":1},")
                        + "}");
        hub.admin().call(HttpMethod.DELETE, "/platforms/" + created.text("id"), null);
        assertThat(admin.status()).as(String.valueOf(admin.body())).isEqualTo(400);
        assertNoJavaTypeNames(admin.error());
    }

    private static void assertNoJavaTypeNames(String message) {
        assertThat(message).isNotNull()
                .doesNotContain("`")
                .doesNotContain("deserialize")
                .doesNotContain("JsonToken")
                .doesNotContain("Enum class")
                .doesNotContain("ArrayList")
                .doesNotContain("CredentialsRole")
                .doesNotContain("BusinessDetails")
                .doesNotContain("Creator");
    }

    private SimulatedResponse getLocations() {
        return emsp.call("GET", hubEndpoint(emsp, "locations:SENDER") + "?limit=2", null,
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);
    }

    private static String hubEndpoint(SimulatedPlatform platform, String moduleInterface) {
        return platform.hubEndpoints().get(moduleInterface);
    }

    private static List<String> urlsIn(String link) {
        List<String> urls = new ArrayList<>();
        Matcher matcher = LINK_URL.matcher(link);
        while (matcher.find()) {
            urls.add(matcher.group(1));
        }
        return urls;
    }
}
