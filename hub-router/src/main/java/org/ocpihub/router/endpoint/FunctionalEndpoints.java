package org.ocpihub.router.endpoint;

import java.util.ArrayList;
import java.util.List;

import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.version.Endpoint;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.versions.HubModuleEndpoints;
import org.ocpihub.router.pipeline.ModuleCall;
import org.springframework.stereotype.Component;

/**
 * Lists the hub's SENDER and RECEIVER endpoints of every functional module in its version details: the hub is
 * "Both" for each (TERM 2.3.1), for every module whose profile is routed ({@link ModuleProfile#allRouted()}). URLs are
 * {@code <version base>/<module>/<sender|receiver>}.
 */
@Component
public class FunctionalEndpoints implements HubModuleEndpoints {

    @Override
    public List<Endpoint> endpoints(String versionBase) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (ModuleProfile module : ModuleProfile.allRouted()) {
            for (InterfaceRole role : InterfaceRole.values()) {
                endpoints.add(Endpoint.of(module.id(), role, versionBase + ModuleCall.path(module.id(), role)));
            }
        }
        return endpoints;
    }
}
