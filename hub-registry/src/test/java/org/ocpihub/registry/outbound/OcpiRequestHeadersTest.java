package org.ocpihub.registry.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.credentials.TokenCodec;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.secret.Secret;
import org.springframework.http.HttpHeaders;

import io.netty.handler.codec.http.DefaultHttpHeaders;

/** The one writer of outbound OCPI headers (SC 4.1.3, 4.1.4; TF 4.1.8). */
class OcpiRequestHeadersTest {

    private static final Secret TOKEN = new Secret("the-members-token");

    @Test
    void aRoutedCallCarriesTheTokenNewRequestIdsTheCorrelationAndTheRoutingHeaders() {
        OcpiRequestHeaders headers = OcpiRequestHeaders.withToken(TOKEN, TokenEncoding.BASE64)
                .correlatedWith("corr-1").routed(new PartyId("NL", "HUB"), new PartyId("DE", "EMS"));
        HttpHeaders first = new HttpHeaders();
        HttpHeaders second = new HttpHeaders();
        headers.writeTo(first);
        headers.writeTo(second);

        assertThat(first.getFirst(OcpiHeaders.AUTHORIZATION))
                .isEqualTo(TokenCodec.authorizationHeader(TOKEN.value(), TokenEncoding.BASE64));
        assertThat(first.getFirst(OcpiHeaders.CORRELATION_ID)).isEqualTo("corr-1");
        assertThat(first.getFirst(OcpiHeaders.REQUEST_ID)).isNotBlank()
                .as("a new X-Request-ID per call").isNotEqualTo(second.getFirst(OcpiHeaders.REQUEST_ID));
        assertThat(first.getFirst(OcpiHeaders.FROM_COUNTRY_CODE)).isEqualTo("NL");
        assertThat(first.getFirst(OcpiHeaders.FROM_PARTY_ID)).isEqualTo("HUB");
        assertThat(first.getFirst(OcpiHeaders.TO_COUNTRY_CODE)).isEqualTo("DE");
        assertThat(first.getFirst(OcpiHeaders.TO_PARTY_ID)).isEqualTo("EMS");
        assertThat(first.getFirst("Accept")).isEqualTo("application/json");
    }

    @Test
    void aConfigurationCallHasNoRoutingHeadersAndItsOwnCorrelation() {
        DefaultHttpHeaders netty = new DefaultHttpHeaders();
        netty.set(OcpiHeaders.AUTHORIZATION, "Token the-requesters-token"); // replaced, never added to
        OcpiRequestHeaders.withToken(TOKEN, TokenEncoding.RAW).writeTo(netty);

        assertThat(netty.getAll(OcpiHeaders.AUTHORIZATION)).containsExactly("Token " + TOKEN.value());
        assertThat(netty.get(OcpiHeaders.CORRELATION_ID)).isNotBlank();
        assertThat(netty.contains(OcpiHeaders.FROM_COUNTRY_CODE)).isFalse();
        assertThat(netty.contains(OcpiHeaders.TO_PARTY_ID)).isFalse();
    }

    @Test
    void theTokenNeverAppearsInItsDescription() {
        assertThat(OcpiRequestHeaders.withToken(TOKEN, TokenEncoding.BASE64).toString())
                .doesNotContain(TOKEN.value(), TokenCodec.authorizationHeader(TOKEN.value(), TokenEncoding.BASE64));
    }
}
