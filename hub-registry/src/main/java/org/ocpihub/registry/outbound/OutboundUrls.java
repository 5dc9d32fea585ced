package org.ocpihub.registry.outbound;

/** URLs of calls to member platforms, built from the endpoints they registered. */
public final class OutboundUrls {

    private OutboundUrls() {
    }

    /**
     * An endpoint URL followed by a path suffix, with exactly one slash between them: {@code join("https://p/locations/",
     * "/NL/CPO/LOC1")} and {@code join("https://p/locations", "/NL/CPO/LOC1")} are both
     * {@code https://p/locations/NL/CPO/LOC1}; an empty suffix gives the endpoint as it is.
     *
     * @param suffix empty, or starting with {@code /} (the canonical path suffix the hub received)
     */
    public static String join(String endpoint, String suffix) {
        if (suffix.isEmpty()) {
            return endpoint;
        }
        return endpoint.endsWith("/") ? endpoint + suffix.substring(1) : endpoint + suffix;
    }
}
