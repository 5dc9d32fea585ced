package org.ocpihub.registry.credentials;

import java.util.List;

import org.ocpihub.ocpi.version.Endpoint;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.versions.HubModuleEndpoints;
import org.springframework.stereotype.Component;

/** Lists the credentials endpoint in the hub's version details; the hub is both sides of it (TERM 2.3.1). */
@Component
public class CredentialsEndpoints implements HubModuleEndpoints {

    @Override
    public List<Endpoint> endpoints(String versionBase) {
        String url = versionBase + "/credentials";
        return List.of(Endpoint.of(ModuleId.CREDENTIALS, InterfaceRole.SENDER, url),
                Endpoint.of(ModuleId.CREDENTIALS, InterfaceRole.RECEIVER, url));
    }
}
