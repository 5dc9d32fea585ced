package org.ocpihub.registry.operator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ocpihub.ocpi.FieldCheck;
import org.ocpihub.ocpi.credentials.CredentialsRole;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.NewPlatform;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Admin API body that onboards a platform: its name, the roles it may host, optionally its token encoding. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreatePlatformRequest(String name, List<CredentialsRole> roles, TokenEncoding tokenEncoding) {

    /** Everything wrong with the request, naming the fields. */
    public FieldCheck check(PartyRole hubIdentity) {
        FieldCheck check = FieldCheck.of("").required("name", name).maxLength("name", name, 100)
                .nonEmpty("roles", roles);
        if (name != null && name.chars().anyMatch(Character::isISOControl)) {
            // the name goes into the hub's log lines and the audit log: a line break there forges a log line
            check.fail("name", "must not contain line breaks, tabs or other control characters");
        }
        if (roles != null) {
            Set<PartyRole> seen = new HashSet<>();
            for (int i = 0; i < roles.size(); i++) {
                CredentialsRole role = roles.get(i);
                String field = "roles[" + i + "]";
                if (role == null) {
                    check.fail(field, "must not be null");
                    continue;
                }
                int before = check.problems().size();
                role.check(check.nested(field));
                if (check.problems().size() > before) {
                    continue;
                }
                if (role.role() == Role.HUB) {
                    check.fail(field + ".role", "cannot be HUB: the hub is the only HUB");
                } else if (role.partyRole().party().equals(hubIdentity.party())) {
                    check.fail(field, "uses the hub's own country_code/party_id " + hubIdentity.party());
                } else if (!seen.add(role.partyRole())) {
                    check.fail(field, "repeats " + role.partyRole());
                }
            }
        }
        return check;
    }

    /** Only valid after {@link #check} found nothing. */
    public NewPlatform toNewPlatform() {
        List<GrantedRole> granted = new ArrayList<>();
        roles.forEach(r -> granted.add(new GrantedRole(r.partyRole(), r.businessDetails(), false)));
        return new NewPlatform(name.trim(), granted, tokenEncoding == null ? TokenEncoding.BASE64 : tokenEncoding);
    }
}
