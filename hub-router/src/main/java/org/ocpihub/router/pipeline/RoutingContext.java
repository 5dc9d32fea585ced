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
 * {@code headers} is null until {@code ReadRoutingHeaders} ({@link RoutingOrder#READ_HEADERS}) read them. For a
 * relay call ({@code /ocpi/2.2.1/relay/<id>}) {@code call} is null until {@code RelayResolution}
 * ({@link RoutingOrder#RESOLVE_RELAY}) found the relay and set {@code relay}; {@code relay} is null for a routed call.
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
        ResponseTap tap,
        RelayCall relay) {

    /**
     * A fresh context: query as received, nothing learned yet.
     *
     * @param call the functional endpoint called, or null for a relay call (found by {@code RelayResolution})
     */
    public static RoutingContext start(ServerWebExchange exchange, Caller caller, ModuleCall call, PartyId hub) {
        return new RoutingContext(exchange, caller, call, null, hub, null, null, null,
                exchange.getRequest().getURI().getRawQuery(), ResponseTap.NONE, null);
    }

    public RoutingContext withClassification(Classification value) {
        return new RoutingContext(exchange, caller, call, headers, hub, value, body, receiver, rawQuery, tap, relay);
    }

    /** The same request with another exchange (e.g. one whose request body is size-limited). */
    public RoutingContext withExchange(ServerWebExchange value) {
        return new RoutingContext(value, caller, call, headers, hub,
                classification, body, receiver, rawQuery, tap, relay);
    }

    /** The same request addressed otherwise (a relay call goes on as from = the party its URL was handed to). */
    public RoutingContext withHeaders(RoutingHeaders value) {
        return new RoutingContext(exchange, caller, call, value, hub,
                classification, body, receiver, rawQuery, tap, relay);
    }

    public RoutingContext withBody(byte[] value) {
        return new RoutingContext(exchange, caller, call, headers, hub,
                classification, value, receiver, rawQuery, tap, relay);
    }

    public RoutingContext withReceiver(Receiver value) {
        return new RoutingContext(exchange, caller, call, headers, hub,
                classification, body, value, rawQuery, tap, relay);
    }

    public RoutingContext withRawQuery(String value) {
        return new RoutingContext(exchange, caller, call, headers, hub,
                classification, body, receiver, value, tap, relay);
    }

    public RoutingContext withTap(ResponseTap value) {
        return new RoutingContext(exchange, caller, call, headers, hub,
                classification, body, receiver, rawQuery, value, relay);
    }

    /** The same call found to be a relay call for {@code target} (its module and interface in {@code value}). */
    public RoutingContext withRelay(ModuleCall value, RelayCall target) {
        return new RoutingContext(exchange, caller, value, headers, hub, classification, body, receiver, rawQuery, tap,
                target);
    }

    /** Whether this is a call to a relay URL (once {@code RelayResolution} found it), not a routed call. */
    public boolean isRelay() {
        return relay != null;
    }

    public boolean bodyBuffered() {
        return body != null;
    }
}
