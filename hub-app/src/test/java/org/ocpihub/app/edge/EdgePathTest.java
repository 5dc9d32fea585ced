package org.ocpihub.app.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.MinimalPeer;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;

/**
 * Issue 7 items 1 and 10: authorization sees the path the router sees. Every ambiguous spelling of a protected path
 * is refused before any other filter (400, OCPI envelope under /ocpi, {"error"} elsewhere); harmless escapes and a
 * trailing slash are rewritten to the one canonical path, which then needs the same credential as the plain path;
 * a routed request's suffix reaches the receiver in that canonical form. Requests are written by hand
 * ({@link RawHttp}) so no client library normalises them first.
 */
class EdgePathTest {

    private static final int READ_TIMEOUT_MS = 10_000;

    private final RunningHub hub = RunningHub.shared();

    /** A protected path, how an answer that leaked looks, and the body format of a refusal. */
    private record Protected(String method, String path, boolean ocpi) {
    }

    private static final List<Protected> PROTECTED = List.of(
            new Protected("GET", "/admin/api/platforms", false),
            new Protected("POST", "/admin/api/platforms", false),
            new Protected("GET", "/ocpi/versions", true),
            new Protected("GET", "/ocpi/2.2.1/credentials", true),
            new Protected("GET", "/actuator/prometheus", false),
            new Protected("GET", "/actuator/health/full", false));

    /** Spellings that Reactor Netty or Spring's request adapter may refuse before the hub's filters see them. */
    private static final java.util.Set<String> BEFORE_THE_HUB = java.util.Set.of("a raw tab", "a raw backslash",
            "a raw non-ASCII character", "a malformed escape '%zz'", "a lone '%' at the end");

    /** Spellings the firewall refuses, applied to a path {@code /first/second/rest...}. */
    private static Map<String, String> ambiguousSpellings(String path) {
        int second = path.indexOf('/', 1);
        String first = path.substring(0, second);
        String rest = path.substring(second);
        Map<String, String> spellings = new LinkedHashMap<>();
        spellings.put("';x' parameter on the first segment", first + ";x" + rest);
        spellings.put("';x' parameter on the last segment", path + ";x");
        spellings.put("a trailing ';'", path + ";");
        spellings.put("'%3B' semicolon", first + "%3Bx" + rest);
        spellings.put("'%2F' slash", first + "%2F" + rest.substring(1));
        spellings.put("'%2f' slash", first + "%2f" + rest.substring(1));
        spellings.put("'%5C' backslash", first + "%5C" + rest.substring(1));
        spellings.put("'%5c' backslash", first + "%5c" + rest.substring(1));
        spellings.put("a raw backslash", first + "\\" + rest.substring(1));
        spellings.put("'%2E' dot segment", first + "/%2E" + rest);
        spellings.put("'%2e%2e' dot-dot segment", "/x/%2e%2e" + path);
        spellings.put("'%25' percent", path + "%2500");
        spellings.put("'%2561' double-encoded letter", "/%25" + Integer.toHexString(path.charAt(1)) + path.substring(2));
        spellings.put("'/./'", first + "/." + rest);
        spellings.put("'/../'", "/x/.." + path);
        spellings.put("a trailing '/..'", path + "/..");
        spellings.put("'//' at the start", "/" + path);
        spellings.put("'//' inside", first + "/" + rest);
        spellings.put("'%00'", path + "%00");
        spellings.put("'%09' tab", path + "%09");
        spellings.put("'%0A' line feed", path + "%0A");
        spellings.put("'%C3%A9' non-ASCII", path + "%C3%A9");
        spellings.put("a raw non-ASCII character", path + "\u00e9");
        spellings.put("a raw tab", path + "\tx");
        spellings.put("a malformed escape '%zz'", path + "%zz");
        spellings.put("a lone '%' at the end", path + "%");
        return spellings;
    }

