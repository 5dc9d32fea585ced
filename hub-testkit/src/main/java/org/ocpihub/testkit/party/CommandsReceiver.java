package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CPO's Commands Receiver interface (CMD 13.2.1): {@code POST {url}/{command}} answers a CommandResponse
 * ({@code result}, {@code timeout}); after an ACCEPTED answer has been written it POSTs a CommandResult to the
 * body's {@code response_url}, as its {@link AsyncResultBehaviour} says, with routing headers to the requester.
 */
final class CommandsReceiver implements RouteHandler {

    static final Set<String> COMMANDS = Set.of("START_SESSION", "STOP_SESSION", "RESERVE_NOW", "CANCEL_RESERVATION",
            "UNLOCK_CONNECTOR");
    private static final String INTERFACE = "commands:RECEIVER";

    private final String path = SelfDescription.modulePath("commands", "RECEIVER");
    private final ModuleContext context;
    private final Supplier<AsyncResultBehaviour> behaviour;

    CommandsReceiver(ModuleContext context, Supplier<AsyncResultBehaviour> behaviour) {
        this.context = context;
        this.behaviour = behaviour;
    }

    @Override
    public Mono<OcpiReply> handle(OcpiRequest request) {
        List<String> segments = ModulePaths.segmentsAfter(request.recorded().path(), path);
        if (segments.size() != 1 || !COMMANDS.contains(segments.get(0))) {
            return Replies.notFound(2000, "Unknown command: " + request.recorded().path());
        }
        if (!Replies.is(request, "POST")) {
            return Replies.methodNotAllowed(request);
        }
        JsonNode body = Replies.object(request);
        if (body == null) {
            return Replies.notAJsonObject();
        }
        String responseUrl = OcpiJson.text(body, "response_url");
        if (responseUrl == null || responseUrl.isBlank()) {
            return Replies.invalidParameters("response_url is required");
        }
        AsyncResultBehaviour b = behaviour.get();
        if ("ACCEPTED".equals(b.response()) && b.sendResult()) {
            ObjectNode result = OcpiJson.MAPPER.createObjectNode().put("result", b.result());
            Map<String, String> routing = context.routing().answerTo(request.recorded(), INTERFACE);
            context.afterResponse().schedule(request.recorded(),
                    () -> context.poster().postLater(responseUrl, result, routing, b.resultDelay()));
        }
        return Replies.ok(OcpiJson.MAPPER.createObjectNode()
                .put("result", b.response())
                .put("timeout", b.timeoutSeconds()));
    }
}
