package org.ocpihub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.Agreement;
import org.ocpihub.registry.agreement.AgreementBook;
import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.agreement.AgreementPair;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.RegistrySnapshot;

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

    @Test
    void showsAtMostFortyPartiesAndSaysHowManyMatch() {
        List<RegistrySnapshot.Loaded> loaded = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            loaded.add(platform(new PartyRole(i % 2 == 0 ? Role.CPO : Role.EMSP,
                    PartyId.of(i < 50 ? "NL" : "DE", String.format("P%02d", i)))));
        }
        RegistrySnapshot snapshot = RegistrySnapshot.of(loaded);

        AgreementMatrix all = AgreementMatrix.of(snapshot, ModuleId.LOCATIONS, NOW);
        assertThat(all.parties()).hasSize(AgreementMatrix.MAX_PARTIES);
        assertThat(all.rows()).hasSize(40).allSatisfy(r -> assertThat(r.cells()).hasSize(40));
        assertThat(all.matching()).isEqualTo(100);
        assertThat(all.registered()).isEqualTo(100);
        assertThat(all.cut()).isTrue();
        assertThat(all.parties().get(0).label()).isEqualTo("DE/P50"); // sorted by CC/PID

        // terms separated by spaces or commas, any of them, case ignored, in the CC/PID or the roles
        AgreementMatrix two = AgreementMatrix.of(snapshot, ModuleId.LOCATIONS, " nl/p07, de/P93 ", NOW);
        assertThat(two.parties()).extracting(AgreementMatrix.Party::label).containsExactly("DE/P93", "NL/P07");
        assertThat(two.filter()).isEqualTo("nl/p07, de/P93");
        assertThat(two.cut()).isFalse();
        assertThat(AgreementMatrix.of(snapshot, ModuleId.LOCATIONS, "emsp", NOW).matching()).isEqualTo(50);
        AgreementMatrix none = AgreementMatrix.of(snapshot, ModuleId.LOCATIONS, "XX/", NOW);
        assertThat(none.parties()).isEmpty();
        assertThat(none.matching()).isZero();
        assertThat(none.registered()).isEqualTo(100);
        // a filter longer than the field's 200 characters is cut, not refused
        AgreementMatrix tooLong = AgreementMatrix.of(snapshot, ModuleId.LOCATIONS, "NL/P07 " + "x".repeat(5000), NOW);
        assertThat(tooLong.filter()).hasSize(AgreementMatrix.MAX_FILTER).startsWith("NL/P07 ");
        assertThat(tooLong.parties()).extracting(AgreementMatrix.Party::label).containsExactly("NL/P07");
    }

    private static RegistrySnapshot.Loaded platform(PartyRole role) {
        return new RegistrySnapshot.Loaded(new Platform(UUID.randomUUID(), "platform " + role.party(),
                ConnectionStatus.CONNECTED, true, "https://x.example/versions", "2.2.1", TokenEncoding.BASE64,
                List.of(new GrantedRole(role, new BusinessDetails("p", null, null), true)), List.of(), NOW, NOW),
                null, null, null);
    }

    private static AgreementMatrix.State state(AgreementBook book, PartyId a, PartyId b, ModuleId module) {
        return AgreementMatrix.state(book, a, b, module, NOW);
    }

    private static Agreement agreement(PartyId a, PartyId b, Set<ModuleId> modules, Instant from, Instant until) {
        return new Agreement(UUID.nameUUIDFromBytes((a + " " + b + modules).getBytes()), AgreementPair.of(a, b),
                modules, from, until, NOW.minusSeconds(3600), "test");
    }
}
