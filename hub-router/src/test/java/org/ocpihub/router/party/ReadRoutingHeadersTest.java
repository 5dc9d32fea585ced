package org.ocpihub.router.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.start;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** READ_HEADERS: the from-pair is required, the to-pair comes whole or not at all, values are short ASCII. */
class ReadRoutingHeadersTest {

    private final ReadRoutingHeaders step = new ReadRoutingHeaders();

    private static MockServerHttpRequest.BaseBuilder<?> get() {
        return MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender");
    }

    @Test
    void bothPairsAreRead() {
        RoutingContext next = passed(step.apply(start(get().header("OCPI-from-country-code", "NL")
                .header("OCPI-from-party-id", "CPO").header("OCPI-to-country-code", "DE")
                .header("OCPI-to-party-id", "EMS").build(), cpo())));

        assertThat(next.headers().from()).isEqualTo(CPO);
        assertThat(next.headers().to()).contains(EMSP);
    }

    @Test
    void withoutATopairTheCallIsForOpenRouting() {
        RoutingContext next = passed(step.apply(start(get().header("OCPI-from-country-code", "NL")
                .header("OCPI-from-party-id", "CPO").build(), cpo())));

        assertThat(next.headers().to()).isEqualTo(Optional.empty());
    }

    @Test
    void aMissingFromPairIsRefusedNamingTheHeaders() {
        assertRefused(step.apply(start(get().build(), cpo())), HttpStatus.BAD_REQUEST,
                OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "missing routing headers OCPI-from-country-code and OCPI-from-party-id");
    }

    @Test
    void halfAPairIsRefusedNamingTheMissingHeader() {
        assertRefused(step.apply(start(get().header("OCPI-from-country-code", "NL")
                        .header("OCPI-from-party-id", "CPO").header("OCPI-to-country-code", "DE").build(), cpo())),
                HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "header OCPI-to-party-id is missing: OCPI-to-country-code and OCPI-to-party-id come together");
    }

    @Test
    void aValueTooLongOrNotAsciiIsRefusedNamingTheHeader() {
        assertRefused(step.apply(start(get().header("OCPI-from-country-code", "NLD")
                        .header("OCPI-from-party-id", "CPO").build(), cpo())),
                HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "header OCPI-from-country-code must be at most 2 printable ASCII characters");
        assertRefused(step.apply(start(get().header("OCPI-from-country-code", "NL")
                        .header("OCPI-from-party-id", "C\u00c9O").build(), cpo())),
                HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "header OCPI-from-party-id must be at most 3 printable ASCII characters");
    }
}
