package org.ocpihub.ocpi.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * The role table, one row per routed module and interface: who may send a request to it (TERM 2.3.1, the modules'
 * "typically implemented by", TF 4.1.8.3 "Other is seen as an eMSP type of role").
 */
class ModuleRolesTest {

    @ParameterizedTest(name = "{0} {1} ← {2}")
    @CsvSource(delimiter = ';', value = {
            // module; interface the request goes to; roles that may send it
            "locations;        RECEIVER; CPO NAP",                 // a CPO (or a NAP) pushes its Locations
            "locations;        SENDER;   EMSP NSP NAP OTHER",      // who may GET a CPO's Locations
            "tariffs;          RECEIVER; CPO NAP",
            "tariffs;          SENDER;   EMSP NSP NAP OTHER",
            "sessions;         RECEIVER; CPO",                     // the CPO pushes Sessions
            "sessions;         SENDER;   EMSP SCSP OTHER",         // GET, and the eMSP's charging_preferences PUT
            "cdrs;             RECEIVER; CPO",                     // the CPO POSTs CDRs
            "cdrs;             SENDER;   EMSP OTHER",
            "tokens;           RECEIVER; EMSP OTHER",              // the eMSP pushes its Tokens
            "tokens;           SENDER;   CPO",                     // GET, and the CPO's real-time authorize
            "commands;         RECEIVER; EMSP OTHER",              // START_SESSION etc. go to the CPO
            "commands;         SENDER;   CPO",                     // the CPO's CommandResult
            "chargingprofiles; RECEIVER; EMSP SCSP OTHER",         // Set/Get/Clear go to the CPO
            "chargingprofiles; SENDER;   CPO",                     // the CPO's results and ActiveChargingProfile PUT
    })
    void whoMaySendEachModuleOnEachInterface(String module, InterfaceRole role, String roles) {
        Set<Role> expected = Arrays.stream(roles.trim().split(" +")).map(Role::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));

        assertThat(ModuleRoles.requesting(ModuleId.fromId(module.trim()).orElseThrow(), role))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** A request on one interface comes from the parties implementing the other one. */
    @ParameterizedTest
    @EnumSource(ModuleId.class)
    void requestersAreTheOtherInterfacesImplementers(ModuleId module) {
        assertThat(ModuleRoles.requesting(module, InterfaceRole.RECEIVER))
                .isEqualTo(ModuleRoles.serving(module, InterfaceRole.SENDER));
        assertThat(ModuleRoles.requesting(module, InterfaceRole.SENDER))
                .isEqualTo(ModuleRoles.serving(module, InterfaceRole.RECEIVER));
    }

    @Test
    void noMemberIsEverAHubAndConfigurationModulesAreNotRouted() {
        for (ModuleId module : ModuleId.values()) {
            for (InterfaceRole role : InterfaceRole.values()) {
                assertThat(ModuleRoles.requesting(module, role)).doesNotContain(Role.HUB);
                if (!module.isFunctional()) {
                    assertThat(ModuleRoles.requesting(module, role)).isEmpty();
                }
            }
        }
    }

    /** OTHER may do whatever an eMSP may (TF 4.1.8.3). */
    @Test
    void otherIsAnEmspTypeOfRole() {
        for (ModuleId module : ModuleId.values()) {
            for (InterfaceRole role : InterfaceRole.values()) {
                Set<Role> requesting = ModuleRoles.requesting(module, role);
                assertThat(requesting.contains(Role.OTHER)).as(module + " " + role)
                        .isEqualTo(requesting.contains(Role.EMSP));
            }
        }
    }
}
