package org.ocpihub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.Agreement;
import org.ocpihub.registry.agreement.AgreementBook;
import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.agreement.AgreementPair;

/** What a cell of the agreements matrix says, from the book the router asks. */
class AgreementMatrixTest {

    private static final PartyId A = PartyId.of("NL", "ALP");
    private static final PartyId B = PartyId.of("DE", "E00");
    private static final PartyId C = PartyId.of("BE", "CCC");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void saysAgreedNotYetValidExpiredRefusedAndBlankOnTheDiagonal() {
        AgreementBook book = new AgreementBook(AgreementMode.REQUIRED, List.of(
                agreement(A, B, Set.of(ModuleId.LOCATIONS), null, null),
                agreement(A, B, Set.of(ModuleId.TARIFFS), NOW.plusSeconds(60), null),
                agreement(A, B, Set.of(ModuleId.SESSIONS), null, NOW)), List.of());
        assertThat(state(book, A, B, ModuleId.LOCATIONS)).isEqualTo(AgreementMatrix.State.AGREED);
        assertThat(state(book, B, A, ModuleId.LOCATIONS)).isEqualTo(AgreementMatrix.State.AGREED);
        assertThat(state(book, A, B, ModuleId.TARIFFS)).isEqualTo(AgreementMatrix.State.NOT_YET_VALID);
        assertThat(state(book, A, B, ModuleId.SESSIONS)).isEqualTo(AgreementMatrix.State.EXPIRED);
        assertThat(state(book, A, B, ModuleId.CDRS)).isEqualTo(AgreementMatrix.State.REFUSED);
        assertThat(state(book, A, A, ModuleId.CDRS)).isEqualTo(AgreementMatrix.State.SELF);
    }

    @Test
    void saysOpenWhereTheModeDoesNotGateThePair() {
        assertThat(state(AgreementBook.open(), A, B, ModuleId.CDRS)).isEqualTo(AgreementMatrix.State.OPEN);
        AgreementBook perParty = new AgreementBook(AgreementMode.PER_PARTY, List.of(), List.of(A));
        assertThat(state(perParty, B, C, ModuleId.CDRS)).isEqualTo(AgreementMatrix.State.OPEN);
        assertThat(state(perParty, B, A, ModuleId.CDRS)).isEqualTo(AgreementMatrix.State.REFUSED);
        assertThat(AgreementMatrix.State.NOT_YET_VALID.key()).isEqualTo("not-yet-valid");
    }

    private static AgreementMatrix.State state(AgreementBook book, PartyId a, PartyId b, ModuleId module) {
        return AgreementMatrix.state(book, a, b, module, NOW);
    }

    private static Agreement agreement(PartyId a, PartyId b, Set<ModuleId> modules, Instant from, Instant until) {
        return new Agreement(UUID.nameUUIDFromBytes((a + " " + b + modules).getBytes()), AgreementPair.of(a, b),
                modules, from, until, NOW.minusSeconds(3600), "test");
    }
}
