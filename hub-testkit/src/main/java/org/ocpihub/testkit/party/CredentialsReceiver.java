package org.ocpihub.testkit.party;

import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The server side of the credentials module (CRED 7.2): GET returns our Credentials; POST registers the caller
 * (fetching its versions and details with the token it sent, then issuing a new token); PUT re-fetches and rotates;
 * DELETE unregisters. POST by a registered caller, and PUT or DELETE by an unregistered one, answer HTTP 405.
 */
final class CredentialsReceiver {

    private final SelfDescription self;
    private final PartyState state;
    private final PeerDiscovery discovery;

    CredentialsReceiver(SelfDescription self, PartyState state, PeerDiscovery discovery) {
        this.self = self;
        this.state = state;
        this.discovery = discovery;
    }

    Mono<OcpiReply> get(OcpiRequest request) {
        return Mono.just(OcpiReply.ok(self.credentials(request.token())));
    }

    Mono<OcpiReply> post(OcpiRequest request) {
        if (request.caller() == OcpiRequest.Caller.REGISTERED) {
            return Mono.just(OcpiReply.error(405, 2000, "Already registered: use PUT to update"));
        }
        return exchange(request, false);
    }

    Mono<OcpiReply> put(OcpiRequest request) {
        if (request.caller() != OcpiRequest.Caller.REGISTERED) {
            return Mono.just(OcpiReply.error(405, 2000, "Not registered: use POST to register"));
        }
        return exchange(request, true);
    }

    Mono<OcpiReply> delete(OcpiRequest request) {
        if (request.caller() != OcpiRequest.Caller.REGISTERED || !state.unregisterInbound(request.token())) {
            return Mono.just(OcpiReply.error(405, 2000, "Not registered"));
        }
        return Mono.just(OcpiReply.ok(null));
    }

    private Mono<OcpiReply> exchange(OcpiRequest request, boolean update) {
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            return Mono.just(OcpiReply.error(400, 2001, "Body is not a JSON Credentials object"));
        }
        String peerToken = OcpiJson.text(body, "token");
        String peerVersionsUrl = OcpiJson.text(body, "url");
        List<PartyRole> peerRoles = OcpiJson.roles(body);
        if (peerToken == null || peerToken.isBlank() || peerVersionsUrl == null || peerRoles.isEmpty()) {
            return Mono.just(OcpiReply.error(200, 2001,
                    "Invalid or missing parameters: token, url and at least one role are required"));
        }
        return discovery.discover(peerVersionsUrl, peerToken)
                .map(found -> {
                    String newToken = PartyState.newToken();
                    boolean stored = state.completeInbound(request.token(), update, newToken, peerToken,
                            peerVersionsUrl, found.endpoints(), peerRoles);
                    return stored
                            ? OcpiReply.ok(self.credentials(newToken))
                            : OcpiReply.error(405, 2000, "Registration state changed concurrently");
                })
                .onErrorResume(PeerDiscovery.Failure.class,
                        failure -> Mono.just(OcpiReply.error(200, failure.ocpiStatus(), failure.getMessage())));
    }
}
