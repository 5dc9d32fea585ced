package org.ocpihub.registry.platform;

import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/** One endpoint a platform offers (module and interface role to URL), from its version details. */
public record PlatformEndpoint(ModuleId module, InterfaceRole role, String url) {
}
