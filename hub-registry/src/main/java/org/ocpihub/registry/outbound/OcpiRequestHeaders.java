package org.ocpihub.registry.outbound;

import java.util.function.BiConsumer;

import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.credentials.TokenCodec;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.secret.Secret;

/**
 * The one writer of the OCPI headers on every call the hub makes to a member platform (SC 4.1.3, 4.1.4; TF 4.1.8):
 * {@code Authorization: Token …} with the platform's token in the encoding it expects, a new {@code X-Request-ID},
 * the {@code X-Correlation-ID} of the exchange the call belongs to (a new one when the hub starts the exchange), the
 * routing headers {@code OCPI-from-*} / {@code OCPI-to-*} when the call has them (functional modules; configuration
 * modules have none), and {@code Accept: application/json}. Immutable; {@link #toString} never shows the token.
 */
public record OcpiRequestHeaders(Secret token, TokenEncoding encoding, String correlationId, String fromCountryCode,
                                 String fromPartyId, String toCountryCode, String toPartyId) {

    /** Headers for a call authorized with the platform's {@code token} (the one it issued to the hub). */
    public static OcpiRequestHeaders withToken(Secret token, TokenEncoding encoding) {
        return new OcpiRequestHeaders(token, encoding, null, null, null, null, null);
    }

    /** The same headers in the exchange {@code id} (null: a new correlation id for each call). */
    public OcpiRequestHeaders correlatedWith(String id) {
        return new OcpiRequestHeaders(token, encoding, id, fromCountryCode, fromPartyId, toCountryCode, toPartyId);
    }

    /** The same headers with routing headers from {@code from} to {@code to} (either may be null: not sent). */
    public OcpiRequestHeaders routed(PartyId from, PartyId to) {
        return routed(from == null ? null : from.countryCode(), from == null ? null : from.partyId(),
                to == null ? null : to.countryCode(), to == null ? null : to.partyId());
    }

    /** The same headers with routing headers as given; a null value is not sent. */
    public OcpiRequestHeaders routed(String fromCountryCode, String fromPartyId, String toCountryCode,
                                     String toPartyId) {
        return new OcpiRequestHeaders(token, encoding, correlationId, fromCountryCode, fromPartyId, toCountryCode,
                toPartyId);
    }

    /** Writes the headers through {@code set} (name, value), replacing what was there; a new request id each time. */
    public void writeTo(BiConsumer<String, String> set) {
        set.accept(OcpiHeaders.AUTHORIZATION, TokenCodec.authorizationHeader(token.value(), encoding));
        set.accept(OcpiHeaders.REQUEST_ID, MessageIds.next());
        set.accept(OcpiHeaders.CORRELATION_ID, correlationId == null ? MessageIds.next() : correlationId);
        setIfPresent(set, OcpiHeaders.FROM_COUNTRY_CODE, fromCountryCode);
        setIfPresent(set, OcpiHeaders.FROM_PARTY_ID, fromPartyId);
        setIfPresent(set, OcpiHeaders.TO_COUNTRY_CODE, toCountryCode);
        setIfPresent(set, OcpiHeaders.TO_PARTY_ID, toPartyId);
        set.accept("Accept", "application/json");
    }

    /** Writes the headers into Netty's request headers (the forwarding hot path). */
    public void writeTo(io.netty.handler.codec.http.HttpHeaders headers) {
        writeTo(headers::set);
    }

    /** Writes the headers into Spring's request headers (WebClient calls). */
    public void writeTo(org.springframework.http.HttpHeaders headers) {
        writeTo(headers::set);
    }

    private static void setIfPresent(BiConsumer<String, String> set, String name, String value) {
        if (value != null) {
            set.accept(name, value);
        }
    }

    @Override
    public String toString() {
        return "OcpiRequestHeaders[token=" + token + ", from=" + fromCountryCode + "/" + fromPartyId + ", to="
                + toCountryCode + "/" + toPartyId + ", correlationId=" + correlationId + "]";
    }
}
