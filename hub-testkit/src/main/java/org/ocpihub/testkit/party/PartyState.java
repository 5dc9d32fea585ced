package org.ocpihub.testkit.party;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The credentials tokens a platform knows and its connection to one peer (the hub), guarded by this object's monitor.
 * A simulated platform is connected to at most one peer at a time; a new registration replaces the old one.
 */
final class PartyState {

    /** The connection to the peer: which token it uses to call us, which we use to call it, and what it offers. */
    record Peer(String inboundToken, String outboundToken, String versionsUrl, Map<String, String> endpoints,
                List<PartyRole> roles, boolean registered) {
    }

    private final Set<String> tokensA = new HashSet<>();
    private final Set<String> pendingInbound = new HashSet<>();
    private Peer peer;

    static String newToken() {
        return Ids.next();
    }

    /** Creates a CREDENTIALS_TOKEN_A a peer may use once to register with us. */
    synchronized String issueTokenA() {
        String token = newToken();
        tokensA.add(token);
        return token;
    }

    /** Who is calling with this token, or empty when the token is unknown. */
    synchronized Optional<OcpiRequest.Caller> identify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        if (tokensA.contains(token)) {
            return Optional.of(OcpiRequest.Caller.TOKEN_A);
        }
        if (pendingInbound.contains(token)) {
            // a token B we just handed over: the peer calls back with it before our POST or PUT has returned
            return Optional.of(OcpiRequest.Caller.REGISTERED);
        }
        if (peer != null && token.equals(peer.inboundToken())) {
            return Optional.of(peer.registered() ? OcpiRequest.Caller.REGISTERED : OcpiRequest.Caller.UNREGISTERED);
        }
        return Optional.empty();
    }

    synchronized Peer peer() {
        return peer;
    }

    // ---- receiver side: the peer POSTs, PUTs or DELETEs our credentials endpoint ----

    /**
     * Completes a registration (POST) or update (PUT) the peer started with {@code callerToken}: we now accept
     * {@code newInbound} and call the peer with {@code outbound}. Returns false when the caller's token is no longer
     * valid for this method (e.g. a concurrent registration consumed the token A), and then changes nothing.
     */
    synchronized boolean completeInbound(String callerToken, boolean update, String newInbound, String outbound,
                                         String versionsUrl, Map<String, String> endpoints, List<PartyRole> roles) {
        boolean callerIsPeer = peer != null && callerToken.equals(peer.inboundToken());
        if (update) {
            if (!callerIsPeer || !peer.registered()) {
                return false;
            }
        } else if (!tokensA.remove(callerToken) && !(callerIsPeer && !peer.registered())) {
            return false;
        }
        peer = new Peer(newInbound, outbound, versionsUrl, endpoints, roles, true);
        return true;
    }

    /** The peer unregistered (DELETE): its token stays known but unregistered; our token to it is void. */
    synchronized boolean unregisterInbound(String callerToken) {
        if (peer == null || !peer.registered() || !callerToken.equals(peer.inboundToken())) {
            return false;
        }
        peer = new Peer(peer.inboundToken(), null, peer.versionsUrl(), peer.endpoints(), peer.roles(), false);
        return true;
    }

    // ---- sender side: we POST, PUT or DELETE the peer's credentials endpoint ----

    /** Creates a token B we are about to hand over; it is accepted at once, since the peer calls back with it. */
    synchronized String beginOutbound() {
        String token = newToken();
        pendingInbound.add(token);
        return token;
    }

    /** Forgets a token B whose POST or PUT failed. */
    synchronized void abandonOutbound(String tokenB) {
        pendingInbound.remove(tokenB);
    }

    /** Our POST succeeded: the peer calls us with {@code tokenB}, we call it with {@code tokenC}. */
    synchronized void completeOutbound(String tokenB, String tokenC, String versionsUrl,
                                       Map<String, String> endpoints, List<PartyRole> roles) {
        pendingInbound.remove(tokenB);
        peer = new Peer(tokenB, tokenC, versionsUrl, endpoints, roles, true);
    }

    /** Our PUT succeeded: both tokens rotate; endpoints stay, roles are replaced when the peer sent some. */
    synchronized void completeOutboundUpdate(String tokenB, String tokenC, List<PartyRole> roles) {
        pendingInbound.remove(tokenB);
        if (peer != null) {
            peer = new Peer(tokenB, tokenC, peer.versionsUrl(), peer.endpoints(),
                    roles.isEmpty() ? peer.roles() : roles, true);
        }
    }

    /**
     * Our DELETE succeeded: the peer's token to us is void; we keep our token to it (so a later PUT or DELETE shows
     * the peer's 405) and the endpoints (so a later POST can register again).
     */
    synchronized void unregisteredOutbound() {
        if (peer != null) {
            peer = new Peer(null, peer.outboundToken(), peer.versionsUrl(), peer.endpoints(), peer.roles(), false);
        }
    }
}
