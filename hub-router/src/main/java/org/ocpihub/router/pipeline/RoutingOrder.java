package org.ocpihub.router.pipeline;

import org.springframework.core.Ordered;

/**
 * The routing pipeline, in order: one named order value per {@link RoutingStep}, the way Spring Cloud Gateway names
 * its filter orders ({@code RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER}, {@code NettyRoutingFilter}'s
 * {@code Ordered.LOWEST_PRECEDENCE}). Each step declares {@code @Order(RoutingOrder.X)} with its own constant; this
 * file is the one place to read (or change) the order. {@code RoutingPipeline} logs the sorted list at start-up.
 *
 * <p>Every call to {@code /ocpi/2.2.1/<module>/<sender|receiver>…} (routed) and to {@code /ocpi/2.2.1/relay/<id>}
 * (a relay: a CommandResult or charging profile result POSTed to a hub URL, a CDR Location or a rewritten page link
 * read with GET) goes through the same steps; a step that does not apply to the call passes it on unchanged. The
 * first step to fail answers the call (an {@link org.ocpihub.registry.http.OcpiException}); nothing is forwarded
 * before every check passed. The values are spaced by 100 so that a step can be put between two without renumbering.
 */
public final class RoutingOrder {

    /**
     * {@code RateLimitStep}: a request budget per calling platform, 429 with Retry-After over it. First, before any
     * work is done for the call (a relay id costs a lookup that may reach PostgreSQL), for routed and relay calls
     * alike.
     */
    public static final int RATE_LIMIT = 100;

    /**
     * {@code RelayResolution} (relay calls only): the relay the id names (404 unknown or expired), the one method it
     * keeps (405 with {@code Allow}), called by the platform holding the party it was handed to (403/2001); sets the
     * module, interface, classification (DIRECT) and receiver (the URL's owner, or none when not connected).
     */
    public static final int RESOLVE_RELAY = 200;

    /** {@code ReadRoutingHeaders}: the OCPI-from/OCPI-to pairs (TF 4.1.8.2), 400/2001 naming the header. */
    public static final int READ_HEADERS = 300;

    /**
     * {@code SenderCheck}: the from-pair is a party of the caller; a Client Owned Object receiver URL names the
     * from-pair (403/2001).
     */
    public static final int SENDER_CHECK = 400;

    /** {@code CaseClassification} (routed calls): the D2 table, REFUSED → 2001 naming the rule. */
    public static final int CLASSIFY = 500;

    /**
     * {@code SenderRoleCheck} (routed calls): the caller holds the from-pair in a role that may send this module on
     * this interface (403/2001).
     */
    public static final int SENDER_ROLE = 600;

    /** {@code BodyReader}: the module's body limit (413); buffers every push body so it is read strictly. */
    public static final int READ_BODY = 700;

    /** {@code ObjectOwnerCheck}: strict JSON (400/2001, 200/2001), the body's owner and ids are the sender's. */
    public static final int OWNER_CHECK = 800;

    /**
     * {@code ReceiverResolution} (routed calls): DIRECT → the to-pair's platform, OPEN_ROUTING → the owner the hub
     * finds (4001, 4003).
     */
    public static final int RESOLVE_RECEIVER = 900;

    /**
     * {@code AgreementCheck} (routed calls with a receiver): the from-pair and the receiver have the agreement the
     * module needs (issue 13), else 403/2000 naming it. Relay calls pass: what was handed out works until it expires.
     */
    public static final int AGREEMENT_CHECK = 950;

    /** {@code CallbackRewrite} (routed calls): a {@code response_url} becomes a relay hub URL. */
    public static final int REWRITE_CALLBACKS = 1000;

    /** {@code OwnerLearning} (routed calls): feeds the owner indexes from what passes. */
    public static final int LEARN_OWNERS = 1100;

    /**
     * {@code ForwardOrAnswer}, the end: forward to the receiver ({@code Forwarder}), or let the hub answer through
     * the {@link HubOwnedRequests} that handles the case (Broadcast Push, GET All). Last, as Spring Cloud Gateway's
     * {@code NettyRoutingFilter}.
     */
    public static final int FORWARD_OR_ANSWER = Ordered.LOWEST_PRECEDENCE;

    private RoutingOrder() {
    }
}
