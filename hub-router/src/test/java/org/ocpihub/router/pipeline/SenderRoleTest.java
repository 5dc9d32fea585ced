package org.ocpihub.router.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.Platform;
import org.springframework.http.HttpStatus;

/** The sender rule applied to a caller's roles: only the roles the caller itself claimed for the from-pair count. */
class SenderRoleTest {

    private static final PartyId ATC = PartyId.of("NL", "ATC");
    private static final PartyId ATB = PartyId.of("BE", "ATB");

    /** CPO NL/ATC on platform 1, EMSP NL/ATC on platform 2: each may send only what its own role may. */
    @Test
    void oneIdInTwoRolesOnTwoPlatformsIsJudgedByTheCallersRole() {
        Platform cpoPlatform = platform(granted(Role.CPO, ATC, true));
        Platform emspPlatform = platform(granted(Role.EMSP, ATC, true));

        assertThat(SenderRole.require(cpoPlatform, ATC, ModuleId.LOCATIONS, InterfaceRole.RECEIVER))
                .isEqualTo(Role.CPO);
        assertThat(SenderRole.require(emspPlatform, ATC, ModuleId.TOKENS, InterfaceRole.RECEIVER))
                .isEqualTo(Role.EMSP);
        assertForbidden(() -> SenderRole.require(emspPlatform, ATC, ModuleId.LOCATIONS, InterfaceRole.RECEIVER),
                "OCPI-from NL/ATC is EMSP", "locations RECEIVER", "CPO, NAP");
        assertForbidden(() -> SenderRole.require(emspPlatform, ATC, ModuleId.CDRS, InterfaceRole.RECEIVER),
                "NL/ATC", "EMSP", "cdrs RECEIVER");
        assertForbidden(() -> SenderRole.require(cpoPlatform, ATC, ModuleId.TOKENS, InterfaceRole.RECEIVER),
                "NL/ATC is CPO", "tokens RECEIVER", "EMSP, OTHER");
    }

    /** The attack's first input: a CPO pushes a Token or a command to another CPO. */
    @Test
    void aCpoSendsNeitherTokensNorCommands() {
        Platform cpo = platform(granted(Role.CPO, ATB, true));

        assertForbidden(() -> SenderRole.require(cpo, ATB, ModuleId.TOKENS, InterfaceRole.RECEIVER),
                "BE/ATB", "CPO", "tokens RECEIVER");
        assertForbidden(() -> SenderRole.require(cpo, ATB, ModuleId.COMMANDS, InterfaceRole.RECEIVER),
                "BE/ATB", "CPO", "commands RECEIVER");
        assertThat(SenderRole.require(cpo, ATB, ModuleId.TOKENS, InterfaceRole.SENDER)).isEqualTo(Role.CPO);
        assertThat(SenderRole.require(cpo, ATB, ModuleId.COMMANDS, InterfaceRole.SENDER)).isEqualTo(Role.CPO);
    }

    /** A platform hosting CPO and EMSP under one id sends each module in the role that fits. */
    @Test
    void onePlatformWithTwoRolesForOneIdUsesTheFittingOne() {
        Platform both = platform(granted(Role.CPO, ATC, true), granted(Role.EMSP, ATC, true));

        assertThat(SenderRole.require(both, ATC, ModuleId.LOCATIONS, InterfaceRole.RECEIVER)).isEqualTo(Role.CPO);
        assertThat(SenderRole.require(both, ATC, ModuleId.TOKENS, InterfaceRole.RECEIVER)).isEqualTo(Role.EMSP);
        assertThat(SenderRole.require(both, ATC, ModuleId.LOCATIONS, InterfaceRole.SENDER)).isEqualTo(Role.EMSP);
    }

    /** NSP, NAP and OTHER pull Locations; an NSP sends no commands; an SCSP sets charging profiles. */
    @Test
    void theOtherRolesAreAsLiberalAsTheSpec() {
        PartyId nsp = PartyId.of("DE", "NSP");
        PartyId nap = PartyId.of("DE", "NAP");
        PartyId other = PartyId.of("DE", "OTH");
        PartyId scsp = PartyId.of("DE", "SCS");
        Platform platform = platform(granted(Role.NSP, nsp, true), granted(Role.NAP, nap, true),
                granted(Role.OTHER, other, true), granted(Role.SCSP, scsp, true));

        for (PartyId puller : List.of(nsp, nap, other)) {
            assertThat(SenderRole.require(platform, puller, ModuleId.LOCATIONS, InterfaceRole.SENDER)).isNotNull();
            assertThat(SenderRole.require(platform, puller, ModuleId.TARIFFS, InterfaceRole.SENDER)).isNotNull();
        }
        assertThat(SenderRole.require(platform, nap, ModuleId.LOCATIONS, InterfaceRole.RECEIVER))
                .isEqualTo(Role.NAP);
        assertThat(SenderRole.require(platform, other, ModuleId.TOKENS, InterfaceRole.RECEIVER))
                .isEqualTo(Role.OTHER);
        assertThat(SenderRole.require(platform, scsp, ModuleId.CHARGING_PROFILES, InterfaceRole.RECEIVER))
                .isEqualTo(Role.SCSP);
        assertForbidden(() -> SenderRole.require(platform, nsp, ModuleId.LOCATIONS, InterfaceRole.RECEIVER),
                "DE/NSP is NSP", "locations RECEIVER");
        assertForbidden(() -> SenderRole.require(platform, nsp, ModuleId.COMMANDS, InterfaceRole.RECEIVER),
                "DE/NSP is NSP", "commands RECEIVER");
        assertForbidden(() -> SenderRole.require(platform, scsp, ModuleId.TOKENS, InterfaceRole.RECEIVER),
                "DE/SCS is SCSP", "tokens RECEIVER");
    }

    @Test
    void aPartyOfAnotherPlatformOrAnUnclaimedRoleIsNotTheCallers() {
        Platform platform = platform(granted(Role.EMSP, ATB, false), granted(Role.CPO, ATC, true));

        assertForbidden(() -> SenderRole.require(platform, ATB, ModuleId.TOKENS, InterfaceRole.RECEIVER),
                "OCPI-from BE/ATB is not a party of the calling platform");
        assertForbidden(() -> SenderRole.require(platform, PartyId.of("FR", "XYZ"), ModuleId.LOCATIONS,
                InterfaceRole.RECEIVER), "OCPI-from FR/XYZ is not a party of the calling platform");
    }

    @Test
    void theFromPairIsACiString() {
        Platform cpo = platform(granted(Role.CPO, ATC, true));

        assertThat(SenderRole.require(cpo, PartyId.of("nl", "atc"), ModuleId.CDRS, InterfaceRole.RECEIVER))
                .isEqualTo(Role.CPO);
    }

    private static void assertForbidden(Runnable call, String... messageParts) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OcpiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(e.statusCode()).isEqualTo(OcpiStatus.INVALID_OR_MISSING_PARAMETERS);
            assertThat(e.getMessage()).contains(Arrays.asList(messageParts));
        });
    }

    private static GrantedRole granted(Role role, PartyId party, boolean claimed) {
        return new GrantedRole(new PartyRole(role, party), new BusinessDetails("x", null, null), claimed);
    }

    private static Platform platform(GrantedRole... roles) {
        return new Platform(UUID.randomUUID(), "p", ConnectionStatus.CONNECTED, true, "https://p.example/versions",
                "2.2.1", TokenEncoding.BASE64, List.of(roles), List.of(), Instant.EPOCH, Instant.EPOCH);
    }
}
