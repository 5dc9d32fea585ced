package org.ocpihub.broadcast.clientinfo;

import java.util.List;

import org.ocpihub.ocpi.version.Endpoint;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.versions.HubModuleEndpoints;
import org.springframework.stereotype.Component;

/** Lists the hub's Hub Client Info SENDER endpoint in its version details (HCI 15.3.2). */
@Component
public class ClientInfoEndpoints implements HubModuleEndpoints {

    static final String PATH = "/hubclientinfo";

    @Override
    public List<Endpoint> endpoints(String versionBase) {
        return List.of(Endpoint.of(ModuleId.HUB_CLIENT_INFO, InterfaceRole.SENDER, versionBase + PATH));
    }
}
