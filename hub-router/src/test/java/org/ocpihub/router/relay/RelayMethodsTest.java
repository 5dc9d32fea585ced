package org.ocpihub.router.relay;

import org.ocpihub.ocpi.module.RelayKind;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** Issue 7 item 3: each relay kind keeps the one method its URL was handed out for. */
class RelayMethodsTest {

    @Test
    void resultsArePostedAndLocationsAndPagesAreRead() {
        assertThat(RelayResolution.allowed(RelayKind.COMMAND)).isEqualTo(HttpMethod.POST);
        assertThat(RelayResolution.allowed(RelayKind.CHARGING_PROFILE)).isEqualTo(HttpMethod.POST);
        assertThat(RelayResolution.allowed(RelayKind.CDR_LOCATION)).isEqualTo(HttpMethod.GET);
        assertThat(RelayResolution.allowed(RelayKind.PAGE)).isEqualTo(HttpMethod.GET);
    }
}
