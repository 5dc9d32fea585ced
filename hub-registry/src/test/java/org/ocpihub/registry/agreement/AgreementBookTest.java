package org.ocpihub.registry.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;

class AgreementBookTest {

    private static final PartyId CPO = PartyId.of("NL", "ALP");
    private static final PartyId EMSP = PartyId.of("DE", "E00");
    private static final PartyId OTHER = PartyId.of("FR", "X01");
    private static final Instant NOW = Instant.parse("2027-06-01T12:00:00Z");

    private static Agreement agreement(PartyId a, PartyId b, Set<ModuleId> modules, String from, String until) {
        return new Agreement(UUID.randomUUID(), AgreementPair.of(a, b), modules,
                from == null ? null : Instant.parse(from), until == null ? null : Instant.parse(until),
                Instant.parse("2027-01-01T00:00:00Z"), "test");
    }

    @Test
    void openModeAllowsEveryoneWithEveryone() {
        AgreementBook book = new AgreementBook(AgreementMode.OPEN, List.of(), List.of());

        assertThat(book.allows(CPO, EMSP, ModuleId.TOKENS, NOW)).isTrue();
        assertThat(book.allowsAny(CPO, OTHER, NOW)).isTrue();
        assertThat(book.refusal(CPO, EMSP, ModuleId.LOCATIONS, NOW)).isEmpty();
    }

    @Test
    void requiredModeAllowsOnlyTheModulesOfAnAgreementEitherWayRound() {
        AgreementBook book = new AgreementBook(AgreementMode.REQUIRED,
                List.of(agreement(EMSP, CPO, Set.of(ModuleId.LOCATIONS, ModuleId.COMMANDS), null, null)), List.of());

        assertThat(book.allows(CPO, EMSP, ModuleId.LOCATIONS, NOW)).isTrue();
        assertThat(book.allows(EMSP, CPO, ModuleId.COMMANDS, NOW)).isTrue();
        assertThat(book.allows(EMSP, CPO, ModuleId.TOKENS, NOW)).isFalse();
        assertThat(book.allows(CPO, OTHER, ModuleId.LOCATIONS, NOW)).isFalse();
        assertThat(book.allowsAny(CPO, EMSP, NOW)).isTrue();
        assertThat(book.allowsAny(CPO, OTHER, NOW)).isFalse();
        assertThat(book.allows(CPO, CPO, ModuleId.TOKENS, NOW)).as("a party and itself").isTrue();
        assertThat(book.refusal(EMSP, CPO, ModuleId.TOKENS, NOW)).get().asString()
                .isEqualTo("no roaming agreement between DE/E00 and NL/ALP for module tokens; the hub operator "
                        + "manages agreements");
    }

    @Test
    void anAgreementCountsOnlyInsideItsWindowStartInclusiveEndExclusive() {
        Agreement windowed = agreement(CPO, EMSP, Set.of(ModuleId.TARIFFS), "2027-06-01T12:00:00Z",
                "2027-07-01T00:00:00Z");
        AgreementBook book = new AgreementBook(AgreementMode.REQUIRED, List.of(windowed), List.of());

        assertThat(book.allows(CPO, EMSP, ModuleId.TARIFFS, NOW)).isTrue();
        assertThat(book.allows(CPO, EMSP, ModuleId.TARIFFS, NOW.minusMillis(1))).isFalse();
        assertThat(book.allows(CPO, EMSP, ModuleId.TARIFFS, Instant.parse("2027-07-01T00:00:00Z"))).isFalse();
        assertThat(book.allowsAny(CPO, EMSP, NOW.minusSeconds(60))).isFalse();
        assertThat(book.refusal(CPO, EMSP, ModuleId.TARIFFS, NOW.minusSeconds(60))).get().asString()
                .contains("is valid now (agreement " + windowed.id() + " is valid from 2027-06-01T12:00:00Z until "
                        + "2027-07-01T00:00:00Z)");
    }

    @Test
    void perPartyModeGatesOnlyTrafficToOrFromPartiesThatOptedIn() {
        AgreementBook book = new AgreementBook(AgreementMode.PER_PARTY,
                List.of(agreement(CPO, EMSP, Set.of(ModuleId.LOCATIONS), null, null)), List.of(CPO));

        assertThat(book.governs(EMSP, OTHER)).isFalse();
        assertThat(book.allows(EMSP, OTHER, ModuleId.TOKENS, NOW)).as("neither opted in").isTrue();
        assertThat(book.allows(OTHER, CPO, ModuleId.LOCATIONS, NOW)).as("CPO opted in, no agreement").isFalse();
        assertThat(book.allows(EMSP, CPO, ModuleId.LOCATIONS, NOW)).isTrue();
        assertThat(book.allows(EMSP, CPO, ModuleId.TOKENS, NOW)).isFalse();
    }

    @Test
    void aPairIsTheSameInEitherOrderAndNeverOfOneParty() {
        assertThat(AgreementPair.of(CPO, EMSP)).isEqualTo(AgreementPair.of(EMSP, CPO));
        assertThat(AgreementPair.of(CPO, EMSP).first()).isEqualTo(EMSP);
        assertThatThrownBy(() -> AgreementPair.of(CPO, PartyId.of("nl", "alp")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
