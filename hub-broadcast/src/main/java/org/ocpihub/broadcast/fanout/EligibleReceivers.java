package org.ocpihub.broadcast.fanout;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.RegistrySnapshot;

/**
 * Who gets a broadcast (TF 4.1.8.3): the roles implementing the module's RECEIVER interface (its profile's
 * {@link ModuleProfile#receiverInterface()}, the "opposite role" of the owner): CPO (and NAP) data (Locations,
 * Tariffs) goes to EMSP, NSP, OTHER and NAP roles; eMSP and OTHER data (Tokens) to CPOs only. Only CONNECTED
 * platforms with the module's RECEIVER endpoint, never the sender's own platform, one delivery per receiving party.
 * A configuration module (Hub Client Info, not {@link ModuleProfile#routed()}) goes to every connected platform with
 * its receiver endpoint, once per platform, except the platform it is about.
 */
public final class EligibleReceivers {

    /** One party that gets a copy, and the platform hosting it. */
    public record Target(PartyId party, RegistrySnapshot.Entry platform) {
    }

    /**
     * Per module, the CONNECTED platforms with a peer token and the module's RECEIVER endpoint, for one snapshot:
     * built once per registry change instead of scanning every platform's endpoints for every record (with 1 000
     * members that scan was the fan-out's largest own cost).
     */
    private record Index(RegistrySnapshot snapshot, Map<ModuleId, List<RegistrySnapshot.Entry>> receivers) {

        static Index of(RegistrySnapshot snapshot) {
            Map<ModuleId, List<RegistrySnapshot.Entry>> receivers = new EnumMap<>(ModuleId.class);
            for (RegistrySnapshot.Entry entry : snapshot.platforms()) {
                var platform = entry.platform();
                if (platform.status() != ConnectionStatus.CONNECTED || entry.peerToken().isEmpty()) {
                    continue;
                }
                platform.endpoints().stream().filter(e -> e.role() == InterfaceRole.RECEIVER)
                        .map(PlatformEndpoint::module).distinct()
                        .forEach(module -> receivers.computeIfAbsent(module, m -> new ArrayList<>()).add(entry));
            }
            return new Index(snapshot, receivers);
        }
    }

    /** The index of the latest snapshot seen (snapshots are immutable; a new one replaces it). */
    private static volatile Index index;

    private EligibleReceivers() {
    }

    private static List<RegistrySnapshot.Entry> receiversOf(ModuleId module, RegistrySnapshot snapshot) {
        Index current = index;
        if (current == null || current.snapshot() != snapshot) {
            current = Index.of(snapshot);
            index = current;
        }
        return current.receivers().getOrDefault(module, List.of());
    }

    public static List<Target> of(BroadcastRecord record, RegistrySnapshot snapshot) {
        ModuleProfile profile = ModuleProfile.of(record.module());
        boolean configuration = !profile.routed();
        Set<Role> roles = configuration ? EnumSet.allOf(Role.class) : profile.serving(InterfaceRole.RECEIVER);
        List<Target> targets = new ArrayList<>();
        for (RegistrySnapshot.Entry entry : receiversOf(record.module(), snapshot)) {
            var platform = entry.platform();
            if (platform.id().equals(record.senderPlatformId())
                    || (record.targetPlatformId() != null && !platform.id().equals(record.targetPlatformId()))) {
                continue;
            }
            Set<PartyId> parties = new LinkedHashSet<>();
            for (GrantedRole role : platform.roles()) {
                if (role.claimed() && roles.contains(role.partyRole().role())) {
                    parties.add(role.partyRole().party());
                }
            }
            if (configuration) {
                // a configuration module: one push per platform, no routing headers (TF 4.1.8.2)
                parties.stream().findFirst().ifPresent(party -> targets.add(new Target(party, entry)));
            } else {
                parties.forEach(party -> targets.add(new Target(party, entry)));
            }
        }
        return targets;
    }
}
