package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3986 section 5.2 reference resolution, with the RFC's own examples (5.4.1 normal, 5.4.2 abnormal). */
class UriReferencesTest {

    private static final URI BASE = URI.create("http://a/b/c/d;p?q");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "g:h|g:h", "g|http://a/b/c/g", "./g|http://a/b/c/g", "g/|http://a/b/c/g/", "/g|http://a/g",
            "//g|http://g", "?y|http://a/b/c/d;p?y", "g?y|http://a/b/c/g?y", "#s|http://a/b/c/d;p?q",
            "g#s|http://a/b/c/g", "g?y#s|http://a/b/c/g?y", ";x|http://a/b/c/;x", "g;x|http://a/b/c/g;x",
            "g;x?y#s|http://a/b/c/g;x?y", ".|http://a/b/c/", "./|http://a/b/c/", "..|http://a/b/",
            "../|http://a/b/", "../g|http://a/b/g", "../..|http://a/", "../../|http://a/", "../../g|http://a/g",
            // 5.4.2
            "/./g|http://a/g", "g.|http://a/b/c/g.", ".g|http://a/b/c/.g", "g..|http://a/b/c/g..",
            "..g|http://a/b/c/..g", "./../g|http://a/b/g", "./g/.|http://a/b/c/g/", "g/./h|http://a/b/c/g/h",
            "g/../h|http://a/b/c/h", "g;x=1/./y|http://a/b/c/g;x=1/y", "g;x=1/../y|http://a/b/c/y",
            "g?y/./x|http://a/b/c/g?y/./x", "g?y/../x|http://a/b/c/g?y/../x"})
    void theRfcsExamplesResolveAsTheRfcSays(String reference, String target) {
        assertThat(UriReferences.resolve(BASE, reference)).hasToString(target);
    }

    /** The case java.net.URI.resolve (RFC 2396) gets wrong: a query-only reference keeps the last path segment. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?offset=4|http://cpo/ocpi/2.2.1/locations/sender?offset=4",
            "?offset=4&limit=2|http://cpo/ocpi/2.2.1/locations/sender?offset=4&limit=2",
            "''|http://cpo/ocpi/2.2.1/locations/sender?limit=2"})
    void aQueryOnlyReferenceKeepsTheBasePath(String reference, String target) {
        URI base = URI.create("http://cpo/ocpi/2.2.1/locations/sender?limit=2");
        assertThat(UriReferences.resolve(base, reference)).hasToString(target);
    }

    @org.junit.jupiter.api.Test
    void javaNetUriResolveWouldDropTheLastSegment() {
        URI base = URI.create("http://cpo/ocpi/2.2.1/locations/sender?limit=2");
        assertThat(base.resolve("?offset=4")).hasToString("http://cpo/ocpi/2.2.1/locations/?offset=4");
        assertThat(UriReferences.resolve(base, "?offset=4")).hasToString("http://cpo/ocpi/2.2.1/locations/sender?offset=4");
    }

    /** The RFC clamps these to the root; the hub refuses them (no honest receiver climbs above its root). */
    @ParameterizedTest
    @ValueSource(strings = {"../../../g", "../../../../g", "/../g", "/a/../../g", "http://a/../x", "%zz", "http://[::1"})
    void aReferenceClimbingAboveTheRootOrMalformedIsRefused(String reference) {
        assertThat(UriReferences.resolve(BASE, reference)).isNull();
    }
}
