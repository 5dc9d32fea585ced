package org.ocpihub.broadcast.clientinfo;

import java.util.List;

import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** The operator's view of what Hub Client Info tells one platform: a thin wrapper of {@link ClientInfoView}. */
@RestController
public class ClientInfoAdminController {

    private final ClientInfoView view;

    public ClientInfoAdminController(ClientInfoView view) {
        this.view = view;
    }

    /** The ClientInfo objects the hub's {@code GET hubclientinfo} returns to the platform, all pages together. */
    @GetMapping(HubPaths.ADMIN_API + "/platforms/{id}/client-info")
    public Mono<List<ClientInfo>> forPlatform(@PathVariable String id) {
        java.util.UUID uuid;
        try {
            uuid = java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no platform with id " + id));
        }
        return view.forPlatform(uuid);
    }
}
