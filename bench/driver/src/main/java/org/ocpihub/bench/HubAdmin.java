package org.ocpihub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RegistrationResult;
import org.ocpihub.testkit.party.SimulatedPlatform;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's admin API as the benchmark drivers use it: one call with the admin token, and a simulated platform's
 * onboarding (created by the operator, then the platform runs the credentials handshake with token A).
 */
final class HubAdmin {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REGISTER_WAIT = Duration.ofSeconds(30);

    private final String hubUrl;
    private final String adminToken;
    private final HttpClient jdk = HttpClient.newBuilder().version(Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param hubUrl     the hub's base URL, without a trailing slash
     * @param adminToken {@code hub.admin.token}
     */
    HubAdmin(String hubUrl, String adminToken) {
        this.hubUrl = hubUrl;
        this.adminToken = adminToken;
    }

    /**
     * One admin API call; throws {@link IllegalStateException} when it fails or answers another status.
     *
     * @param path           below {@code /admin/api}, e.g. {@code /platforms}
     * @param body           JSON, or null
     * @param expectedStatus the HTTP status that means success
     * @return the answer's JSON
     */
    JsonNode call(String method, String path, String body, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hubUrl + "/admin/api" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = jdk.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(method + " " + path + " answered HTTP " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates a platform with its one role, as the operator does; throws when it fails.
     *
     * @return the answer, with {@code versions_url} and {@code token_a} for the platform's handshake
     */
    JsonNode create(String name, PartyRole role) {
        String body = JSON.writeValueAsString(Map.of("name", name, "roles", List.of(Map.of(
                "role", role.role(), "country_code", role.countryCode(), "party_id", role.partyId(),
                "business_details", Map.of("name", role.businessName())))));
        return call("POST", "/platforms", body, 201);
    }

    /** Creates the platform with its one role and runs its credentials handshake; throws when either fails. */
    void register(SimulatedPlatform platform, PartyRole role) {
        JsonNode created = create(platform.name(), role);
        RegistrationResult result = platform.registerWith(created.get("versions_url").asString(),
                created.get("token_a").asString()).block(REGISTER_WAIT);
        if (result == null || !result.isSuccess()) {
            throw new IllegalStateException("cannot register " + platform.name() + ": " + result);
        }
    }
}
