package org.ocpihub.registry.platform;

/** A role (role, country_code, party_id) is already granted to another platform. */
public final class RoleAlreadyGrantedException extends RuntimeException {
    public RoleAlreadyGrantedException(String message) {
        super(message);
    }
}
