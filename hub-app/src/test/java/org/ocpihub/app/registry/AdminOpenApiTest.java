package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.RunningHub;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

import tools.jackson.databind.JsonNode;

/**
 * The JSON admin API is described by OpenAPI at {@code /admin/api/openapi.json} (issue 9 item 9), behind the admin
 * token: every operation the controllers map under {@code /admin/api} (read from the running hub's request mappings,
 * not from a list kept by hand) is in the document, with a summary, and nothing outside the admin API is.
 */
class AdminOpenApiTest {

    private static final String DOCUMENT = "/admin/api/openapi.json";

    private final RunningHub hub = RunningHub.shared();
    private final AdminClient admin = hub.admin();

    @Test
    void theDocumentListsEveryAdminEndpointWithASummary() {
        Set<String> mapped = new TreeSet<>();
        hub.context().getBeansOfType(RequestMappingHandlerMapping.class).values().forEach(mapping ->
                mapping.getHandlerMethods().keySet().forEach(info -> {
                    for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                        String path = pattern.getPatternString();
                        if (path.startsWith("/admin/api/") && !path.startsWith(DOCUMENT)) {
                            info.getMethodsCondition().getMethods()
                                    .forEach(m -> mapped.add(m.name() + " " + path));
                        }
                    }
                }));
        assertThat(mapped).as("the admin API's mappings").contains("GET /admin/api/platforms",
                "GET /admin/api/audit", "POST /admin/api/deliveries/replay",
                "PUT /admin/api/platforms/{id}/token-encoding");

        AdminClient.Answer answer = admin.get("/openapi.json");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode paths = answer.body().get("paths");
        Set<String> documented = new TreeSet<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(op -> {
            documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            assertThat(op.getValue().path("summary").asString("")).as(op.getKey() + " " + path.getKey())
                    .isNotBlank();
        }));
        assertThat(documented).containsAll(mapped);
        assertThat(paths.propertyNames()).allMatch(p -> p.startsWith("/admin/api/"));
        assertThat(answer.body().get("components").get("securitySchemes").get("adminToken").get("scheme")
                .asString()).isEqualTo("bearer");
    }

    @Test
    void theDocumentNeedsTheAdminToken() {
        assertThat(admin.call(HttpMethod.GET, "/openapi.json", null, null).status()).isEqualTo(401);
        assertThat(admin.call(HttpMethod.GET, "/openapi.json", null, "wrong").status()).isEqualTo(401);
    }
}
