package org.ocpihub.ocpi.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.SpecExamples;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;

class CredentialsTest {

    @Test
    void theSpecExamplesAreValid() {
        for (String name : List.of("credentials_example.json", "credentials_example2.json",
                "credentials_example3.json", "credentials_example4.json")) {
            Credentials credentials = OcpiJson.mapper().readValue(SpecExamples.read(name), Credentials.class);
            assertThat(credentials.check().problems()).as(name).isEmpty();
        }
        Credentials two = OcpiJson.mapper().readValue(SpecExamples.read("credentials_example2.json"),
                Credentials.class);
        assertThat(two.roles()).extracting(CredentialsRole::partyRole)
                .containsExactly(PartyRole.of(Role.CPO, "NL", "EXA"), PartyRole.of(Role.EMSP, "NL", "EXA"));
    }

    @Test
    void problemsNameTheField() {
        Credentials missing = new Credentials(null, "ftp://x", List.of(
                new CredentialsRole(Role.CPO, new BusinessDetails("A", null, null), "TOOLONG", "NL"),
                new CredentialsRole(Role.CPO, null, "ABC", "NL")));
        assertThat(missing.check().problems()).containsExactly(
                "missing required field: token",
                "field url must be an http or https URL",
                "field roles[0].party_id is longer than 3 characters",
                "missing required field: roles[1].business_details");
    }

    @Test
    void repeatedRolesAreRefused() {
        CredentialsRole role = new CredentialsRole(Role.CPO, new BusinessDetails("A", null, null), "abc", "nl");
        CredentialsRole same = new CredentialsRole(Role.CPO, new BusinessDetails("A", null, null), "ABC", "NL");
        Credentials credentials = new Credentials("t", "https://x/versions", List.of(role, same));
        assertThat(credentials.check().firstProblem()).hasValueSatisfying(p -> assertThat(p).contains("roles[1]"));
    }

    @Test
    void emptyRolesAreMissing() {
        assertThat(new Credentials("t", "https://x", List.of()).check().firstProblem())
                .contains("missing required field: roles (needs at least one entry)");
    }
}
