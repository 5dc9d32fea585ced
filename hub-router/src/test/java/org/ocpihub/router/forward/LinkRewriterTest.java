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
}
