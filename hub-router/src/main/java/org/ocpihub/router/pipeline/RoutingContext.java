package org.ocpihub.router.pipeline;

import org.ocpihub.ocpi.module.ModuleRequest;
import org.ocpihub.ocpi.module.OwnerHint;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.platform.Caller;
import org.springframework.web.server.ServerWebExchange;

import tools.jackson.databind.node.ObjectNode;

/**
 * Everything known about one functional-module request as it passes the routing steps. Immutable: a step that learns
 * something returns a copy. {@code body} is null while the body streams untouched; a step that must read it buffers it.
 * {@code bodyTree} is that body parsed once, strictly ({@code ObjectOwnerCheck}), for every later step to read: null
 * until then, and for a body nothing needs to read. A step that rewrites the body replaces both
 * ({@link #withBody(byte[], ObjectNode)}).
 * {@code headers} is null until {@code ReadRoutingHeaders} ({@link RoutingOrder#READ_HEADERS}) read them. For a
 * relay call ({@code /ocpi/2.2.1/relay/<id>}) {@code call} is null until {@code RelayResolution}
 * ({@link RoutingOrder#RESOLVE_RELAY}) found the relay and set {@code relay}; {@code relay} is null for a routed call.
 * {@code askAll} is null unless open routing found no owner and will ask every candidate ({@link #withAskAll}).
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
        RelayCall relay,
        ObjectNode bodyTree,
        OwnerHint.Indexed askAll) {

    /**
     * A fresh context: query as received, nothing learned yet.
     *
     * @param call the functional endpoint called, or null for a relay call (found by {@code RelayResolution})
     */
    public static RoutingContext start(ServerWebExchange exchange, Caller caller, ModuleCall call, PartyId hub) {
        return new RoutingContext(exchange, caller, call, null, hub, null, null, null,
                exchange.getRequest().getURI().getRawQuery(), ResponseTap.NONE, null, null, null);
    }

    public RoutingContext withClassification(Classification value) {
        return new RoutingContext(exchange, caller, call, headers, hub, value, body, receiver, rawQuery, tap, relay,
                bodyTree, askAll);
    }

    /** The same request with another exchange (e.g. one whose request body is size-limited). */
    public RoutingContext withExchange(ServerWebExchange value) {
        return new RoutingContext(value, caller, call, headers, hub, classification, body, receiver, rawQuery, tap,
                relay, bodyTree, askAll);
    }

    /** The same request addressed otherwise (a relay call goes on as from = the party its URL was handed to). */
    public RoutingContext withHeaders(RoutingHeaders value) {
        return new RoutingContext(exchange, caller, call, value, hub, classification, body, receiver, rawQuery, tap,
                relay, bodyTree, askAll);
    }

    /** The request with a (newly) buffered body, not parsed yet. */
    public RoutingContext withBody(byte[] value) {
        return withBody(value, null);
    }

    /** The request with a body and its parsed form, which must say the same (a step that rewrites the body). */
    public RoutingContext withBody(byte[] value, ObjectNode tree) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, value, receiver, rawQuery, tap,
                relay, tree, askAll);
    }

    /** The buffered body parsed (once, strictly), for the steps after the one that read it. */
    public RoutingContext withBodyTree(ObjectNode tree) {
        return withBody(body, tree);
    }

    public RoutingContext withReceiver(Receiver value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, body, value, rawQuery, tap,
                relay, bodyTree, askAll);
    }

    public RoutingContext withRawQuery(String value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, body, receiver, value, tap,
                relay, bodyTree, askAll);
    }

    public RoutingContext withTap(ResponseTap value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, body, receiver, rawQuery, value,
                relay, bodyTree, askAll);
    }

    /** The same call found to be a relay call for {@code target} (its module and interface in {@code value}). */
    public RoutingContext withRelay(ModuleCall value, RelayCall target) {
        return new RoutingContext(exchange, caller, value, headers, hub, classification, body, receiver, rawQuery, tap,
                target, bodyTree, askAll);
    }

    /**
     * An open-routed call no owner index could resolve, whose module says to ask every candidate receiver instead
     * ({@link OwnerHint.Indexed#askAll()}, set by {@code ReceiverResolution}); its receiver stays null.
     */
    public RoutingContext withAskAll(OwnerHint.Indexed value) {
        return new RoutingContext(exchange, caller, call, headers, hub, classification, body, receiver, rawQuery, tap,
                relay, bodyTree, value);
    }

    /** Whether this is a call to a relay URL (once {@code RelayResolution} found it), not a routed call. */
    public boolean isRelay() {
        return relay != null;
    }

    public boolean bodyBuffered() {
        return body != null;
    }

    /** What the module profile's rules look at: interface, method, path segments and the parsed body (or null). */
    public ModuleRequest moduleRequest() {
        return new ModuleRequest(call.interfaceRole(), exchange.getRequest().getMethod().name(), call.segments(),
                bodyTree);
    }
}
