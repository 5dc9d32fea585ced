package org.ocpihub.registry.versions;

import java.util.Comparator;
import java.util.List;

import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.version.Endpoint;
import org.ocpihub.ocpi.version.Version;
import org.ocpihub.ocpi.version.VersionDetails;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The hub's Versions module (VER 6): the versions it speaks and, for 2.2.1, every endpoint it serves. */
@RestController
public class VersionsController {

    private final HubProperties properties;
    private final List<HubModuleEndpoints> modules;

    public VersionsController(HubProperties properties, List<HubModuleEndpoints> modules) {
        this.properties = properties;
        this.modules = modules;
    }

    @GetMapping({HubPaths.VERSIONS, HubPaths.VERSIONS + "/"})
    public OcpiResponse<List<Version>> versions() {
        return OcpiResponse.success(List.of(new Version(Version.V2_2_1, properties.publicBase() + HubPaths.V221)));
    }

    @GetMapping({HubPaths.V221, HubPaths.V221 + "/"})
    public OcpiResponse<VersionDetails> details() {
        String base = properties.publicBase() + HubPaths.V221;
        List<Endpoint> endpoints = modules.stream()
                .flatMap(m -> m.endpoints(base).stream())
                .sorted(Comparator.comparing(Endpoint::identifier).thenComparing(Endpoint::role))
                .toList();
        return OcpiResponse.success(new VersionDetails(Version.V2_2_1, endpoints));
    }
}
