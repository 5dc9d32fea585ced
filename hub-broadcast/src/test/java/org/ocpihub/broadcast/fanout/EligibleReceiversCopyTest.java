package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.secret.Secret;

/**
 * Who gets which copy of a Hub Client Info change written into every partition (D7): the receivers of the party's
 * broadcast data get every copy (each fences the party's data in its partition); every other member gets only the
 * home partition's, the same partition for every change about that party, and its lane expects that one.
 */
class EligibleReceiversCopyTest {

    private static final int PARTITIONS = 8;
    private static final PartyId CPO = PartyId.of("NL", "CPO");

    private final Platform cpo = platform(Role.CPO, "CPO", endpoint(ModuleId.LOCATIONS, InterfaceRole.SENDER));
    private final Platform locationsReceiver = platform(Role.EMSP, "LOC",
            endpoint(ModuleId.LOCATIONS, InterfaceRole.RECEIVER));
    private final Platform tokensReceiver = platform(Role.CPO, "TOK",
            endpoint(ModuleId.TOKENS, InterfaceRole.RECEIVER));
    private final Platform bystander = platform(Role.NSP, "NSP");
    private final RegistrySnapshot snapshot = snapshot(cpo, locationsReceiver, tokensReceiver, bystander);

    @Test
    void aCposChangeFencesForItsDataReceiversAndReachesTheOthersOnceThroughOnePartition() {
        BroadcastRecord change = change("first");
        int home = change.homePartition();

        assertThat(receivers(EligibleReceivers.ofCopy(change, home, snapshot)))
                .containsExactlyInAnyOrder(locationsReceiver.id(), tokensReceiver.id(), bystander.id());
        for (int partition = 0; partition < PARTITIONS; partition++) {
            if (partition != home) {
                // only the Locations receiver gets a CPO's data (a CPO sends no Tokens)
                assertThat(receivers(EligibleReceivers.ofCopy(change, partition, snapshot)))
                        .as("partition %d", partition).containsExactly(locationsReceiver.id());
            }
        }
        assertThat(EligibleReceivers.copiesFor(change, locationsReceiver.id(), snapshot)).isEqualTo(PARTITIONS);
        assertThat(EligibleReceivers.copiesFor(change, tokensReceiver.id(), snapshot)).isEqualTo(1);
        assertThat(EligibleReceivers.copiesFor(change, bystander.id(), snapshot)).isEqualTo(1);

        // every change about the party has the same home, so the others get its changes in the order appended
        for (String id : List.of("second", "third", UUID.randomUUID().toString())) {
            assertThat(change(id).homePartition()).isEqualTo(home);
        }
    }

    @Test
    void aRecordWrittenOnceGoesToEveryReceiverAsBefore() {
        BroadcastRecord once = change("once").withCopies(1);
        assertThat(EligibleReceivers.copiesFor(once, bystander.id(), snapshot)).isEqualTo(1);
        assertThat(EligibleReceivers.copiesFor(once, locationsReceiver.id(), snapshot)).isEqualTo(1);
        assertThat(receivers(EligibleReceivers.of(once, snapshot)))
                .containsExactlyInAnyOrder(locationsReceiver.id(), tokensReceiver.id(), bystander.id());
    }

    @Test
    void aRecordForOnePlatformGoesToItAloneAndToNobodyWhenItReceivesNone() {
        // a new member's Hub Client Info list: one record per party, each only for the new member
        assertThat(receivers(EligibleReceivers.of(listEntryFor(bystander.id()), snapshot)))
                .containsExactly(bystander.id());
        assertThat(receivers(EligibleReceivers.of(listEntryFor(locationsReceiver.id()), snapshot)))
                .containsExactly(locationsReceiver.id());

        Platform offline = new Platform(UUID.randomUUID(), "OFF", ConnectionStatus.OFFLINE, true,
                "https://off.example/versions", "2.2.1", TokenEncoding.BASE64,
                List.of(new GrantedRole(PartyRole.of(Role.EMSP, "NL", "OFF"), null, true)),
                List.of(endpoint(ModuleId.HUB_CLIENT_INFO, InterfaceRole.RECEIVER)), Instant.EPOCH, Instant.EPOCH);
        Platform deaf = new Platform(UUID.randomUUID(), "DEF", ConnectionStatus.CONNECTED, true,
                "https://def.example/versions", "2.2.1", TokenEncoding.BASE64,
                List.of(new GrantedRole(PartyRole.of(Role.EMSP, "NL", "DEF"), null, true)), List.of(), Instant.EPOCH,
                Instant.EPOCH);
        RegistrySnapshot withThem = snapshot(cpo, locationsReceiver, bystander, offline, deaf);
        assertThat(EligibleReceivers.of(listEntryFor(offline.id()), withThem)).as("not connected").isEmpty();
        assertThat(EligibleReceivers.of(listEntryFor(deaf.id()), withThem)).as("no hubclientinfo RECEIVER").isEmpty();
        assertThat(EligibleReceivers.of(listEntryFor(UUID.randomUUID()), withThem)).as("not registered").isEmpty();
        assertThat(EligibleReceivers.of(listEntryFor(cpo.id()), withThem)).as("the party it is about").isEmpty();
    }

    /** The CPO's ClientInfo, in a new member's list: for {@code member} only, about the CPO's platform. */
    private BroadcastRecord listEntryFor(UUID member) {
        return new BroadcastRecord("list", "list", ModuleId.HUB_CLIENT_INFO, "PUT", CPO, Role.CPO, cpo.id(), "/NL/CPO",
                null, "{\"status\":\"CONNECTED\"}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH, member);
    }

    private BroadcastRecord change(String id) {
        return new BroadcastRecord(id, id, ModuleId.HUB_CLIENT_INFO, "PUT", CPO, Role.CPO, cpo.id(), "/NL/CPO", null,
                "{\"status\":\"CONNECTED\"}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH).withCopies(PARTITIONS);
    }

    private static List<UUID> receivers(List<EligibleReceivers.Target> targets) {
        return targets.stream().map(t -> t.platform().platform().id()).toList();
    }

    private static PlatformEndpoint endpoint(ModuleId module, InterfaceRole role) {
        return new PlatformEndpoint(module, role, "https://" + module.id() + ".example/" + role.name().toLowerCase());
    }

    /** A connected platform with one party and the Hub Client Info receiver besides {@code endpoints}. */
    private static Platform platform(Role role, String partyId, PlatformEndpoint... endpoints) {
        List<PlatformEndpoint> all = new ArrayList<>(Arrays.asList(endpoints));
        all.add(endpoint(ModuleId.HUB_CLIENT_INFO, InterfaceRole.RECEIVER));
        return new Platform(UUID.randomUUID(), partyId, ConnectionStatus.CONNECTED, true,
                "https://" + partyId + ".example/versions", "2.2.1", TokenEncoding.BASE64,
                List.of(new GrantedRole(PartyRole.of(role, "NL", partyId), null, true)), all, Instant.EPOCH,
                Instant.EPOCH);
    }

    private static RegistrySnapshot snapshot(Platform... platforms) {
        return RegistrySnapshot.of(Arrays.stream(platforms)
                .map(p -> new RegistrySnapshot.Loaded(p, null, null, new Secret("token-" + p.name()))).toList());
    }
}
