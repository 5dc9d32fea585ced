package org.ocpihub.registry.agreement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * Every agreement and the policy that applies them, as one immutable value held by the registry snapshot (D9, D14):
 * the request path asks it, never the database. Each check is a hash lookup of the pair and a scan of that pair's
 * few agreements.
 *
 * <p>Who asks (docs/ARCHITECTURE.md, "Agreements"): the router's {@code AgreementCheck} step (direct and open-routed
 * calls), {@code OpenRoutingResolver} and {@code OpenRoutingFanOut} (candidates), the broadcast fan-out (receivers),
 * GET All (owners shown) and Hub Client Info (parties listed and pushed).
 */
public final class AgreementBook {

    private static final AgreementBook OPEN = new AgreementBook(AgreementMode.OPEN, List.of(), Set.of());

    private final AgreementMode mode;
    private final List<Agreement> all;
    private final Map<AgreementPair, List<Agreement>> byPair;
    private final Set<PartyId> optedIn;

    /**
     * @param optedIn parties that opted in to agreements (used in {@link AgreementMode#PER_PARTY} only)
     */
    public AgreementBook(AgreementMode mode, Collection<Agreement> agreements, Collection<PartyId> optedIn) {
        this.mode = mode;
        List<Agreement> sorted = new ArrayList<>(agreements);
        sorted.sort(Comparator.comparing(Agreement::createdAt).thenComparing(a -> a.id().toString()));
        this.all = List.copyOf(sorted);
        Map<AgreementPair, List<Agreement>> index = new HashMap<>();
        sorted.forEach(a -> index.computeIfAbsent(a.pair(), k -> new ArrayList<>()).add(a));
        index.replaceAll((k, v) -> List.copyOf(v));
        this.byPair = Map.copyOf(index);
        this.optedIn = Set.copyOf(optedIn);
    }

    /** Mode {@code open} with no agreements: everyone with everyone (before the first load, and in tests). */
    public static AgreementBook open() {
        return OPEN;
    }

    public AgreementMode mode() {
        return mode;
    }

    /** Every agreement, oldest first. */
    public List<Agreement> all() {
        return all;
    }

    /** The parties that opted in ({@link AgreementMode#PER_PARTY}). */
    public Set<PartyId> optedIn() {
        return optedIn;
    }

    /**
     * True when traffic between {@code a} and {@code b} needs an agreement: always in {@code required}, when either
     * opted in under {@code per-party}, never in {@code open} nor between a party and itself.
     */
    public boolean governs(PartyId a, PartyId b) {
        if (a.equals(b)) {
            return false;
        }
        return switch (mode) {
            case OPEN -> false;
            case REQUIRED -> true;
            case PER_PARTY -> optedIn.contains(a) || optedIn.contains(b);
        };
    }

    /** True when {@code a} and {@code b} may exchange {@code module} at {@code at}. */
    public boolean allows(PartyId a, PartyId b, ModuleId module, Instant at) {
        if (!governs(a, b)) {
            return true;
        }
        for (Agreement agreement : agreements(a, b)) { // a loop, not a stream: every gated routed call comes here
            if (agreement.covers(module, at)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code a} and {@code b} may exchange some module at {@code at}: the parties a member "may communicate
     * with" (HCI 15).
     */
    public boolean allowsAny(PartyId a, PartyId b, Instant at) {
        return !governs(a, b) || agreements(a, b).stream().anyMatch(x -> x.inWindow(at));
    }

    /**
     * Why {@code from} may not reach {@code to} for {@code module}, in words for the member that asked (names the
     * missing agreement); empty when it may.
     */
    public Optional<String> refusal(PartyId from, PartyId to, ModuleId module, Instant at) {
        if (allows(from, to, module, at)) {
            return Optional.empty();
        }
        String missing = "no roaming agreement between " + from + " and " + to + " for module " + module.id();
        List<Agreement> forModule = agreements(from, to).stream().filter(x -> x.modules().contains(module)).toList();
        if (!forModule.isEmpty()) {
            Agreement first = forModule.get(0);
            missing += " is valid now (agreement " + first.id() + " is valid from "
                    + (first.validFrom() == null ? "always" : first.validFrom().toString()) + " until "
                    + (first.validUntil() == null ? "no end" : first.validUntil().toString()) + ")";
        }
        return Optional.of(missing + "; the hub operator manages agreements");
    }

    /** The agreements between {@code a} and {@code b} (either order), oldest first. */
    public List<Agreement> agreements(PartyId a, PartyId b) {
        if (a.equals(b)) {
            return List.of();
        }
        return byPair.getOrDefault(AgreementPair.of(a, b), List.of());
    }
}