    @Test
    void everyAmbiguousSpellingOfEveryProtectedPrefixIsRefusedAndCreatesNothing() {
        String marker = "edge-bypass-" + System.nanoTime();
        SoftAssertions softly = new SoftAssertions();
        int tried = 0;
        for (Protected target : PROTECTED) {
            for (Map.Entry<String, String> spelling : ambiguousSpellings(target.path()).entrySet()) {
                String what = target.method() + " " + target.path() + " spelled with " + spelling.getKey() + " ("
                        + spelling.getValue() + ")";
                RawHttp.Response answer = send(target.method(), spelling.getValue(), Map.of(),
                        target.method().equals("POST") ? MinimalPeer.createPlatformBody(marker, Parties.cpo()) : null);
                tried++;
                softly.assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(400);
                softly.assertThat(answer.body()).as(what).doesNotContain("token_a", "http_server_requests",
                        "jvm_", "\"components\"");
                if (answer.status() == 400 && !BEFORE_THE_HUB.contains(spelling.getKey())) {
                    // the hub's own refusal (the others are refused by the HTTP layer before any filter runs)
                    // the path and the part at fault, in plain words; 2001 on OCPI paths
                    softly.assertThat(answer.body()).as(what).contains("is ambiguous and was refused: it contains")
                            .doesNotContain("rejected", "malicious")
                            .contains(target.ocpi() ? "\"status_code\":2001" : "\"error\"");
                }
            }
        }
        softly.assertAll();
        assertThat(tried).isGreaterThanOrEqualTo(100);
        assertThat(hub.admin().get("/platforms").body().toString()).doesNotContain(marker);
    }

    /** The issue's inputs: {@code /admin;x/api/platforms} (curl --path-as-is) and {@code POST /%61dmin/...}. */
    @Test
    void theIssuesInputsGetNoAdminAnswer() {
        RawHttp.Response list = send("GET", "/admin;x/api/platforms", Map.of(), null);
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.json().get("error").asString())
                .isEqualTo("the request path /admin;x/api/platforms is ambiguous and was refused: it contains ';'"
                        + " (a path parameter)");

