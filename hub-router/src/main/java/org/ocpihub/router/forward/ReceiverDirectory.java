package org.ocpihub.router.forward;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.ocpi.module.ModuleRoles;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.RoutingException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Finds, in the in-memory registry, the platform hosting a party and its endpoint for a module and interface: 4001
 * when the party or the endpoint is unknown, 4003 when the platform is not CONNECTED (D4). When one
 * country_code/party_id is hosted by two platforms, the role that serves the module's interface decides.
 *
 * <p>A receiver found is remembered for the registry snapshot it was found in (issue 12: the lookup, the role choice
 * and the {@link Receiver} are not rebuilt per request); the next snapshot starts afresh, so a receiver that changed
 * its endpoint, token or status is seen with the reload that says so. Refusals are not remembered: they count a
 * metric each time.
 */
@Component
public class ReceiverDirectory {

    private final PlatformRegistry registry;
    private final UpstreamMetrics upstream;
    private volatile Found found = new Found(null);

    /** At most this many receivers are remembered per snapshot (parties × modules × interfaces in use). */
    static final int MAX_REMEMBERED = 50_000;

    private record Key(PartyId party, ModuleId module, InterfaceRole role) {
    }

    /** The receivers found in one snapshot. */
    private record Found(RegistrySnapshot snapshot, Map<Key, Receiver> receivers) {
        Found(RegistrySnapshot snapshot) {
            this(snapshot, new ConcurrentHashMap<>());
        }
    }

    /**
     * @param registry the in-memory registry
     * @param upstream where a receiver that is not CONNECTED is counted ({@code result="not_connected"}): the call
     *                 was for it, and it is why the call failed, so its dashboard shows it and the sender's error
     *                 share does not blame the sender
     */
    @Autowired
    public ReceiverDirectory(PlatformRegistry registry, UpstreamMetrics upstream) {
        this.registry = registry;
        this.upstream = upstream;
    }

    /** A directory whose metrics go nowhere (unit tests of other parts). */
    ReceiverDirectory(PlatformRegistry registry) {
        this(registry, UpstreamMetrics.discarded());
    }

    /**
     * The receiver hosting {@code party} for {@code module}'s {@code role} interface.
     *
     * @throws RoutingException 4001 when no platform hosts the party or it offers no such endpoint, 4003 when its
     *                          platform is not CONNECTED, 4000 when two platforms host it and the module does not
     *                          tell which is meant
     */
    public Receiver find(PartyId party, ModuleId module, InterfaceRole role) {
        RegistrySnapshot snapshot = registry.snapshot();
        Found current = found;
        if (current.snapshot() != snapshot) {
            current = new Found(snapshot);
            found = current;
        }
        Key key = new Key(party, module, role);
        Receiver known = current.receivers().get(key);
        if (known != null) {
            return known;
        }
        Receiver receiver = find(snapshot, party, module, role);
        if (current.receivers().size() < MAX_REMEMBERED) {
            current.receivers().put(key, receiver);
        }
        return receiver;
    }

    /**
     * Every party the hub could route a {@code module} call on the {@code role} interface to: each party a CONNECTED
     * platform (with a token for it) hosts in a role implementing that interface ({@link ModuleRoles#serving}), when
     * the platform offers the endpoint; each party once, in no particular order (a party hosted by two platforms
     * is asked on the first one met). For open routing that asks every candidate (TF 4.1.8.4). Read from the
     * current snapshot; O(platforms × roles).
     */
    public List<Receiver> everyReceiver(ModuleId module, InterfaceRole role) {
        Set<Role> serving = ModuleRoles.serving(module, role);
        java.util.LinkedHashMap<PartyId, Receiver> receivers = new java.util.LinkedHashMap<>();
        for (RegistrySnapshot.Entry entry : registry.snapshot().platforms()) {
            var platform = entry.platform();
            if (platform.status() != ConnectionStatus.CONNECTED || entry.peerToken().isEmpty()) {
                continue;
            }
            var endpoint = platform.endpoint(module, role);
            if (endpoint.isEmpty()) {
                continue;
            }
            for (var granted : platform.roles()) {
                if (granted.claimed() && serving.contains(granted.partyRole().role())) {
                    receivers.putIfAbsent(granted.partyRole().party(), new Receiver(granted.partyRole().party(),
                            entry, endpoint.get(), entry.peerToken().get()));
                }
            }
        }
        return List.copyOf(receivers.values());
    }

    private Receiver find(RegistrySnapshot snapshot, PartyId party, ModuleId module, InterfaceRole role) {
        List<RegistrySnapshot.Hosted> hosts = snapshot.hostsOf(party);
        if (hosts.isEmpty()) {
            throw new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, "unknown receiver " + party
                    + ": no platform on this hub hosts it");
        }
        RegistrySnapshot.Entry host = choose(party, hosts, ModuleRoles.serving(module, role));
        if (host.platform().status() != ConnectionStatus.CONNECTED || host.peerToken().isEmpty()) {
            upstream.notConnected(host.platform().id(), host.platform().name(), module.id());
            throw new RoutingException(OcpiStatus.CONNECTION_PROBLEM, "receiver " + party + " is not connected ("
                    + host.platform().status() + ")");
        }
        PlatformEndpoint endpoint = host.platform().endpoint(module, role).orElseThrow(() -> new RoutingException(
                OcpiStatus.UNKNOWN_RECEIVER, "receiver " + party + " offers no " + module.id() + " " + role
                        + " endpoint"));
        return new Receiver(party, host, endpoint, host.peerToken().get());
    }

    private static RegistrySnapshot.Entry choose(PartyId party, List<RegistrySnapshot.Hosted> hosts, Set<Role> serving) {
        Set<UUID> platforms = hosts.stream().map(h -> h.host().platform().id()).collect(Collectors.toSet());
        if (platforms.size() == 1) {
            return hosts.get(0).host();
        }
        List<RegistrySnapshot.Hosted> fitting = hosts.stream().filter(h -> serving.contains(h.partyRole().role()))
                .toList();
        Set<UUID> fittingPlatforms = fitting.stream().map(h -> h.host().platform().id()).collect(Collectors.toSet());
        if (fittingPlatforms.size() != 1) {
            throw new RoutingException(OcpiStatus.HUB_ERROR, "receiver " + party + " is hosted by "
                    + platforms.size() + " platforms and the module does not tell which one is meant");
        }
        return fitting.get(0).host();
    }
}
