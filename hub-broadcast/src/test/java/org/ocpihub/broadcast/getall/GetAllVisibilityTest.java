package org.ocpihub.broadcast.getall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

/** Who sees what in GET All via the hub: one test per role, for CPO data and for eMSP data. */
class GetAllVisibilityTest {

    private static final PartyId ME = PartyId.of("NL", "ME1");
    private static final PartyId OTHER_OWNER = PartyId.of("DE", "XYZ");

    private static GetAllVisibility.Scope scope(ModuleId module, Role... roles) {
        return GetAllVisibility.scope(module, ME, roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles));
    }

    private static void seesEveryOwner(ModuleId module, Role role) {
        GetAllVisibility.Scope scope = scope(module, role);
        assertThat(scope.allOwners()).as(role + " on " + module.id()).isTrue();
        assertThat(scope.sees(OTHER_OWNER)).isTrue();
        assertThat(scope.sees(ME)).isTrue();
    }

    private static void seesOnlyItsOwn(ModuleId module, Role role) {
        GetAllVisibility.Scope scope = scope(module, role);
        assertThat(scope.allOwners()).as(role + " on " + module.id()).isFalse();
        assertThat(scope.onlyOwner()).isEqualTo(ME);
        assertThat(scope.sees(ME)).isTrue();
        assertThat(scope.sees(OTHER_OWNER)).isFalse();
    }

    @Test
    void anEmspSeesEveryCposLocationsAndTariffsButOnlyItsOwnTokens() {
        seesEveryOwner(ModuleId.LOCATIONS, Role.EMSP);
        seesEveryOwner(ModuleId.TARIFFS, Role.EMSP);
        seesOnlyItsOwn(ModuleId.TOKENS, Role.EMSP);
    }

    @Test
    void anNspSeesLocationsAndTariffsButOnlyItsOwnTokens() {
        seesEveryOwner(ModuleId.LOCATIONS, Role.NSP);
        seesEveryOwner(ModuleId.TARIFFS, Role.NSP);
        seesOnlyItsOwn(ModuleId.TOKENS, Role.NSP);
    }

    @Test
    void anOtherSeesLocationsAndTariffsButOnlyItsOwnTokens() {
        seesEveryOwner(ModuleId.LOCATIONS, Role.OTHER);
        seesEveryOwner(ModuleId.TARIFFS, Role.OTHER);
        seesOnlyItsOwn(ModuleId.TOKENS, Role.OTHER);
    }

    @Test
    void aNapSeesLocationsAndTariffsButOnlyItsOwnTokens() {
        seesEveryOwner(ModuleId.LOCATIONS, Role.NAP);
        seesEveryOwner(ModuleId.TARIFFS, Role.NAP);
        seesOnlyItsOwn(ModuleId.TOKENS, Role.NAP);
    }

    @Test
    void aCpoSeesEveryEmspsTokensButOnlyItsOwnLocationsAndTariffs() {
        seesEveryOwner(ModuleId.TOKENS, Role.CPO);
        seesOnlyItsOwn(ModuleId.LOCATIONS, Role.CPO);
        seesOnlyItsOwn(ModuleId.TARIFFS, Role.CPO);
    }

    @Test
    void anScspSeesOnlyItsOwn() {
        seesOnlyItsOwn(ModuleId.LOCATIONS, Role.SCSP);
        seesOnlyItsOwn(ModuleId.TARIFFS, Role.SCSP);
        seesOnlyItsOwn(ModuleId.TOKENS, Role.SCSP);
    }

    @Test
    void aHubRoleSeesOnlyItsOwn() {
        seesOnlyItsOwn(ModuleId.LOCATIONS, Role.HUB);
        seesOnlyItsOwn(ModuleId.TOKENS, Role.HUB);
    }

    @Test
    void aPartyWithoutRolesSeesOnlyItsOwn() {
        for (ModuleId module : new ModuleId[] {ModuleId.LOCATIONS, ModuleId.TARIFFS, ModuleId.TOKENS}) {
            GetAllVisibility.Scope none = GetAllVisibility.scope(module, ME, Set.of());
            assertThat(none.onlyOwner()).as(module.id()).isEqualTo(ME);
        }
    }

    @Test
    void aPartyHoldingBothRolesSeesEverythingOfBoth() {
        Set<Role> both = EnumSet.of(Role.CPO, Role.EMSP);
        assertThat(GetAllVisibility.scope(ModuleId.LOCATIONS, ME, both).allOwners()).isTrue();
        assertThat(GetAllVisibility.scope(ModuleId.TOKENS, ME, both).allOwners()).isTrue();
    }
}
