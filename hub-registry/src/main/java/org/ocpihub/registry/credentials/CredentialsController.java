package org.ocpihub.registry.credentials;

import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.credentials.Credentials;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/** The hub's Credentials endpoint (CRED 7.2); the authentication filter has already identified the caller. */
@RestController
public class CredentialsController {

    private final CredentialsHandshake handshake;

    public CredentialsController(CredentialsHandshake handshake) {
        this.handshake = handshake;
    }

    @GetMapping(HubPaths.CREDENTIALS)
    public OcpiResponse<Credentials> get(ServerWebExchange exchange) {
        return OcpiResponse.success(handshake.current(ExchangeAttributes.requireCaller(exchange)));
    }

    @PostMapping(HubPaths.CREDENTIALS)
    public Mono<OcpiResponse<Credentials>> post(@RequestBody Credentials credentials, ServerWebExchange exchange) {
        return handshake.register(ExchangeAttributes.requireCaller(exchange), credentials).map(OcpiResponse::success);
    }

    @PutMapping(HubPaths.CREDENTIALS)
    public Mono<OcpiResponse<Credentials>> put(@RequestBody Credentials credentials, ServerWebExchange exchange) {
        return handshake.update(ExchangeAttributes.requireCaller(exchange), credentials).map(OcpiResponse::success);
    }

    @DeleteMapping(HubPaths.CREDENTIALS)
    public Mono<OcpiResponse<Void>> delete(ServerWebExchange exchange) {
        return handshake.unregister(ExchangeAttributes.requireCaller(exchange))
                .thenReturn(OcpiResponse.success(null));
    }
}
