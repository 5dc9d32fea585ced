package org.ocpihub.registry.platform;

import java.util.List;

import org.ocpihub.ocpi.credentials.TokenEncoding;

/** What an operator gives to onboard a platform: a name, the roles it may host, how it wants its token encoded. */
public record NewPlatform(String name, List<GrantedRole> roles, TokenEncoding tokenEncoding) {
}
