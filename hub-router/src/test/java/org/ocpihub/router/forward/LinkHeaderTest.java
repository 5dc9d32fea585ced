package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8288 link-values: what the hub understands of a receiver's Link header, and what it leaves out. */
class LinkHeaderTest {

    @Test
    void linkValuesAreSplitOnCommasOutsideBracketsAndQuotes() {
        List<LinkHeader.LinkValue> values = LinkHeader.parse("<http://cpo/p?a=1,2>; rel=\"next\"; title=\"a, b\", "
                + "</prev>;rel=prev,,<x> ; REL = \"Next  Last\"");

        assertThat(values).extracting(LinkHeader.LinkValue::target).containsExactly("http://cpo/p?a=1,2", "/prev", "x");
        assertThat(values).extracting(LinkHeader.LinkValue::rels)
                .containsExactly(List.of("next"), List.of("prev"), List.of("next", "last"));
    }

    @Test
    void onlyTheFirstRelCountsAndEveryOtherParameterIsLeftOut() {
        List<LinkHeader.LinkValue> values = LinkHeader.parse(
                "<http://cpo/p>; anchor=\"http://127.0.0.1/x\"; rel=next; rel=\"http://evil/rel\"; type=\"text/html\"");

        assertThat(values).singleElement().satisfies(v -> {
            assertThat(v.rels()).containsExactly("next");
            assertThat(v.format("https://hub/p")).isEqualTo("<https://hub/p>; rel=\"next\"");
        });
    }

    /** Each of these fails the grammar, or has no rel of relation-type tokens: the link-value is dropped whole. */
    @ParameterizedTest
    @ValueSource(strings = {
            "<http://cpo/p>; rel=\"next\" <https://attacker.example/steal>; rel=\"next\"",
            "<http://cpo/p>",
            "<http://cpo/p>; title=\"x\"",
            "<http://cpo/p>; rel",
            "<http://cpo/p>; rel=\"https://attacker.example/rel\"",
            "<http://cpo/p>; rel=\"next\\\"",
            "<http://cpo/p>; rel=\"next",
            "<http://cpo/p; rel=\"next\"",
            "http://cpo/p; rel=\"next\"",
            "<http://cpo/p>; rel=\"\"",
            "<http://cpo/p>; rel=\"ne\u0001xt\"",
            "<http://cpo/p>; rel*=UTF-8''next",
            "<http://cpo/p>; =next; rel=next",
            "<http://cpo/p> rel=next",
            "<http://cpo/p>; rel=next; type=text/html"})
    void aLinkValueThatFailsIsDropped(String header) {
        assertThat(LinkHeader.parse(header)).isEmpty();
    }

    @Test
    void parsingGoesOnAfterAFailedLinkValue() {
        List<LinkHeader.LinkValue> values = LinkHeader.parse("<a>; title=\"<b>, c\" <d>, <e>; rel=\"next\"");

        assertThat(values).singleElement().extracting(LinkHeader.LinkValue::target).isEqualTo("e");
    }

    @Test
    void nullBlankAndOverlongHeadersGiveNothing() {
        assertThat(LinkHeader.parse(null)).isEmpty();
        assertThat(LinkHeader.parse("  ,  ")).isEmpty();
        assertThat(LinkHeader.parse("<x>; rel=next, ".repeat(2000))).isEmpty();
    }
}
