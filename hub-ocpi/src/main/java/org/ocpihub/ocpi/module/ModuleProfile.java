package org.ocpihub.ocpi.module;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * What one OCPI module means to the hub, in one place: everything the router, the broadcast and the registry decide
 * differently per module is read from here, never from a {@code switch} on {@link ModuleId}. The profiles themselves
 * are declared in {@link ModuleProfiles}, one constant per module; adding a module means writing one profile and its
 * rows in {@code ModuleProfilesTest}.
 *
 * @param id                the module
 * @param senderInterface   the roles implementing the module's SENDER interface (TERM 2.3.1, the module's "typically
 *                          implemented by"); they may be called on it, and send requests to the RECEIVER interface
 *                          ({@link ModuleRoles} shows the table)
 * @param receiverInterface the roles implementing the RECEIVER interface
 * @param objectUrl         the Client Owned Object URL of the RECEIVER interface (TF 4.1.5), or null when the
 *                          module has none (its URLs carry no owner)
 * @param sharing           whether a push to the hub is broadcast and kept (TF 4.1.8.3, 4.1.8.5)
 * @param openRouting       how the receiver is found without OCPI-to headers (TF 4.1.8.4)
 * @param bodyOwners        bodies that name their owner outside an object URL
 * @param callbacks         URLs in requests that the receiver calls back ({@code response_url})
 * @param answerRelay       what an unmappable URL in a receiver's answer ({@code Link}, {@code Location}) becomes
 * @param learning          which owner index facts a routed request reveals (D6); run once its receiver is known
 */
public record ModuleProfile(
        ModuleId id,
        Set<Role> senderInterface,
        Set<Role> receiverInterface,
        ObjectUrl objectUrl,
        Sharing sharing,
        OpenRouting openRouting,
        List<BodyOwner> bodyOwners,
        List<Callback> callbacks,
        RelayKind answerRelay,
        Function<ModuleRequest, List<Learned>> learning) {

    public ModuleProfile {
        senderInterface = Collections.unmodifiableSet(copy(senderInterface));
        receiverInterface = Collections.unmodifiableSet(copy(receiverInterface));
        bodyOwners = List.copyOf(bodyOwners);
        callbacks = List.copyOf(callbacks);
    }

    /** The profile of {@code module}; configuration modules have a profile that is not {@link #routed()}. */
    public static ModuleProfile of(ModuleId module) {
        return ModuleProfiles.of(module);
    }

    /** The profiles of every module the hub routes (TF 4.1.8.2), in {@link ModuleId} order. */
    public static List<ModuleProfile> allRouted() {
        return ModuleProfiles.ROUTED;
    }

    /**
     * Functional modules are routed (they carry routing headers, TF 4.1.8.2); configuration modules (credentials,
     * hub client info) are served by the hub itself and have no roles, URLs or rules here.
     */
    public boolean routed() {
        return id.isFunctional();
    }

    /** The roles implementing {@code role} of this module (so may be called on it). Unmodifiable. */
    public Set<Role> serving(InterfaceRole role) {
        return role == InterfaceRole.SENDER ? senderInterface : receiverInterface;
    }

    /**
     * The roles that may send a request to {@code role} of this module: those implementing the other interface.
     * Unmodifiable.
     */
    public Set<Role> requesting(InterfaceRole role) {
        return serving(role == InterfaceRole.SENDER ? InterfaceRole.RECEIVER : InterfaceRole.SENDER);
    }

    /** Whether requests to {@code role} address Client Owned Objects, whose URL carries the owner (TF 4.1.5). */
    public boolean clientOwnedObjectUrl(InterfaceRole role) {
        return role == InterfaceRole.RECEIVER && objectUrl != null;
    }

    /** The Client Owned Object URL, when the module has one. */
    public Optional<ObjectUrl> clientOwnedObjects() {
        return Optional.ofNullable(objectUrl);
    }

    /** Whether a push to the hub is broadcast, kept and listed by GET All via the hub (D7, D8). */
    public boolean sharedWithAll() {
        return sharing == Sharing.ALL_PARTIES;
    }

    /** The callback carried by a request to {@code role} with {@code method}, if any. */
    public Optional<Callback> callback(InterfaceRole role, String method) {
        return callbacks.stream().filter(c -> c.carriedBy(role, method)).findFirst();
    }

    /** The body owner rules that apply to {@code request}. */
    public List<BodyOwner> bodyOwnersOf(ModuleRequest request) {
        return bodyOwners.stream().filter(o -> o.appliesTo(request)).toList();
    }

    /**
     * Whether a push (PUT, POST, PATCH) to {@code role} with {@code method} has a body that a check must read
     * whatever the routing case, so an empty one is refused rather than forwarded: Client Owned Object PUT and
     * PATCH (owner and id), a method with a body owner rule (on any path), and every push of a module with
     * callbacks (the URL to rewrite). Broadcasts and open routing by content add to this (the router knows the
     * case).
     */
    public boolean needsBody(InterfaceRole role, String method) {
        return (("PUT".equals(method) || "PATCH".equals(method)) && clientOwnedObjectUrl(role))
                || bodyOwners.stream().anyMatch(o -> o.covers(role, method))
                || !callbacks.isEmpty();
    }

    /** The owner index facts {@code request} reveals. */
    public List<Learned> learn(ModuleRequest request) {
        return learning.apply(request);
    }

    private static Set<Role> copy(Set<Role> roles) {
        Set<Role> copy = EnumSet.noneOf(Role.class);
        copy.addAll(roles);
        return copy;
    }
}
