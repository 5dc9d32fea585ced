package org.ocpihub.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;

/** The one path every decision uses, and its one raw spelling (issue 7 items 1 and 10). */
class HubPathsTest {

    @Test
    void decodedPathIsWhatRequestMappingMatches() {
        assertThat(HubPaths.decoded(PathContainer.parsePath("/%61dmin/api/platforms"))).isEqualTo("/admin/api/platforms");
        assertThat(HubPaths.decoded(PathContainer.parsePath("/admin;x/api/platforms"))).isEqualTo("/admin/api/platforms");
        assertThat(HubPaths.decoded(PathContainer.parsePath("/ocpi/2.2.1/credentials/"))).isEqualTo(
                "/ocpi/2.2.1/credentials");
        assertThat(HubPaths.decoded(PathContainer.parsePath("/"))).isEqualTo("/");
    }

    @Test
    void canonicalSpellingReencodesWithUpperCaseHexAndDropsTheTrailingSlash() {
        assertThat(HubPaths.canonicalRawPath(PathContainer.parsePath("/ocpi/2.2.1/locations/sender/%4coc%2d1/")))
                .isEqualTo("/ocpi/2.2.1/locations/sender/Loc-1");
        assertThat(HubPaths.canonicalRawPath(PathContainer.parsePath("/ocpi/2.2.1/tokens/receiver/NL/EMP/a%20b")))
                .isEqualTo("/ocpi/2.2.1/tokens/receiver/NL/EMP/a%20b");
        assertThat(HubPaths.canonicalRawPath(PathContainer.parsePath("/x/a%3fb"))).isEqualTo("/x/a%3Fb");
        assertThat(HubPaths.canonicalRawPath(PathContainer.parsePath("/x/a+b:c@d"))).isEqualTo("/x/a+b:c@d");
    }

    @Test
    void prefixesMatchWholeSegments() {
        assertThat(HubPaths.isAdminApi("/admin/api")).isTrue();
        assertThat(HubPaths.isAdminApi("/admin/api/platforms")).isTrue();
        assertThat(HubPaths.isAdminApi("/admin/apis")).isFalse();
        assertThat(HubPaths.isActuator("/actuator/prometheus")).isTrue();
        assertThat(HubPaths.isOcpi("/ocpix")).isFalse();
    }
}
