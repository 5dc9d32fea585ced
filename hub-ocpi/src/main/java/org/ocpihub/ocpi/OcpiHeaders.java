package org.ocpihub.ocpi;

/** Header names OCPI uses (TF 4.1.2, 4.1.4.1, 4.1.8.2, 4.2); HTTP header names are case-insensitive. */
public final class OcpiHeaders {
    public static final String AUTHORIZATION = "Authorization";
    public static final String REQUEST_ID = "X-Request-ID";
    public static final String CORRELATION_ID = "X-Correlation-ID";
    public static final String TO_COUNTRY_CODE = "OCPI-to-country-code";
    public static final String TO_PARTY_ID = "OCPI-to-party-id";
    public static final String FROM_COUNTRY_CODE = "OCPI-from-country-code";
    public static final String FROM_PARTY_ID = "OCPI-from-party-id";
    public static final String TOTAL_COUNT = "X-Total-Count";
    public static final String LIMIT = "X-Limit";
    public static final String LINK = "Link";
    public static final String LOCATION = "Location";

    private OcpiHeaders() {
    }
}
