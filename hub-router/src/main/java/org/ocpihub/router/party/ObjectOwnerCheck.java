package org.ocpihub.router.party;

import java.util.List;

import org.ocpihub.ocpi.CiString;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.StrictJson;
import org.ocpihub.ocpi.module.BodyOwner;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.ModuleRequest;
import org.ocpihub.ocpi.module.ObjectUrl;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A pushed body speaks for its sender only (TF 4.1.5.1; LOC/SES/TAR/TOK "SHALL be the same value"; CMD: an eMSP
 * uses only its own Tokens). Runs on every buffered body, for direct, open-routed and broadcast pushes alike:
 * <ul>
 *   <li>every buffered body (every push that carries one: {@link BodyReader} buffers them all, relay calls
 *       included) is read with duplicate-key detection ({@link StrictJson}): a receiver can never read another
 *       owner than the one checked here, and never gets a body that is not a JSON object. An empty body passes only
 *       where no step needs one;</li>
 *   <li>Client Owned Object pushes (PUT and PATCH on the module's {@link ObjectUrl}: Locations, Sessions, Tariffs,
 *       Tokens, EVSEs and Connectors included): a top-level {@code country_code}/{@code party_id} must be the URL's
 *       owner (which {@link SenderCheck} already matched to the from-pair); the object's own id (the level's id
 *       field: {@code id}, a token's {@code uid}, an EVSE's {@code uid}, a connector's {@code id}) must be the
 *       URL's, compared as CiString;</li>
 *   <li>the module's {@link BodyOwner} rules: a CDR POST's {@code country_code}/{@code party_id} must be the
 *       from-pair; so must the token's in a START_SESSION or RESERVE_NOW command.</li>
 * </ul>
 * The parsed body is kept on the context ({@link RoutingContext#bodyTree()}) so no later step parses it again.
 * An owner the caller does not hold is an authorization failure: HTTP 403, status 2001, naming the field. Anything
 * else about the content (a missing field, an id differing from the URL's, a repeated key, a body that is JSON but
 * not an object) has reached the OCPI layer: HTTP 200, status 2001, naming the field (SC 5). A body that is not JSON
 * is HTTP 400, status 2001. Nothing is forwarded, stored or fanned out in any of these cases.
 */
@Component
@Order(RoutingOrder.OWNER_CHECK)
public class ObjectOwnerCheck implements RoutingStep {


    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (!context.bodyBuffered()) {
            return Mono.just(context);
        }
        HttpMethod method = context.exchange().getRequest().getMethod();
        if (!BodyReader.PUSHES.contains(method)) {
            return Mono.just(context);
        }
        if (context.body().length == 0 && !BodyReader.needsBody(context, method)) {
            return Mono.just(context); // a push without a body (e.g. a token authorize without LocationReferences)
        }
        ObjectNode body;
        try {
            body = StrictJson.readObject(context.body());
        } catch (StrictJson.InvalidBody e) {
            HttpStatus http = e.problem() == StrictJson.Problem.NOT_JSON ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
            return Mono.error(new OcpiException(http, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, e.getMessage()));
        }
        OcpiException refused = check(context, method, body);
        return refused == null ? Mono.just(context.withBodyTree(body)) : Mono.error(refused);
    }

    /** The first reason to refuse this body, or null when it speaks for its sender only. */
    static OcpiException check(RoutingContext context, HttpMethod method, ObjectNode body) {
        ModuleProfile profile = ModuleProfile.of(context.call().module());
        List<String> segments = context.call().segments();
        PartyId from = context.headers().from();
        if (profile.clientOwnedObjectUrl(context.call().interfaceRole()) && segments.size() >= 3
                && (method == HttpMethod.PUT || method == HttpMethod.PATCH)) {
            boolean whole = method == HttpMethod.PUT;
            PartyId owner = urlOwner(segments, from);
            boolean wholeObject = whole && segments.size() == 3;
            OcpiException problem = owner(body, "", owner, wholeObject);
            if (problem != null) {
                return problem;
            }
            // an EVSE or connector body carries no owner, but its own uid/id when it has one
            String idField = profile.objectUrl().idField(segments.size() - 3);
            return idField == null ? null
                    : sameId(body, idField, segments.get(segments.size() - 1), wholeObject);
        }
        ModuleRequest request = new ModuleRequest(context.call().interfaceRole(), method.name(), segments, body);
        for (BodyOwner rule : profile.bodyOwnersOf(request)) {
            ObjectNode holder = rule.objectField() == null ? body
                    : body.get(rule.objectField()) instanceof ObjectNode inner ? inner : null;
            OcpiException problem = holder == null ? null : owner(holder, rule.prefix(), from, rule.required());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static PartyId urlOwner(List<String> segments, PartyId from) {
        try {
            return PartyId.of(segments.get(0), segments.get(1));
        } catch (IllegalArgumentException e) {
            return from; // SenderCheck refused malformed URL parties already
        }
    }

    /** country_code and party_id, when present (or always, when required), must name {@code owner}. */
    private static OcpiException owner(ObjectNode body, String prefix, PartyId owner, boolean required) {
        OcpiException problem = ownerField(body, prefix, "country_code", owner.countryCode(), required);
        return problem != null ? problem : ownerField(body, prefix, "party_id", owner.partyId(), required);
    }

    private static OcpiException ownerField(ObjectNode body, String prefix, String field, String expected,
                                            boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return required ? content("missing required field: " + prefix + field) : null;
        }
        if (!value.isString()) {
            return content("field " + prefix + field + " must be a string");
        }
        if (!CiString.same(value.asString(), expected)) {
            return new OcpiException(HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "field "
                    + prefix + field + " '" + printable(value.asString()) + "' is not the sender's ('" + expected
                    + "'): a push speaks for its sender only");
        }
        return null;
    }

    /** The object's own id must be the URL's (CiString, TYP 16.1: case-insensitive). A content error (SC 5). */
    private static OcpiException sameId(ObjectNode body, String field, String inUrl, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return required ? content("missing required field: " + field) : null;
        }
        if (!value.isString()) {
            return content("field " + field + " must be a string");
        }
        if (!CiString.same(value.asString(), inUrl)) {
            return content("field " + field + " '" + printable(value.asString()) + "' differs from the URL's '"
                    + inUrl + "'");
        }
        return null;
    }

    private static OcpiException content(String message) {
        return new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, message);
    }

    /** A value echoed in a message: at most 40 characters, control characters shown as '?'. */
    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