        String marker = "edge-escaped-" + System.nanoTime();
        RawHttp.Response created = send("POST", "/%61dmin/api/platforms", Map.of(),
                MinimalPeer.createPlatformBody(marker, Parties.cpo()));
        assertThat(created.status()).isEqualTo(401);
        assertThat(created.body()).doesNotContain("token_a");
        assertThat(hub.admin().get("/platforms").body().toString()).doesNotContain(marker);
    }

    /** Escaped ordinary characters and upper- or lower-case hex name the plain path, with its credential. */
    @Test
    void escapedLettersNameThePlainPathAndNeedItsCredential() {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + hub.adminToken());
        for (String spelling : List.of("/%61dmin/api/platforms", "/admin/%61pi/platforms", "/adm%69n/api/platforms",
                "/ADMIN/api/platforms".replace("ADMIN", "%61%64%6D%69%6E"), "/%61%64%6d%69%6e/api/platforms")) {
            assertThat(send("GET", spelling, Map.of(), null).status()).as(spelling).isEqualTo(401);
            RawHttp.Response withToken = send("GET", spelling, admin, null);
            assertThat(withToken.status()).as(spelling).isEqualTo(200);
            assertThat(withToken.body()).as(spelling).startsWith("[");
        }
        for (String spelling : List.of("/%6Fcpi/versions", "/ocpi/%76ersions", "/%6fcpi/2.2.1/credentials")) {
            RawHttp.Response answer = send("GET", spelling, Map.of(), null);
            assertThat(answer.status()).as(spelling).isEqualTo(401);
            assertThat(answer.json().get("status_code").asInt()).as(spelling).isEqualTo(2000);
        }
        for (String spelling : List.of("/actuator/%70rometheus", "/%61ctuator/prometheus", "/actuator/metrics/")) {
            RawHttp.Response answer = send("GET", spelling, Map.of(), null);
            assertThat(answer.status()).as(spelling).isEqualTo(401);
            assertThat(answer.body()).as(spelling).doesNotContain("jvm_", "http_server_requests");
        }
    }

    /**
     * Item 10: with or without a trailing slash is the same resource, on every kind of endpoint, and a routed
     * request's suffix reaches the receiver in one canonical spelling whatever the requester wrote.
     */
    @Test
    void aTrailingSlashIsTheSameResourceEverywhere() {
        RoutingParties parties = RoutingParties.register(hub);
        try (MinimalPeer peer = MinimalPeer.start()) {
            String emsp = RawHttp.ocpiToken(parties.emsp.tokenForHub().orElseThrow());
            for (String path : List.of("/ocpi/versions/", "/ocpi/2.2.1/", "/ocpi/2.2.1/credentials/",
                    "/ocpi/2.2.1/hubclientinfo/")) {
                RawHttp.Response answer = send("GET", path, Map.of("Authorization", emsp), null);
                assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
                assertThat(answer.json().get("status_code").asInt()).as(path).isEqualTo(1000);
            }
            RawHttp.Response platforms = send("GET", "/admin/api/platforms/",
                    Map.of("Authorization", "Bearer " + hub.adminToken()), null);
            assertThat(platforms.status()).isEqualTo(200);

            // the issue's input: POST /ocpi/2.2.1/credentials/ registers
            PartyRole cpo = Parties.cpo();
            RawHttp.Response created = send("POST", "/admin/api/platforms/",
                    Map.of("Authorization", "Bearer " + hub.adminToken()),
                    MinimalPeer.createPlatformBody("slash-cpo", cpo));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            RawHttp.Response registered = send("POST", "/ocpi/2.2.1/credentials/",
                    Map.of("Authorization", RawHttp.ocpiToken(created.json().get("token_a").asString())),
                    peer.credentialsBody("slash-token-b-" + System.nanoTime(), cpo));
            assertThat(registered.status()).as(registered.body()).isEqualTo(200);
            assertThat(registered.json().get("status_code").asInt()).as(registered.body()).isEqualTo(1000);
            hub.admin().call(org.springframework.http.HttpMethod.DELETE, "/platforms/"
                    + created.json().get("id").asString(), null);

            // routed: with a slash, with escaped letters: the receiver sees one spelling
            Map<String, String> routed = new LinkedHashMap<>(parties.emspToCpo());
            routed.put("Authorization", emsp);
            List<String> seen = new ArrayList<>();
            for (String path : List.of("/ocpi/2.2.1/locations/sender/LOC-S1", "/ocpi/2.2.1/locations/sender/LOC-S1/",
                    "/ocpi/2.2.1/locations/sender/%4COC%2DS1", "/ocpi/2.2.1/locations/%73ender/LOC-S1/")) {
                parties.cpo.clearReceived();
                RawHttp.Response answer = send("GET", path, routed, null);
                // the CPO does not know LOC-S1: its 404/2003 comes back; what matters is the path it was asked for
                assertThat(answer.json().get("status_code").asInt()).as(path + ": " + answer.body()).isEqualTo(2003);
                RecordedRequest arrived = parties.cpo.awaitRequest(r -> r.path().contains("/locations/sender"),
                        RoutingParties.WAIT);
                seen.add(arrived.path());
            }
            assertThat(seen).allSatisfy(p -> assertThat(p).isEqualTo(seen.get(0)).endsWith("/locations/sender/LOC-S1"));

            // a list GET with a slash is the list GET
            parties.cpo.clearReceived();
            assertThat(send("GET", "/ocpi/2.2.1/locations/sender/", routed, null).status()).isEqualTo(200);
            assertThat(parties.cpo.awaitRequest(r -> r.path().contains("/locations/sender"), RoutingParties.WAIT)
                    .path()).endsWith("/locations/sender");
        } finally {
            parties.closeAndRemove(hub);
        }
    }

    private RawHttp.Response send(String method, String target, Map<String, String> headers, String body) {
        try (RawHttp connection = RawHttp.to(hub.url(), READ_TIMEOUT_MS)) {
            return connection.send(method, target, headers, body);
        }
    }
}
