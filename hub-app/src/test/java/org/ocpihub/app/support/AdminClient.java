package org.ocpihub.app.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ocpihub.testkit.party.PartyRole;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A test client for the hub's admin API over real HTTP. */
public final class AdminClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebClient web;
    private final String token;

    AdminClient(String hubUrl, String token) {
        this.web = WebClient.builder().baseUrl(hubUrl + "/admin/api").build();
        this.token = token;
    }

    /** The admin API of the hub at {@code hubUrl} (an instance, or a load balancer in front of several). */
    public static AdminClient of(String hubUrl, String token) {
        return new AdminClient(hubUrl, token);
    }

    /** An admin API answer: HTTP status and the JSON body (null when empty). */
    public record Answer(int status, JsonNode body) {
        public String error() {
            return body == null || body.get("error") == null ? null : body.get("error").asString();
        }

        public String text(String field) {
            return body.get(field) == null || body.get(field).isNull() ? null : body.get(field).asString();
        }
    }

    public Answer call(HttpMethod method, String path, Object body) {
        return call(method, path, body, token);
    }

    public Answer call(HttpMethod method, String path, Object body, String bearer) {
        WebClient.RequestBodySpec spec = web.method(method).uri(path);
        if (bearer != null) {
            spec.header("Authorization", "Bearer " + bearer);
        }
        WebClient.RequestHeadersSpec<?> request = body == null ? spec
                : spec.contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body instanceof String s ? s : JSON.writeValueAsString(body));
        return request.exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                        .map(text -> new Answer(r.statusCode().value(), text.isEmpty() ? null : JSON.readTree(text))))
                .block(Duration.ofSeconds(20));
    }

    /** Creates a platform granted the roles of a simulated platform. */
    public Answer createPlatform(String name, List<PartyRole> roles, String tokenEncoding) {
        return call(HttpMethod.POST, "/platforms", Map.of(
                "name", name,
                "token_encoding", tokenEncoding,
                "roles", roles.stream().map(r -> Map.of("role", r.role(), "country_code", r.countryCode(),
                        "party_id", r.partyId(), "business_details", Map.of("name", r.businessName()))).toList()));
    }

    public Answer createPlatform(String name, List<PartyRole> roles) {
        return createPlatform(name, roles, "BASE64");
    }

    public Answer get(String path) {
        return call(HttpMethod.GET, path, null);
    }

    public Answer post(String path, Object body) {
        return call(HttpMethod.POST, path, body);
    }
}
