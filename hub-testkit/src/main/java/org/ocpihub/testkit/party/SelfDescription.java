package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Locale;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a simulated platform tells peers about itself: its URL layout, Credentials and version details.
 * Layout: {@code /ocpi/versions}, {@code /ocpi/2.2.1}, {@code /ocpi/2.2.1/credentials} and
 * {@code /ocpi/2.2.1/<module>/<sender|receiver>}.
 */
record SelfDescription(String baseUrl, List<PartyRole> roles, List<String> modules) {

    static final String VERSIONS_PATH = "/ocpi/versions";
    static final String DETAILS_PATH = "/ocpi/" + PeerDiscovery.VERSION;
    static final String CREDENTIALS_PATH = DETAILS_PATH + "/credentials";

    SelfDescription {
        roles = List.copyOf(roles);
        modules = List.copyOf(modules);
    }

    /** The path of a module interface, e.g. {@code /ocpi/2.2.1/locations/sender}. */
    static String modulePath(String module, String interfaceRole) {
        return DETAILS_PATH + "/" + module + "/" + interfaceRole.toLowerCase(Locale.ROOT);
    }

    String versionsUrl() {
        return baseUrl + VERSIONS_PATH;
    }

    String detailsUrl() {
        return baseUrl + DETAILS_PATH;
    }

    String credentialsUrl() {
        return baseUrl + CREDENTIALS_PATH;
    }

    ObjectNode credentials(String token) {
        return OcpiJson.credentials(token, versionsUrl(), roles);
    }

    /** The versions list; with {@code only211} it offers just 2.1.1 (a fault). */
    ArrayNode versions(boolean only211) {
        ArrayNode versions = OcpiJson.MAPPER.createArrayNode();
        ObjectNode version = versions.addObject();
        if (only211) {
            version.put("version", "2.1.1");
            version.put("url", baseUrl + "/ocpi/2.1.1");
        } else {
            version.put("version", PeerDiscovery.VERSION);
            version.put("url", detailsUrl());
        }
        return versions;
    }

    /** The 2.2.1 version details; with {@code credentialsOnly} the module endpoints are left out (a fault). */
    ObjectNode versionDetails(boolean credentialsOnly) {
        ObjectNode details = OcpiJson.MAPPER.createObjectNode();
        details.put("version", PeerDiscovery.VERSION);
        ArrayNode endpoints = details.putArray("endpoints");
        endpoint(endpoints, "credentials", "SENDER", credentialsUrl());
        if (!credentialsOnly) {
            for (String module : modules) {
                String[] parts = module.split(":");
                endpoint(endpoints, parts[0], parts[1], baseUrl + modulePath(parts[0], parts[1]));
            }
        }
        return details;
    }

    private static void endpoint(ArrayNode endpoints, String identifier, String role, String url) {
        ObjectNode endpoint = endpoints.addObject();
        endpoint.put("identifier", identifier);
        endpoint.put("role", role);
        endpoint.put("url", url);
    }
}
