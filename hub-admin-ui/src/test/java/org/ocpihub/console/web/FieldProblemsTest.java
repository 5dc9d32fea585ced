package org.ocpihub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which form field an operator message of the services names (the message itself is the service's). */
class FieldProblemsTest {

    @Test
    void namesThePlainFieldOfAMessage() {
        assertThat(FieldProblems.fieldOf("missing required field: name", i -> i)).isEqualTo("name");
        assertThat(FieldProblems.fieldOf("field versions_url must be an http or https URL", i -> i))
                .isEqualTo("versions_url");
        assertThat(FieldProblems.fieldOf("query parameter from must be a date and time such as "
                + "2026-12-01T05:00:00Z, was 'yesterday'", i -> i)).isEqualTo("from");
    }

    @Test
    void mapsARoleOfTheRequestToItsRowInTheForm() {
        // the form's blank row 1 was left out of the request: the request's roles[1] is the form's row 2
        assertThat(FieldProblems.fieldOf("missing required field: roles[1].party_id", i -> i == 1 ? 2 : i))
                .isEqualTo("roles[2].party_id");
        assertThat(FieldProblems.fieldOf("field roles[0].country_code is longer than 2 characters", i -> i))
                .isEqualTo("roles[0].country_code");
        assertThat(FieldProblems.fieldOf("field roles[0].business_details.website must be an http or https URL",
                i -> i)).isEqualTo("roles[0].website");
        assertThat(FieldProblems.fieldOf("field roles[1] repeats CPO NL/ABC", i -> i)).isEqualTo("roles[1]");
        assertThat(FieldProblems.fieldOf("missing required field: roles (needs at least one entry)", i -> i))
                .isEqualTo("roles");
    }

    @Test
    void aMessageNamingNoFieldStaysOnTopOfThePage() {
        assertThat(FieldProblems.fieldOf("registration failed (OCPI status 3001): the platform's versions URL "
                + "answered HTTP 404 (http://x/versions): check that the URL is right", i -> i)).isNull();
        assertThat(FieldProblems.of(null, i -> i)).isEmpty();
    }

    @Test
    void namesTheLeadingFieldOfAnAgreementMessage() {
        assertThat(FieldProblems.leading("valid_until: must be after valid_from (2027-01-01T00:00:00Z)"))
                .containsOnlyKeys("valid_until");
        assertThat(FieldProblems.leading("modules[1]: unknown module 'foo'")).containsOnlyKeys("modules");
        assertThat(FieldProblems.leading("party_a.party_id: required")).containsOnlyKeys("party_a");
        assertThat(FieldProblems.leading("no agreement has id 'x'")).isEmpty();
        assertThat(FieldProblems.leading(null)).isEmpty();
    }
}
