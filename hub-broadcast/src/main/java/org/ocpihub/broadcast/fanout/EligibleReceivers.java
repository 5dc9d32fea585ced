package org.ocpihub.broadcast.fanout;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.platform.GrantedRole;
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

    private EligibleReceivers() {
    }

    public static List<Target> of(BroadcastRecord record, RegistrySnapshot snapshot) {
        ModuleProfile profile = ModuleProfile.of(record.module());
        boolean configuration = !profile.routed();
        Set<Role> roles = configuration ? EnumSet.allOf(Role.class) : profile.serving(InterfaceRole.RECEIVER);
        List<Target> targets = new ArrayList<>();
        for (RegistrySnapshot.Entry entry : snapshot.platforms()) {
            var platform = entry.platform();
            if (platform.id().equals(record.senderPlatformId()) || platform.status() != ConnectionStatus.CONNECTED
                    || entry.peerToken().isEmpty()
                    || (record.targetPlatformId() != null && !platform.id().equals(record.targetPlatformId()))
                    || platform.endpoint(record.module(), InterfaceRole.RECEIVER).isEmpty()) {
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
