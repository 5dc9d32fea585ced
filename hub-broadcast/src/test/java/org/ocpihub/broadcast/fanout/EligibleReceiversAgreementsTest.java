package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.Agreement;
import org.ocpihub.registry.agreement.AgreementBook;
import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.agreement.AgreementPair;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.secret.Secret;

/**
 * Issue 13: where agreements are required, a broadcast goes only to parties with an agreement with its owner for the
 * module, and a party's Hub Client Info only to platforms hosting a party that may communicate with it.
 */
class EligibleReceiversAgreementsTest {

    private static final PartyId CPO = PartyId.of("NL", "CPO");

    private final Platform cpo = platform(Role.CPO, "CPO", endpoint(ModuleId.LOCATIONS, InterfaceRole.SENDER));
    private final Platform agreed = platform(Role.EMSP, "AGR", endpoint(ModuleId.LOCATIONS, InterfaceRole.RECEIVER),
            endpoint(ModuleId.TARIFFS, InterfaceRole.RECEIVER));
    private final Platform tariffsOnly = platform(Role.EMSP, "TAR",
            endpoint(ModuleId.LOCATIONS, InterfaceRole.RECEIVER), endpoint(ModuleId.TARIFFS, InterfaceRole.RECEIVER));
    private final Platform stranger = platform(Role.EMSP, "STR",
            endpoint(ModuleId.LOCATIONS, InterfaceRole.RECEIVER));

    private AgreementBook book(AgreementMode mode) {
        return new AgreementBook(mode, List.of(
                agreement(CPO, party(agreed), Set.of(ModuleId.LOCATIONS, ModuleId.TARIFFS)),
                agreement(CPO, party(tariffsOnly), Set.of(ModuleId.TARIFFS))), List.of());
    }

    @Test
    void requiredModeSendsDataOnlyToPartiesWithAnAgreementForTheModule() {
        RegistrySnapshot snapshot = snapshot(book(AgreementMode.REQUIRED));

        assertThat(receivers(EligibleReceivers.of(push(ModuleId.LOCATIONS), snapshot)))
                .containsExactly(agreed.id());
        assertThat(receivers(EligibleReceivers.of(push(ModuleId.TARIFFS), snapshot)))
                .containsExactlyInAnyOrder(agreed.id(), tariffsOnly.id());
    }

    @Test
    void requiredModeTellsAPartysStatusOnlyToPlatformsThatMayCommunicateWithIt() {
        RegistrySnapshot snapshot = snapshot(book(AgreementMode.REQUIRED));

        assertThat(receivers(EligibleReceivers.of(statusOfCpo(), snapshot)))
                .containsExactlyInAnyOrder(agreed.id(), tariffsOnly.id());
    }

    @Test
    void openModeSendsToEveryReceiverAsBefore() {
        RegistrySnapshot snapshot = snapshot(book(AgreementMode.OPEN));

        assertThat(receivers(EligibleReceivers.of(push(ModuleId.LOCATIONS), snapshot)))
                .containsExactlyInAnyOrder(agreed.id(), tariffsOnly.id(), stranger.id());
        assertThat(receivers(EligibleReceivers.of(statusOfCpo(), snapshot)))
                .containsExactlyInAnyOrder(agreed.id(), tariffsOnly.id(), stranger.id());
    }

    private BroadcastRecord push(ModuleId module) {
        return new BroadcastRecord(UUID.randomUUID().toString(), "c", module, "PUT", CPO, Role.CPO, cpo.id(),
                "/NL/CPO/X", null, "{}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    }

    private BroadcastRecord statusOfCpo() {
        return new BroadcastRecord(UUID.randomUUID().toString(), "c", ModuleId.HUB_CLIENT_INFO, "PUT", CPO, Role.CPO,
                cpo.id(), "/NL/CPO", null, "{\"status\":\"CONNECTED\"}".getBytes(StandardCharsets.UTF_8),
                Instant.EPOCH);
    }

    private static Agreement agreement(PartyId a, PartyId b, Set<ModuleId> modules) {
        return new Agreement(UUID.randomUUID(), AgreementPair.of(a, b), modules, null, null, Instant.EPOCH, "test");
    }

    private static PartyId party(Platform p) {
        return p.roles().get(0).partyRole().party();
    }

    private RegistrySnapshot snapshot(AgreementBook book) {
        return RegistrySnapshot.of(Arrays.stream(new Platform[] {cpo, agreed, tariffsOnly, stranger})
                .map(p -> new RegistrySnapshot.Loaded(p, null, null, new Secret("token-" + p.name()))).toList(), book);
    }

    private static List<UUID> receivers(List<EligibleReceivers.Target> targets) {
        return targets.stream().map(t -> t.platform().platform().id()).toList();
    }

    private static PlatformEndpoint endpoint(ModuleId module, InterfaceRole role) {
        return new PlatformEndpoint(module, role, "https://" + module.id() + ".example/" + role.name().toLowerCase());
    }

    private static Platform platform(Role role, String partyId, PlatformEndpoint... endpoints) {
        List<PlatformEndpoint> all = new ArrayList<>(Arrays.asList(endpoints));
        all.add(endpoint(ModuleId.HUB_CLIENT_INFO, InterfaceRole.RECEIVER));
        return new Platform(UUID.randomUUID(), partyId, ConnectionStatus.CONNECTED, true,
                "https://" + partyId + ".example/versions", "2.2.1", TokenEncoding.BASE64,
                List.of(new GrantedRole(PartyRole.of(role, "NL", partyId), null, true)), all, Instant.EPOCH,
                Instant.EPOCH);
    }
}
