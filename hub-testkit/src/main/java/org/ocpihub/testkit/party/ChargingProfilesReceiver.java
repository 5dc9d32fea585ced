package org.ocpihub.testkit.party;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CPO's ChargingProfiles Receiver interface (CP 14.4.1): {@code GET {url}/{session_id}?duration=&response_url=},
 * {@code PUT {url}/{session_id}} (SetChargingProfile with {@code response_url}) and
 * {@code DELETE {url}/{session_id}?response_url=} answer a ChargingProfileResponse; after an ACCEPTED answer it POSTs
 * an ActiveChargingProfileResult, ChargingProfileResult or ClearProfileResult to the {@code response_url}, as its
 * {@link AsyncResultBehaviour} says.
 */
final class ChargingProfilesReceiver implements RouteHandler {

    private static final String INTERFACE = "chargingprofiles:RECEIVER";

    private final String path = SelfDescription.modulePath("chargingprofiles", "RECEIVER");
    private final ModuleContext context;
    private final Supplier<AsyncResultBehaviour> behaviour;

    ChargingProfilesReceiver(ModuleContext context, Supplier<AsyncResultBehaviour> behaviour) {
        this.context = context;
        this.behaviour = behaviour;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.size() != 1) {
            return Replies.notFound(2000, "Not found: " + request.recorded().path());
        }
        AsyncResultBehaviour b = behaviour.get();
        ObjectNode result = OcpiJson.MAPPER.createObjectNode().put("result", b.result());
        String responseUrl;
        switch (request.recorded().method()) {
            case "GET" -> {
                responseUrl = request.recorded().queryParam("response_url");
                String duration = request.recorded().queryParam("duration");
                if (duration == null || !duration.matches("\\d{1,9}")) {
                    return Replies.invalidParameters("duration is required");
                }
                if ("ACCEPTED".equals(b.result())) {
                    result.set("profile", activeProfile(Integer.parseInt(duration)));
                }
            }
            case "PUT" -> {
                JsonNode body = Replies.object(request);
                if (body == null) {
                    return Replies.notAJsonObject();
                }
                responseUrl = OcpiJson.text(body, "response_url");
            }
            case "DELETE" -> responseUrl = request.recorded().queryParam("response_url");
            default -> {
                return Replies.methodNotAllowed(request);
            }
        }
        if (responseUrl == null || responseUrl.isBlank()) {
            return Replies.invalidParameters("response_url is required");
        }
        if ("ACCEPTED".equals(b.response()) && b.sendResult()) {
            Map<String, String> routing = context.routing().answerTo(request.recorded(), INTERFACE);
            String url = responseUrl;
            context.afterResponse().schedule(request.recorded(),
                    () -> context.poster().postLater(url, result, routing, b.resultDelay()));
        }
        return Replies.ok(OcpiJson.MAPPER.createObjectNode()
                .put("result", b.response())
                .put("timeout", b.timeoutSeconds()));
    }

    /** An ActiveChargingProfile (CP 14.6.1) of 11 kW for the requested duration. */
    private static ObjectNode activeProfile(int durationSeconds) {
        ObjectNode profile = OcpiJson.MAPPER.createObjectNode();
        profile.put("start_date_time", OcpiTime.format(Instant.now()));
        ObjectNode chargingProfile = profile.putObject("charging_profile");
        chargingProfile.put("duration", durationSeconds);
        chargingProfile.put("charging_rate_unit", "W");
        chargingProfile.putArray("charging_profile_period").addObject()
                .put("start_period", 0)
                .put("limit", 11000.0);
        return profile;
    }
}
