package org.ocpihub.router.pipeline;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.router.pipeline.Classification;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.RoutingHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Everything known about one functional-module request as it passes the routing steps. Immutable: a step that learns
 * something returns a copy. {@code body} is null while the body streams untouched; a step that must read it buffers it.
 */
public record RoutingContext(
        ServerWebExchange exchange,
        Caller caller,
        ModuleCall call,
        RoutingHeaders headers,
        PartyId hub,
        Classification classification,
        byte[] body,
        Receiver receiver,
        String rawQuery,
        ResponseTap tap) {

    /** A fresh context: query as received, nothing learned yet. */
    public static RoutingContext start(ServerWebExchange exchange, Caller caller, ModuleCall call,
                                       RoutingHeaders headers, PartyId hub) {
        return new RoutingContext(exchange, caller, call, headers, hub, null, null, null,
                exchange.getRequest().getURI().getRawQuery(), ResponseTap.NONE);
    }

    public RoutingContext withClassification(Classification value) {
        return new RoutingContext(exchange, caller, call, headers, hub, value, body, receiver, rawQuery, tap);
    }

    /** The same request with another exchange (e.g. one whose request body is size-limited). */
    public RoutingContext withExchange(ServerWebExchange value) {
        return new RoutingContext(value, caller, call, headers, hub, classification, body, receiver, rawQuery, tap);
    }

    /** The same request addressed otherwise (a relay call goes on as from = the party its URL was handed to). */
    public RoutingContext withHeaders(RoutingHeaders value) {
        return new RoutingContext(exchange, caller, call, value, hub, classification, body, receiver, rawQuery, tap);
    }

    public RoutingContext withBody(byte[] value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, value, receiver, rawQuery, tap);
    }

    public RoutingContext withReceiver(Receiver value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, body, value, rawQuery, tap);
    }

    public RoutingContext withRawQuery(String value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, body, receiver, value, tap);
    }

    public RoutingContext withTap(ResponseTap value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, body, receiver, rawQuery, value);
    }

    public boolean bodyBuffered() {
        return body != null;
    }
}
