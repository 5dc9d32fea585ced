package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The eMSP's Tokens Sender interface (TOK 12.2.2): the paginated list, and real-time authorization
 * {@code POST {url}/{token_uid}/authorize[?type=]} (type defaults to RFID) answering an AuthorizationInfo, or HTTP 404 +
 * 2004 for an unknown Token. A Token is ALLOWED unless it is not {@code valid} (BLOCKED) or another AllowedType was
 * set for it.
 */
final class TokensSender implements RouteHandler {

    private static final String INTERFACE = "tokens:SENDER";

    private final String path = SelfDescription.modulePath("tokens", "SENDER");
    private final OwnedObjects tokens;
    private final ModuleContext context;
    private final Map<String, String> allowedOverrides = new ConcurrentHashMap<>();

    TokensSender(OwnedObjects tokens, ModuleContext context) {
        this.tokens = tokens;
        this.context = context;
    }

    void allowed(String tokenUid, String allowedType) {
        allowedOverrides.put(tokenUid.toUpperCase(Locale.ROOT), allowedType);
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.isEmpty()) {
            return Replies.is(request, "GET")
                    ? Mono.just(context.page(request, INTERFACE, tokens))
                    : Replies.methodNotAllowed(request);
        }
        if (segments.size() != 2 || !"authorize".equals(segments.get(1))) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        if (!Replies.is(request, "POST")) {
            return Replies.methodNotAllowed(request);
        }
        JsonNode locationReferences = null;
        if (!request.recorded().body().isBlank()) {
            locationReferences = Replies.object(request);
            if (locationReferences == null) {
                return Replies.notAJsonObject();
            }
        }
        String uid = segments.get(0);
        String type = request.recorded().queryParam("type");
        JsonNode token = tokens.find(uid);
        if (token == null || !(type == null || type.isEmpty() ? "RFID" : type).equals(OcpiJson.text(token, "type"))) {
            return Replies.notFound(2004, "Unknown Token: " + uid);
        }
        ObjectNode info = OcpiJson.MAPPER.createObjectNode();
        String override = allowedOverrides.get(uid.toUpperCase(Locale.ROOT));
        info.put("allowed", override != null ? override
                : token.path("valid").asBoolean(true) ? "ALLOWED" : "BLOCKED");
        info.set("token", token);
        if (locationReferences != null && locationReferences.has("location_id")) {
            info.set("location", locationReferences);
        }
        info.put("authorization_reference", Ids.next());
        return Replies.ok(info);
    }
}
