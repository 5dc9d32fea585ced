package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * The client side of the credentials module (CRED 7.1.1 Sender): registers with a peer given its versions URL and a
 * token A, and later POSTs again, updates (PUT, rotating both tokens) or unregisters (DELETE).
 */
final class CredentialsSender {

    private final SelfDescription self;
    private final PartyState state;
    private final PeerDiscovery discovery;
    private final OcpiClient client;

    CredentialsSender(SelfDescription self, PartyState state, PeerDiscovery discovery, OcpiClient client) {
        this.self = self;
        this.state = state;
        this.discovery = discovery;
        this.client = client;
    }

    Mono<RegistrationResult> register(String peerVersionsUrl, String tokenA) {
        return discovery.discover(peerVersionsUrl, tokenA)
                .flatMap(found -> post(found.credentialsUrl(), tokenA, peerVersionsUrl, found.endpoints()))
                .onErrorResume(PeerDiscovery.Failure.class, failure -> Mono.just(RegistrationResult.failed(
                        failure.step(), failure.response(), failure.getMessage(), failure.endpoints())));
    }

    /** POSTs our Credentials again with the token we hold for the peer (a registered peer answers 405). */
    Mono<RegistrationResult> postAgain() {
        return Mono.defer(() -> {
            PartyState.Peer peer = connectedPeer();
            return post(credentialsUrl(peer), peer.outboundToken(), peer.versionsUrl(), peer.endpoints());
        });
    }

    Mono<SimulatedResponse> update() {
        return Mono.defer(() -> {
            PartyState.Peer peer = connectedPeer();
            return put(credentialsUrl(peer), peer.outboundToken());
        });
    }

    private Mono<SimulatedResponse> put(String credentialsUrl, String token) {
        String tokenB = state.beginOutbound();
        return client.send("PUT", credentialsUrl, token, credentialsBody(tokenB))
                .doOnError(e -> state.abandonOutbound(tokenB))
                .doOnNext(response -> {
                    String tokenC = OcpiJson.text(response.data(), "token");
                    if (response.isSuccess() && tokenC != null) {
                        state.completeOutboundUpdate(tokenB, tokenC, OcpiJson.roles(response.data()));
                    } else {
                        state.abandonOutbound(tokenB);
                    }
                });
    }

    Mono<SimulatedResponse> unregister() {
        return Mono.defer(() -> {
            PartyState.Peer peer = connectedPeer();
            return client.send("DELETE", credentialsUrl(peer), peer.outboundToken(), null);
        }).doOnNext(response -> {
            if (response.isSuccess()) {
                state.unregisteredOutbound();
            }
        });
    }

    private Mono<RegistrationResult> post(String credentialsUrl, String token, String peerVersionsUrl,
                                          Map<String, String> endpoints) {
        String tokenB = state.beginOutbound();
        return client.send("POST", credentialsUrl, token, credentialsBody(tokenB))
                .doOnError(e -> state.abandonOutbound(tokenB))
                .map(response -> {
                    String tokenC = OcpiJson.text(response.data(), "token");
                    if (response.isSuccess() && tokenC != null) {
                        List<PartyRole> roles = OcpiJson.roles(response.data());
                        state.completeOutbound(tokenB, tokenC, peerVersionsUrl, endpoints, roles);
                        return new RegistrationResult("credentials", response.httpStatus(), response.statusCode(),
                                response.statusMessage(), tokenC, roles, endpoints);
                    }
                    state.abandonOutbound(tokenB);
                    return RegistrationResult.failed("credentials", response, null, endpoints);
                });
    }

    private String credentialsBody(String tokenB) {
        return OcpiJson.write(self.credentials(tokenB));
    }

    private PartyState.Peer connectedPeer() {
        PartyState.Peer peer = state.peer();
        if (peer == null || peer.outboundToken() == null || credentialsUrl(peer) == null) {
            throw new IllegalStateException("no token for and credentials endpoint of a peer: register first");
        }
        return peer;
    }

    private static String credentialsUrl(PartyState.Peer peer) {
        return OcpiJson.endpointOf(peer.endpoints(), "credentials");
    }
}
