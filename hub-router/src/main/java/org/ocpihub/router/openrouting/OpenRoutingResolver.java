package org.ocpihub.router.openrouting;

import java.util.Set;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.OwnerHint;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.Agreements;
import org.ocpihub.router.agreement.AgreementRefusal;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.StoredOwners;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Finds the receiver of a request without to-headers (TF 4.1.8.4, D6). Where to look is the module's
 * ({@link ModuleProfile#openRouting()}): the body where OCPI puts the owner ({@code cdr_token} of Sessions and CDRs),
 * otherwise an owner index (token, location, session, reservation), which this class asks, and for the Locations and
 * Tokens the hub keeps (D8) the broadcast store when the index has no entry ({@link StoredOwners}). URL
 * {@code {country_code}/{party_id}} segments name the data owner, normally the caller, and are never used.
 * Unresolvable → 4001 with the reason, unless the module says to ask every candidate then
 * ({@link OwnerHint.Indexed#askAll()}: a real-time authorization of a token no index knows). Only owners the
 * requester has an agreement with for the module are considered (issue 13); an id known only at others is refused
 * naming the missing agreement ({@link AgreementRefusal}).
 */
@Component
public class OpenRoutingResolver {

    private final OwnerIndex index;
    private final StoredOwners stored;
    private final Agreements agreements;

    /** A resolver that knows only the owner indexes (tests). */
    public OpenRoutingResolver(OwnerIndex index) {
        this(index, StoredOwners.NONE, Agreements.open());
    }

    /**
     * @param stored where owners of the objects the hub keeps are found when no index entry exists (hub-broadcast's
     *               store; {@link StoredOwners#NONE} without it)
     */
    @Autowired
    public OpenRoutingResolver(OwnerIndex index, ObjectProvider<StoredOwners> stored, Agreements agreements) {
        this(index, stored.getIfAvailable(() -> StoredOwners.NONE), agreements);
    }

    /**
     * @param agreements which owners are considered: with agreements required, only those in an agreement with the
     *                   requester for the module (issue 13)
     */
    public OpenRoutingResolver(OwnerIndex index, StoredOwners stored, Agreements agreements) {
        this.index = index;
        this.stored = stored;
        this.agreements = agreements;
    }

    /**
     * The owners the index knows, else those of the object the hub keeps (learned into the index, so the next
     * lookup is a memory hit).
     */
    private Mono<Set<PartyId>> owners(OwnerHint.Indexed hint) {
        return index.owners(hint.kind(), hint.id()).flatMap(known -> !known.isEmpty() ? Mono.just(known)
                : stored.owners(hint.kind(), hint.id()).doOnNext(found -> found.forEach(owner ->
                        index.learn(hint.kind(), hint.id(), owner))));
    }

    /**
     * What open routing found: the one owner, or (owner null) the hint of an object nobody is known to own whose
     * module says to ask every candidate.
     */
    public record Resolution(PartyId owner, OwnerHint.Indexed askAll) {
    }

    /**
     * The owner, or the instruction to ask every candidate.
     *
     * @return a resolution; or an error {@link RoutingException} 4001 naming why nobody can be found (no hint, an id
     *         nobody owns and nobody is asked about, an id known at several parties)
     */
    public Mono<Resolution> find(RoutingContext context) {
        OwnerHint hint = ModuleProfile.of(context.call().module()).openRouting().find(context.moduleRequest());
        if (hint instanceof OwnerHint.Indexed indexed) {
            return owners(indexed).flatMap(owners -> {
                Set<PartyId> agreed = agreed(context, owners);
                if (owners.isEmpty() && indexed.askAll() != null) {
                    return Mono.just(new Resolution(null, indexed));
                }
                if (agreed.isEmpty() && !owners.isEmpty()) {
                    // known, but only at parties the requester may not reach: say which agreement is missing
                    PartyId from = context.headers().from();
                    return Mono.error(AgreementRefusal.of(agreements.refusal(from, owners.iterator().next(),
                            context.call().module()).orElseThrow()));
                }
                return single(agreed, indexed.what(), indexed.id()).map(owner -> new Resolution(owner, null));
            });
        }
        if (hint instanceof OwnerHint.Named named) {
            return Mono.just(new Resolution(named.party(), null));
        }
        String reason = ((OwnerHint.Unknown) hint).reason();
        return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, reason != null ? reason
                : "the hub cannot find the receiver of " + context.exchange().getRequest().getMethod() + " "
                        + context.call().module().id() + " " + context.call().interfaceRole()
                        + " without OCPI-to headers"));
    }

    /** The one owner; 4001 when the index knows none (asking every candidate is not this method's business). */
    public Mono<PartyId> resolve(RoutingContext context) {
        return find(context).flatMap(found -> found.owner() != null ? Mono.just(found.owner())
                : single(Set.of(), found.askAll().what(), found.askAll().id()));
    }

    private static Mono<PartyId> single(Set<PartyId> owners, String what, String id) {
        if (owners.isEmpty()) {
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, notSeen(what, id)));
        }
        if (owners.size() > 1) {
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, what + " " + id + " is known at "
                    + owners.size() + " parties " + owners + "; send OCPI-to headers"));
        }
        return Mono.just(owners.iterator().next());
    }

    /** The owners the requester may reach for the module; all of them unless agreements gate the pair. */
    private Set<PartyId> agreed(RoutingContext context, Set<PartyId> owners) {
        PartyId from = context.headers().from();
        ModuleId module = context.call().module();
        Set<PartyId> agreed = new java.util.LinkedHashSet<>();
        owners.stream().filter(o -> agreements.allows(from, o, module)).forEach(agreed::add);
        return agreed;
    }

    /** The refusal of an id no index knows. */
    public static String notSeen(String what, String id) {
        return "cannot find the receiver: the hub has not seen " + what + " " + id + "; send OCPI-to headers";
    }
}
