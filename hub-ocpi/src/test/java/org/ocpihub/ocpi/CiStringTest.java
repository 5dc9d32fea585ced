package org.ocpihub.ocpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.party.PartyId;

class CiStringTest {

    @Test
    void partyIdsCompareCaseInsensitively() {
        assertThat(PartyId.of("nl", "exa")).isEqualTo(PartyId.of("NL", "EXA"));
        assertThat(PartyId.of("nl", "exa").toString()).isEqualTo("NL/EXA");
    }

    @Test
    void partyIdsRefuseTooLongOrNonAsciiNamingTheField() {
        assertThatThrownBy(() -> PartyId.of("NLD", "EXA")).hasMessageContaining("country_code");
        assertThatThrownBy(() -> PartyId.of("NL", "EXAM")).hasMessageContaining("party_id");
        assertThatThrownBy(() -> PartyId.of("NL", "É")).hasMessageContaining("party_id");
        assertThatThrownBy(() -> PartyId.of(null, "EXA")).hasMessageContaining("country_code");
    }
}
