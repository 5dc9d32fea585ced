package org.ocpihub.router.party;

import java.util.Map;

import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.RoutingContext;
import org.ocpihub.router.RoutingStep;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * On a Client Owned Object PUT of a whole object, the object's own country_code, party_id and id must be those in
 * the URL (LOC/SES/TAR/TOK "SHALL be the same value", TF 4.1.5.1): otherwise HTTP 403, status 2001, naming the field.
 * A body that is not JSON is refused with HTTP 400 before anything is forwarded.
 */
@Component
@Order(40)
public class ObjectOwnerCheck implements RoutingStep {

    private static final Map<ModuleId, String> ID_FIELD = Map.of(ModuleId.LOCATIONS, "id", ModuleId.SESSIONS, "id",
            ModuleId.TARIFFS, "id", ModuleId.TOKENS, "uid");

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (!context.bodyBuffered()) {
            return Mono.just(context);
        }
        JsonNode body;
        try {
            body = OcpiJson.mapper().readTree(context.body());
        } catch (JacksonException e) {
            return Mono.error(new OcpiException(HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    "request body is not valid JSON"));
        }
        if (body == null || !body.isObject()) {
            return Mono.error(new OcpiException(HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    "request body must be a JSON object"));
        }
        boolean wholeObject = context.exchange().getRequest().getMethod() == HttpMethod.PUT
                && SenderCheck.isClientOwnedObjectUrl(context) && context.call().segments().size() == 3;
        if (wholeObject) {
            var segments = context.call().segments();
            String problem = mismatch(body, "country_code", segments.get(0), true);
            if (problem == null) {
                problem = mismatch(body, "party_id", segments.get(1), true);
            }
            if (problem == null) {
                problem = mismatch(body, ID_FIELD.get(context.call().module()), segments.get(2), false);
            }
            if (problem != null) {
                return Mono.error(new OcpiException(HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                        problem));
            }
        }
        return Mono.just(context);
    }

    private static String mismatch(JsonNode body, String field, String inUrl, boolean caseInsensitive) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return "missing required field: " + field;
        }
        String text = value.asString();
        boolean same = caseInsensitive ? CiString.same(text, inUrl) : text.equals(inUrl);
        return same ? null : "field " + field + " '" + text + "' differs from the URL's '" + inUrl + "'";
    }
}
