package org.ocpihub.testkit.party;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON helpers for the OCPI envelope, Credentials and version details, written from the spec. */
final class OcpiJson {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private OcpiJson() {
    }

    /** The current time as an RFC 3339 UTC timestamp with {@code Z}, whole seconds (TYP 16.1). */
    static String timestamp() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Builds the response envelope of TF 4.1.7; {@code data} may be null to omit it. */
    static String envelope(JsonNode data, int statusCode, String statusMessage) {
        ObjectNode env = MAPPER.createObjectNode();
        if (data != null) {
            env.set("data", data);
        }
        env.put("status_code", statusCode);
        if (statusMessage != null) {
            env.put("status_message", statusMessage);
        }
        env.put("timestamp", timestamp());
        return write(env);
    }

    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** Parses JSON, or returns null when the text is empty or not JSON. */
    static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The string value of a field, or null when absent or not a string. */
    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : null;
    }

    /** A Credentials object (CRED 7.3.1). */
    static ObjectNode credentials(String token, String versionsUrl, List<PartyRole> roles) {
        ObjectNode credentials = MAPPER.createObjectNode();
        credentials.put("token", token);
        credentials.put("url", versionsUrl);
        ArrayNode array = credentials.putArray("roles");
        for (PartyRole role : roles) {
            ObjectNode r = array.addObject();
            r.put("role", role.role());
            r.putObject("business_details").put("name", role.businessName());
            r.put("party_id", role.partyId());
            r.put("country_code", role.countryCode());
        }
        return credentials;
    }

    /** Reads CredentialsRoles leniently; entries without role, party_id or country_code are skipped. */
    static List<PartyRole> roles(JsonNode credentials) {
        List<PartyRole> roles = new ArrayList<>();
        if (credentials == null) {
            return roles;
        }
        for (JsonNode r : credentials.path("roles")) {
            String role = text(r, "role");
            String partyId = text(r, "party_id");
            String countryCode = text(r, "country_code");
            if (role != null && partyId != null && countryCode != null) {
                String name = text(r.path("business_details"), "name");
                roles.add(new PartyRole(role, countryCode, partyId, name == null ? "" : name));
            }
        }
        return Collections.unmodifiableList(roles);
    }

    /** Reads version-details endpoints into a map keyed by {@code module:ROLE}, in document order. */
    static Map<String, String> endpoints(JsonNode details) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (JsonNode e : details.path("endpoints")) {
            String identifier = text(e, "identifier");
            String url = text(e, "url");
            if (identifier != null && url != null) {
                String role = text(e, "role");
                endpoints.put(identifier + ":" + (role == null ? "SENDER" : role), url);
            }
        }
        return Collections.unmodifiableMap(endpoints);
    }

    /** The URL of a module in an endpoint map, whatever its interface role (used for credentials). */
    static String endpointOf(Map<String, String> endpoints, String module) {
        return endpoints.entrySet().stream()
                .filter(e -> e.getKey().startsWith(module + ":"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }
}
