package org.ocpihub.testkit.party;

import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Fetches a peer's versions, picks 2.2.1 and fetches its version details (VER 6), checking that the credentials
 * endpoint and the required modules are there. Failures carry the OCPI status a credentials server answers with:
 * 3001 when the peer's API cannot be used, 3002 without a mutual version, 3003 when endpoints are missing (CRED 7.1).
 */
final class PeerDiscovery {

    static final String VERSION = "2.2.1";

    /** What was found: the peer's 2.2.1 endpoints keyed by {@code module:ROLE}. */
    record Found(String versionsUrl, Map<String, String> endpoints) {

        String credentialsUrl() {
            return OcpiJson.endpointOf(endpoints, "credentials");
        }
    }

    /** Why discovery failed, at which step, with the OCPI status to report and the offending response if any. */
    static final class Failure extends RuntimeException {

        private final String step;
        private final int ocpiStatus;
        private final transient SimulatedResponse response;
        private final transient Map<String, String> endpoints;

        Failure(String step, int ocpiStatus, String message, SimulatedResponse response,
                Map<String, String> endpoints) {
            super(message, null, false, false);
            this.step = step;
            this.ocpiStatus = ocpiStatus;
            this.response = response;
            this.endpoints = endpoints;
        }

        String step() {
            return step;
        }

        int ocpiStatus() {
            return ocpiStatus;
        }

        SimulatedResponse response() {
            return response;
        }

        Map<String, String> endpoints() {
            return endpoints;
        }
    }

    private final OcpiClient client;
    private final Set<String> requiredModules;

    /**
     * @param requiredModules modules the peer must offer, as {@code module:ROLE} or just {@code module} (any role)
     */
    PeerDiscovery(OcpiClient client, Set<String> requiredModules) {
        this.client = client;
        this.requiredModules = Set.copyOf(requiredModules);
    }

    Mono<Found> discover(String versionsUrl, String token) {
        return get("versions", versionsUrl, token).flatMap(versions -> {
            String detailsUrl = detailsUrl(versions.data());
            if (detailsUrl == null) {
                return Mono.error(new Failure("versions", 3002, "no version " + VERSION + " offered at "
                        + versionsUrl, versions, Map.of()));
            }
            return get("details", detailsUrl, token).flatMap(details -> check(versionsUrl, details));
        });
    }

    private Mono<SimulatedResponse> get(String step, String url, String token) {
        return client.send("GET", url, token, null)
                .onErrorMap(e -> new Failure(step, 3001, "cannot GET " + url + ": " + e, null, Map.of()))
                .flatMap(response -> response.isSuccess()
                        ? Mono.just(response)
                        : Mono.error(new Failure(step, 3001, "GET " + url + " answered HTTP "
                                + response.httpStatus() + ", status_code " + response.statusCode(), response,
                                Map.of())));
    }

    private static String detailsUrl(JsonNode versions) {
        for (JsonNode v : versions) {
            if (VERSION.equals(OcpiJson.text(v, "version"))) {
                return OcpiJson.text(v, "url");
            }
        }
        return null;
    }

    private Mono<Found> check(String versionsUrl, SimulatedResponse details) {
        Map<String, String> endpoints = OcpiJson.endpoints(details.data());
        Found found = new Found(versionsUrl, endpoints);
        if (found.credentialsUrl() == null) {
            return Mono.error(new Failure("details", 3003, "no credentials endpoint in version details",
                    details, endpoints));
        }
        for (String required : requiredModules) {
            boolean present = required.contains(":")
                    ? endpoints.containsKey(required)
                    : OcpiJson.endpointOf(endpoints, required) != null;
            if (!present) {
                return Mono.error(new Failure("details", 3003, "required endpoint missing: " + required,
                        details, endpoints));
            }
        }
        return Mono.just(found);
    }
}
