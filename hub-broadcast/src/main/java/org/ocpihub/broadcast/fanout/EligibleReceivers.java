package org.ocpihub.broadcast.fanout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.agreement.AgreementBook;
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
 * its receiver endpoint, once per platform, except the platform it is about. Where agreements gate a pair (issue
 * 13), data goes only to parties with an agreement with its owner for the module, and a party's Hub Client Info only
 * to platforms hosting a party that may communicate with it; the snapshot's agreements at fan-out time decide.
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
    private record Index(RegistrySnapshot snapshot, Map<ModuleId, Map<UUID, RegistrySnapshot.Entry>> receivers,
                         Map<Role, Set<UUID>> dataReceivers) {

        static Index of(RegistrySnapshot snapshot) {
            // by platform id, in the snapshot's order: a record for one platform (a new member's Hub Client Info
            // list, P records per registration) looks its receiver up instead of scanning all P (O(P²) per
            // registration at 1 000 members)
            Map<ModuleId, Map<UUID, RegistrySnapshot.Entry>> receivers = new EnumMap<>(ModuleId.class);
            for (RegistrySnapshot.Entry entry : snapshot.platforms()) {
                var platform = entry.platform();
                if (platform.status() != ConnectionStatus.CONNECTED || entry.peerToken().isEmpty()) {
                    continue;
                }
                platform.endpoints().stream().filter(e -> e.role() == InterfaceRole.RECEIVER)
                        .map(PlatformEndpoint::module).distinct()
                        .forEach(module -> receivers.computeIfAbsent(module, m -> new LinkedHashMap<>())
                                .put(platform.id(), entry));
            }
            return new Index(snapshot, receivers, new ConcurrentHashMap<>());
        }

        /** The platforms receiving a module shared with all whose SENDER interface {@code role} implements. */
        Set<UUID> dataReceivers(Role role) {
            return dataReceivers.computeIfAbsent(role, r -> {
                Set<UUID> ids = new HashSet<>();
                for (ModuleProfile profile : ModuleProfile.allRouted()) {
                    if (profile.sharedWithAll() && profile.serving(InterfaceRole.SENDER).contains(r)) {
                        ids.addAll(receivers.getOrDefault(profile.id(), Map.of()).keySet());
                    }
                }
                return Set.copyOf(ids);
            });
        }
    }

    /** The index of the latest snapshot seen (snapshots are immutable; a new one replaces it). */
    private static volatile Index index;

    private EligibleReceivers() {
    }

    private static Index indexOf(RegistrySnapshot snapshot) {
        Index current = index;
        if (current == null || current.snapshot() != snapshot) {
            current = Index.of(snapshot);
            index = current;
        }
        return current;
    }

    /** The module's receivers; only {@code target} when it is not null (and none when it is not one of them). */
    private static Collection<RegistrySnapshot.Entry> receiversOf(ModuleId module, RegistrySnapshot snapshot,
                                                                  UUID target) {
        Map<UUID, RegistrySnapshot.Entry> receivers = indexOf(snapshot).receivers().getOrDefault(module, Map.of());
        if (target == null) {
            return receivers.values();
        }
        RegistrySnapshot.Entry only = receivers.get(target);
        return only == null ? List.of() : List.of(only);
    }

    /**
     * The receivers of one copy of a Hub Client Info change written into every partition (D7), the copy being the
     * one of {@code partition}. A copy exists to hold the party's later data in its partition behind the change, so
     * only the platforms that get the party's broadcast data need it: those receiving a module shared with all
     * (Locations, Tariffs, Tokens) that the party's role sends. They get every copy (the lane sends the change once,
     * D7). Every other receiver gets only the copy of the {@link BroadcastRecord#homePartition() home partition},
     * the same for all the party's changes, so those reach it in the order they were appended, as with owner keys;
     * its lane expects that one copy ({@link #copiesFor}). With 1 000 members this spares about
     * {@code partitions − 1} lane jobs per member and change for every member that takes none of the party's data
     * (most of them, for an NSP's or an eMSP's change).
     *
     * @param record    one copy ({@link BroadcastRecord#copies()} &gt; 1)
     * @param partition the partition it was read from
     * @return the targets, in {@link #of} order
     */
    public static List<Target> ofCopy(BroadcastRecord record, int partition, RegistrySnapshot snapshot) {
        if (partition == record.homePartition()) {
            return of(record, snapshot);
        }
        Set<UUID> fenced = indexOf(snapshot).dataReceivers(record.ownerRole());
        return fenced.isEmpty() ? List.of() : of(record, snapshot, fenced);
    }

    /**
     * How many copies of a record reach one receiving platform's lane ({@link #ofCopy}): every copy for a receiver
     * of the party's broadcast data, one for any other. Read from the snapshot when the lane first sees the change;
     * should the platform's modules change between the fan-outs of two copies, its lane may send the change twice
     * (an idempotent PUT) or keep its bookkeeping until swept a minute later.
     */
    public static int copiesFor(BroadcastRecord record, UUID receiverPlatformId, RegistrySnapshot snapshot) {
        if (record.copies() <= 1) {
            return record.copies();
        }
        return indexOf(snapshot).dataReceivers(record.ownerRole()).contains(receiverPlatformId) ? record.copies() : 1;
    }

    public static List<Target> of(BroadcastRecord record, RegistrySnapshot snapshot) {
        return of(record, snapshot, null);
    }

    /** {@link #of}, among the platforms in {@code among} only (null: all). */
    private static List<Target> of(BroadcastRecord record, RegistrySnapshot snapshot, Set<UUID> among) {
        ModuleProfile profile = ModuleProfile.of(record.module());
        boolean configuration = !profile.routed();
        Set<Role> roles = configuration ? EnumSet.allOf(Role.class) : profile.serving(InterfaceRole.RECEIVER);
        List<Target> targets = new ArrayList<>();
        AgreementBook agreements = snapshot.agreements();
        Instant now = OcpiDateTime.now();
        for (RegistrySnapshot.Entry entry : receiversOf(record.module(), snapshot, record.targetPlatformId())) {
            var platform = entry.platform();
            // (a record for one platform got only that platform from receiversOf)
            if ((among != null && !among.contains(platform.id())) || platform.id().equals(record.senderPlatformId())) {
                continue;
            }
            Set<PartyId> parties = new LinkedHashSet<>();
            for (GrantedRole role : platform.roles()) {
                if (role.claimed() && roles.contains(role.partyRole().role())) {
                    parties.add(role.partyRole().party());
                }
            }
            if (configuration) {
                // a configuration module: one push per platform, no routing headers (TF 4.1.8.2); a party's status
                // goes only to platforms hosting a party that may communicate with it (HCI 15, issue 13)
                if (parties.stream().anyMatch(party -> agreements.allowsAny(record.owner(), party, now))) {
                    parties.stream().findFirst().ifPresent(party -> targets.add(new Target(party, entry)));
                }
            } else {
                // only parties with an agreement with the owner for the module, where agreements gate the pair
                parties.stream().filter(party -> agreements.allows(record.owner(), party, record.module(), now))
                        .forEach(party -> targets.add(new Target(party, entry)));
            }
        }
        return targets;
    }
}
