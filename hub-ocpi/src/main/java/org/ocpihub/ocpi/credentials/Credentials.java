package org.ocpihub.ocpi.credentials;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ocpihub.ocpi.FieldCheck;
import org.ocpihub.ocpi.party.PartyRole;

/** OCPI Credentials (CRED 7.3.1): the token to call its owner with, its versions URL and the roles it hosts. */
public record Credentials(String token, String url, List<CredentialsRole> roles) {

    public Credentials {
        // a null entry is kept for check() to name (roles[i]); List.copyOf would fail before any check could
        roles = roles == null ? null : Collections.unmodifiableList(new ArrayList<>(roles));
    }

    /** Everything wrong with a received Credentials object, naming the fields. */
    public FieldCheck check() {
        FieldCheck check = FieldCheck.of("")
                .required("token", token).maxLength("token", token, 64).printableAscii("token", token)
                .required("url", url).url("url", url)
                .nonEmpty("roles", roles);
        if (roles != null) {
            Set<PartyRole> seen = new HashSet<>();
            for (int i = 0; i < roles.size(); i++) {
                CredentialsRole role = roles.get(i);
                if (role == null) {
                    check.fail("roles[" + i + "]", "must not be null");
                    continue;
                }
                int before = check.problems().size();
                role.check(check.nested("roles[" + i + "]"));
                if (check.problems().size() == before && !seen.add(role.partyRole())) {
                    check.fail("roles[" + i + "]", "repeats " + role.partyRole() + " (each role must be unique)");
                }
            }
        }
        return check;
    }
}
