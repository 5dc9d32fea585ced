package org.ocpihub.router.pipeline;

/** What the hub does with a request (D2). */
public enum RoutingCase {
    /** Versions, credentials, hub client info: served by the hub, routing headers ignored. */
    CONFIGURATION,
    /** The to-pair names another party: forwarded to the platform hosting it. */
    DIRECT,
    /** No to-pair on a functional module: the hub finds the receiver. */
    OPEN_ROUTING,
    /** To the hub, a push on a RECEIVER interface of locations, tariffs or tokens: stored and fanned out. */
    BROADCAST,
    /** To the hub, a GET on a SENDER interface: answered from the hub's store. */
    GET_ALL,
    /** Anything else: refused with status 2001 naming the rule. */
    REFUSED
}
