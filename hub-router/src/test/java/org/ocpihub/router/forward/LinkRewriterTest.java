package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7 item 12: Link and Location values, relative or absolute, resolved against the URL the hub called. */
class LinkRewriterTest {

    private static final String RECEIVER = "http://cpo.example.com/ocpi/2.2.1/locations/sender";
    private static final String HUB = "https://hub.example.com/ocpi/2.2.1/locations/sender";
    private static final URI CALLED = URI.create(RECEIVER + "?offset=0&limit=2");

    private final List<String> relayed = new ArrayList<>();
    private final UnaryOperator<String> relay = url -> {
        relayed.add(url);
        return "https://hub.example.com/ocpi/2.2.1/relay/R" + relayed.size();
    };

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/ocpi/2.2.1/locations/sender?offset=2&limit=2|?offset=2&limit=2",
            "../locations/sender?offset=4&limit=2|?offset=4&limit=2",
            "sender?offset=6&limit=2|?offset=6&limit=2",
            "./sender/LOC1|/LOC1",
            "http://cpo.example.com/ocpi/2.2.1/locations/sender?offset=8|?offset=8",
            "http://cpo.example.com/ocpi/2.2.1/locations/sender/x/../LOC2|/LOC2"})
    void urlsUnderTheReceiversEndpointMapOntoTheHubs(String value, String tail) {
        assertThat(LinkRewriter.rewrite(value, CALLED, RECEIVER, HUB, relay)).isEqualTo(HUB + tail);
        assertThat(relayed).isEmpty();
    }

    @Test
    void theIssuesLinkHeaderIsRewrittenWithItsParameters() {
        String header = "</ocpi/2.2.1/locations/sender?offset=2&limit=2>; rel=\"next\"";

        assertThat(LinkRewriter.rewriteLinkHeader(header, CALLED, RECEIVER, HUB, relay))
                .isEqualTo("<" + HUB + "?offset=2&limit=2>; rel=\"next\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ocpi/cdrs/store/1", "https://other.example.com/page?2",
            "http://cpo.example.com/ocpi/2.2.1/locations/senderX"})
    void otherUrlsGoToTheFallbackAbsolute(String value) {
        assertThat(LinkRewriter.rewrite(value, CALLED, RECEIVER, HUB, relay)).startsWith(
                "https://hub.example.com/ocpi/2.2.1/relay/");
        assertThat(relayed).singleElement().asString().startsWith("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://exa mple.com/x", "javascript:alert(1)", "//", "", " ", "ftp://cpo.example.com/x",
            "http://user:pw@cpo.example.com/ocpi/2.2.1/locations/sender", "/../../etc/passwd", "mailto:a@b.c",
            "http://[::1/x", "%zz"})
    void junkIsDropped(String value) {
        assertThat(LinkRewriter.rewrite(value, CALLED, RECEIVER, HUB, relay)).isNull();
        assertThat(relayed).isEmpty();
    }

    @Test
    void aHeaderKeepsItsGoodPartsAndDropsTheRest() {
        String header = "<http://exa mple.com/x>; rel=\"prev\", </ocpi/2.2.1/locations/sender?offset=2>; rel=\"next\"";

        assertThat(LinkRewriter.rewriteLinkHeader(header, CALLED, RECEIVER, HUB, relay))
                .isEqualTo("<" + HUB + "?offset=2>; rel=\"next\"");
        assertThat(LinkRewriter.rewriteLinkHeader("no brackets at all", CALLED, RECEIVER, HUB, relay)).isNull();
        assertThat(LinkRewriter.rewriteLinkHeader("<https://other.example.com/p>; rel=\"next\"", CALLED, RECEIVER,
                HUB, url -> null)).isNull();
    }

    // ---- attack findings 2 and 5, and their siblings ----

    /** A second URL after a link-value's parameters (no comma): not a link-value; nothing of it reaches the requester. */
    @Test
    void aUrlAfterTheParametersDropsTheWholeLinkValue() {
        String header = "<" + RECEIVER + "?offset=2&limit=2>; rel=\"next\" <https://attacker.example/steal>; rel=\"next\"";

        assertThat(LinkRewriter.rewriteLinkHeader(header, CALLED, RECEIVER, HUB, relay)).isNull();
        assertThat(relayed).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"; anchor=\"http://127.0.0.1/internal\"", "; title=\"see http://attacker.example/\"",
            "; type=\"application/json\"; hreflang=en", "; rev=\"http://attacker.example/x\"",
            "; title*=UTF-8'de'n%c3%a4chstes", "; x-extension=\"https://attacker.example\""})
    void everyParameterButRelIsDropped(String parameters) {
        String header = "<" + RECEIVER + "?offset=2>; rel=\"next\"" + parameters;

        assertThat(LinkRewriter.rewriteLinkHeader(header, CALLED, RECEIVER, HUB, relay))
                .isEqualTo("<" + HUB + "?offset=2>; rel=\"next\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?offset=4|?offset=4",
            "?offset=4&limit=2|?offset=4&limit=2",
            "HTTP://CPO.EXAMPLE.COM:80/ocpi/2.2.1/locations/sender?offset=2|?offset=2"})
    void queryOnlyAndDifferentlySpelledOriginsMapOntoTheHub(String value, String tail) {
        assertThat(LinkRewriter.rewrite(value, CALLED, RECEIVER, HUB, relay)).isEqualTo(HUB + tail);
        assertThat(LinkRewriter.rewriteLinkHeader("<" + value + ">; rel=next", CALLED, RECEIVER, HUB, relay))
                .isEqualTo("<" + HUB + tail + ">; rel=\"next\"");
        assertThat(relayed).isEmpty();
    }

    /** Under the receiver's endpoint, but a suffix the hub's edge firewall would refuse: dropped, never relayed. */
    @ParameterizedTest
    @ValueSource(strings = {"/%2e%2e/%2e%2e/admin", "/..%2fadmin", "/LOC%2F1", "/LOC%2E1", "/a%5cb", "/a%25b",
            "/a;b", "/a%3Bb", "/LOC1//x", "/%09LOC", "/LOC%7F", "/LOC%C3%A9"})
    void aSuffixTheEdgeFirewallRefusesIsDropped(String suffix) {
        assertThat(LinkRewriter.rewrite(RECEIVER + suffix, CALLED, RECEIVER, HUB, relay)).isNull();
        assertThat(LinkRewriter.rewriteLinkHeader("<" + RECEIVER + suffix + ">; rel=\"next\"", CALLED, RECEIVER,
                HUB, relay)).isNull();
        assertThat(relayed).isEmpty();
    }

    @Test
    void severalLinkValuesKeepTheirOrderAndRelations() {
        String header = "<?offset=4>; rel=\"next\"; title=x, <https://other.example.com/p>; rel=\"last\", "
                + "<?offset=0>; rel=\"first prev\"";

        assertThat(LinkRewriter.rewriteLinkHeader(header, CALLED, RECEIVER, HUB, relay)).isEqualTo(
                "<" + HUB + "?offset=4>; rel=\"next\", <https://hub.example.com/ocpi/2.2.1/relay/R1>; rel=\"last\", <"
                        + HUB + "?offset=0>; rel=\"first prev\"");
        assertThat(relayed).containsExactly("https://other.example.com/p");
    }
    // ---- issue 8 item 6: what a requester checks in a rewritten Link or Location ----

    /** OCPI pagination (TF 4.1.8.5 via SC 4.1.3): next, prev, first, last each keep their relation, upper case read. */
    @ParameterizedTest
    @ValueSource(strings = {"next", "prev", "first", "last", "NEXT"})
    void eachPagingRelationIsKeptLowerCaseAndQuoted(String rel) {
        String header = "<" + RECEIVER + "?offset=10&limit=5>; rel=" + rel;

        assertThat(LinkRewriter.rewriteLinkHeader(header, CALLED, RECEIVER, HUB, relay))
                .isEqualTo("<" + HUB + "?offset=10&limit=5>; rel=\"" + rel.toLowerCase(java.util.Locale.ROOT) + "\"");
    }

    /** The query is the receiver's, byte for byte: encoded values and parameters the hub does not know survive. */
    @Test
    void theQueryIsKeptAsWritten() {
        String value = RECEIVER + "?date_from=2026-11-30T10%3A00%3A00Z&offset=2&limit=2&cursor=a%2Bb";

        assertThat(LinkRewriter.rewrite(value, CALLED, RECEIVER, HUB, relay))
                .isEqualTo(HUB + "?date_from=2026-11-30T10%3A00%3A00Z&offset=2&limit=2&cursor=a%2Bb");
    }

    /** Trailing slashes on either endpoint do not double or lose a slash. */
    @Test
    void trailingSlashesOnTheEndpointsAreIgnored() {
        assertThat(LinkRewriter.rewrite(RECEIVER + "/LOC1", CALLED, RECEIVER + "/", HUB + "/", relay))
                .isEqualTo(HUB + "/LOC1");
        assertThat(LinkRewriter.rewrite(RECEIVER + "?offset=2", CALLED, RECEIVER + "/", HUB, relay))
                .isEqualTo(HUB + "?offset=2");
    }

    /** Another port, scheme or host is another origin: relayed (the hub calls it later), never mapped. */
    @ParameterizedTest
    @ValueSource(strings = {"http://cpo.example.com:8080/ocpi/2.2.1/locations/sender?offset=2",
            "https://cpo.example.com/ocpi/2.2.1/locations/sender?offset=2",
            "http://cpo.example.com.attacker.example/ocpi/2.2.1/locations/sender?offset=2"})
    void anotherOriginIsRelayedNotMapped(String value) {
        assertThat(LinkRewriter.rewrite(value, CALLED, RECEIVER, HUB, relay))
                .isEqualTo("https://hub.example.com/ocpi/2.2.1/relay/R1");
        assertThat(relayed).containsExactly(value);
    }

    /** A CDR's Location (CDR 10.2.2.2) on another host of the CPO: relayed; the fallback's refusal drops it. */
    @Test
    void aCdrLocationElsewhereIsRelayedOrDroppedWhenTheFallbackRefuses() {
        URI posted = URI.create("http://cpo.example.com/ocpi/2.2.1/cdrs/receiver");
        assertThat(LinkRewriter.rewrite("https://cdr-store.cpo.example.com/cdrs/CDR1", posted,
                "http://cpo.example.com/ocpi/2.2.1/cdrs/receiver", "https://hub.example.com/ocpi/2.2.1/cdrs/receiver",
                relay)).isEqualTo("https://hub.example.com/ocpi/2.2.1/relay/R1");
        assertThat(LinkRewriter.rewrite("http://10.0.0.5/cdrs/CDR1", posted,
                "http://cpo.example.com/ocpi/2.2.1/cdrs/receiver", "https://hub.example.com/ocpi/2.2.1/cdrs/receiver",
                url -> null)).isNull();
    }

    /** A link-value without rel, or whose rel is not a relation-type token, is dropped; the rest of the header stays. */
    @ParameterizedTest
    @ValueSource(strings = {"", "; title=next", "; rel=\"http://attacker.example/rel\"", "; rel", "; rel=\"\""})
    void aLinkValueWithoutAUsableRelIsDropped(String parameters) {
        String header = "<" + RECEIVER + "?offset=2>" + parameters + ", <" + RECEIVER + "?offset=0>; rel=\"first\"";

        assertThat(LinkRewriter.rewriteLinkHeader(header, CALLED, RECEIVER, HUB, relay))
                .isEqualTo("<" + HUB + "?offset=0>; rel=\"first\"");
    }

    @Test
    void anEmptyOrOverlongHeaderGivesNothing() {
        assertThat(LinkRewriter.rewriteLinkHeader("", CALLED, RECEIVER, HUB, relay)).isNull();
        String huge = "<" + RECEIVER + "?offset=2>; rel=\"next\"; title=\"" + "x".repeat(LinkHeader.MAX_LENGTH)
                + "\"";
        assertThat(LinkRewriter.rewriteLinkHeader(huge, CALLED, RECEIVER, HUB, relay)).isNull();
        assertThat(relayed).isEmpty();
    }
}
