package org.ocpihub.app.api;

import java.util.Map;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of the JSON admin API (issue 9 item 9), served by springdoc at
 * {@code /admin/api/openapi.json} (application.yml {@code springdoc.*}) behind the admin bearer token. springdoc reads
 * the controllers' mappings; this adds the document's title, the bearer scheme, and one summary per operation, kept
 * here rather than as annotations so the feature modules stay free of springdoc.
 * <p>
 * springdoc builds the document with blocking class-path scans: {@link OffLoopOpenApiResource} replaces its endpoint
 * bean (springdoc backs off, {@code @ConditionalOnMissingBean}) to build it on {@code boundedElastic}, and
 * {@link OpenAPIDefinition} on this bean spares one of the scans.
 */
@OpenAPIDefinition(info = @io.swagger.v3.oas.annotations.info.Info(title = "OCPI hub admin API", version = "1"))
@Configuration(proxyBeanMethods = false)
public class AdminApiDocumentation {

    /** Summary per "METHOD path" of the admin API; an operation without one gets a summary made from its path. */
    static final Map<String, String> SUMMARIES = Map.ofEntries(
            Map.entry("POST /admin/api/platforms", "Onboard a platform: grant its roles, get token A and the hub's "
                    + "versions URL (shown once)"),
            Map.entry("GET /admin/api/platforms", "List every platform"),
            Map.entry("GET /admin/api/platforms/{id}", "One platform: roles, endpoints, token encoding, status"),
            Map.entry("DELETE /admin/api/platforms/{id}", "Delete a platform"),
            Map.entry("POST /admin/api/platforms/{id}/token-a", "Issue a new token A (shown once)"),
            Map.entry("POST /admin/api/platforms/{id}/register", "The hub registers with the platform (hub-initiated "
                    + "credentials handshake)"),
            Map.entry("POST /admin/api/platforms/{id}/suspend", "Suspend a platform"),
            Map.entry("POST /admin/api/platforms/{id}/reactivate", "Reactivate a suspended platform"),
            Map.entry("PUT /admin/api/platforms/{id}/token-encoding", "Change the token encoding the hub uses toward "
                    + "the platform (BASE64 or RAW)"),
            Map.entry("POST /admin/api/platforms/{id}/still-alive", "Run the still-alive check for the platform now"),
            Map.entry("GET /admin/api/platforms/{id}/status-history", "The platform's status changes, newest first"),
            Map.entry("GET /admin/api/platforms/{id}/client-info", "What Hub Client Info tells the platform"),
            Map.entry("GET /admin/api/audit", "The audit log of operator actions, newest first, filtered"),
            Map.entry("GET /admin/api/deliveries", "Failed broadcast deliveries, filtered by receiver, module, time "
                    + "and status, paged"),
            Map.entry("POST /admin/api/deliveries/replay", "Replay every failed delivery a filter matches"),
            Map.entry("POST /admin/api/deliveries/{id}/replay", "Replay one failed delivery now"),
            Map.entry("POST /admin/api/deliveries/{id}/resend-current", "Send the receiver the object's current "
                    + "state instead"),
            Map.entry("GET /admin/api/store-failures", "Broadcasts the hub could not apply to its store"));

    /** springdoc's endpoint, building the document off the event loop. */
    @Bean
    public OffLoopOpenApiResource openApiResource(
            org.springframework.beans.factory.ObjectFactory<org.springdoc.core.service.OpenAPIService> openApi,
            org.springdoc.core.service.AbstractRequestService requests,
            org.springdoc.core.service.GenericResponseService responses,
            org.springdoc.core.service.OperationService operations,
            org.springdoc.core.properties.SpringDocConfigProperties properties,
            org.springdoc.core.providers.SpringDocProviders providers,
            org.springdoc.core.customizers.SpringDocCustomizers customizers) {
        return new OffLoopOpenApiResource(openApi, requests, responses, operations, properties, providers,
                customizers);
    }

    /** The document's frame: title, the admin bearer token as its security scheme. */
    @Bean
    public OpenAPI adminApiOpenApi() {
        return new OpenAPI()
                .info(new Info().title("OCPI hub admin API").version("1")
                        .description("The operator's JSON API. Every call needs Authorization: Bearer <admin token>"
                                + " (hub.admin.token). Errors are {\"error\": \"...\"} naming the field."))
                .components(new Components().addSecuritySchemes("adminToken",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("adminToken"));
    }

    /** A summary on every operation: the table's, else one made from the method and path. */
    @Bean
    public OpenApiCustomizer adminApiSummaries() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    summarize(method, path, operation)));
        };
    }

    private static void summarize(PathItem.HttpMethod method, String path, Operation operation) {
        String summary = SUMMARIES.get(method.name() + " " + path);
        operation.setSummary(summary != null ? summary : method.name() + " " + path);
    }
}
