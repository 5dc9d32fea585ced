package org.ocpihub.registry.agreement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.audit.AuditLog;
import org.ocpihub.registry.audit.Audited;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import reactor.core.publisher.Mono;

/**
 * What an operator can do with agreements, for the JSON admin API and the console alike (issue 13, D13: no rule is
 * written twice): list, create, delete, and opt parties in or out (for {@code per-party} mode). Every change is
 * stored, reloaded into this instance's snapshot before the answer (others follow through {@code registry_changed}
 * within a second), and recorded in the {@link AuditLog}, success and failure.
 *
 * <p>Errors are {@link AdminApiException}s: 400 naming the field ({@code party_b: no platform hosts DE/XYZ},
 * {@code modules[1]: unknown module 'foo'}, {@code valid_until: must be after valid_from}), 404 an unknown agreement.
 */
@Service
public class AgreementOperations {

    private static final String AGREEABLE_IDS = Agreement.AGREEABLE.stream().map(ModuleId::id).sorted()
            .collect(Collectors.joining(", "));

    private final AgreementStore store;
    private final PlatformRegistry registry;
    private final AuditLog audit;

    public AgreementOperations(AgreementStore store, PlatformRegistry registry, AuditLog audit) {
        this.store = store;
        this.registry = registry;
        this.audit = audit;
    }

    /**
     * Every agreement, oldest first; with {@code party} ({@code CC/PID}), only those naming it.
     *
     * @throws AdminApiException 400 when {@code party} is not {@code CC/PID}
     */
    public Mono<List<AgreementView>> list(String party) {
        Optional<PartyId> only;
        try {
            only = party == null || party.isBlank() ? Optional.empty() : Optional.of(parseParty("party", party));
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        Instant now = OcpiDateTime.now();
        return store.findAll()
                .filter(a -> only.isEmpty() || a.pair().other(only.get()) != null)
                .map(a -> AgreementView.of(a, now)).collectList();
    }

    /**
     * One agreement.
     *
     * @throws AdminApiException 404 when none has that id
     */
    public Mono<AgreementView> get(String id) {
        return find(id).map(a -> AgreementView.of(a, OcpiDateTime.now()));
    }

    /**
     * Creates an agreement.
     *
     * @return the agreement as stored, in force on every instance within a second
     * @throws AdminApiException 400 naming the first wrong field
     */
    public Mono<AgreementView> create(Actor actor, AgreementRequest request) {
        Agreement agreement;
        try {
            agreement = check(request, actor);
        } catch (AdminApiException e) {
            return Audited.run(audit, actor, "agreement.create", null, describe(request), Mono.error(e), v -> "");
        }
        return Audited.run(audit, actor, "agreement.create", null, agreement.pair().toString(),
                store.insert(agreement).then(registry.refresh()).thenReturn(AgreementView.of(agreement,
                        OcpiDateTime.now())),
                v -> "agreement " + v.id() + " for " + String.join(", ", v.modules()) + window(v));
    }

    /**
     * Deletes an agreement; traffic it allowed is refused from the next request on (relays already handed out keep
     * working until they expire).
     *
     * @throws AdminApiException 404 when none has that id
     */
    public Mono<Void> delete(Actor actor, String id) {
        return find(id).onErrorResume(AdminApiException.class, e -> Audited.run(audit, actor, "agreement.delete", null,
                        id, Mono.error(e), v -> ""))
                .flatMap(a -> Audited.run(audit, actor, "agreement.delete", null, a.pair().toString(),
                        store.delete(a.id()).then(registry.refresh()).thenReturn(a),
                        v -> "agreement " + v.id() + " for " + v.modules().stream().map(ModuleId::id).sorted()
                                .collect(Collectors.joining(", ")) + " deleted"))
                .then();
    }

    /** The mode and the parties that opted in. */
    public AgreementPolicyView policy() {
        AgreementBook book = registry.snapshot().agreements();
        return new AgreementPolicyView(book.mode().setting(), book.optedIn().stream()
                .sorted((x, y) -> x.toString().compareTo(y.toString()))
                .map(p -> new AgreementRequest.PartyRef(p.countryCode(), p.partyId())).toList());
    }

    /**
     * Opts a party in ({@code per-party} mode: its traffic then needs agreements). Idempotent.
     *
     * @throws AdminApiException 400 when the party is malformed or no platform hosts it
     */
    public Mono<AgreementPolicyView> optIn(Actor actor, String countryCode, String partyId) {
        return optInOrOut(actor, countryCode, partyId, true);
    }

    /** Opts a party out. Idempotent. @throws AdminApiException 400 when the party is malformed */
    public Mono<AgreementPolicyView> optOut(Actor actor, String countryCode, String partyId) {
        return optInOrOut(actor, countryCode, partyId, false);
    }

    private Mono<AgreementPolicyView> optInOrOut(Actor actor, String countryCode, String partyId, boolean in) {
        String action = in ? "agreement.opt-in" : "agreement.opt-out";
        PartyId party;
        try {
            party = party("party", countryCode, partyId);
            if (in) {
                known("party", party);
            }
        } catch (AdminApiException e) {
            return Audited.run(audit, actor, action, null, countryCode + "/" + partyId, Mono.error(e), v -> "");
        }
        Mono<Boolean> change = in ? store.optIn(party, OcpiDateTime.now()) : store.optOut(party);
        return Audited.run(audit, actor, action, null, party.toString(),
                change.flatMap(changed -> registry.refresh().thenReturn(changed)),
                changed -> (in ? "opted in" : "opted out") + (changed ? "" : " (already)") + "; mode "
                        + registry.snapshot().agreements().mode().setting())
                .map(changed -> policy());
    }

    private Mono<Agreement> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no agreement has id '" + id + "'"));
        }
        return store.find(uuid).switchIfEmpty(Mono.error(
                new AdminApiException(HttpStatus.NOT_FOUND, "no agreement has id '" + id + "'")));
    }

    /** The request as an agreement, or the first problem naming its field. */
    Agreement check(AgreementRequest request, Actor actor) {
        if (request == null) {
            throw bad("the body must be a JSON object with party_a, party_b and modules");
        }
        PartyId a = party("party_a", request.partyA());
        PartyId b = party("party_b", request.partyB());
        known("party_a", a);
        known("party_b", b);
        if (a.equals(b)) {
            throw bad("party_b: must be another party than party_a (" + a + ")");
        }
        if (request.modules() == null || request.modules().isEmpty()) {
            throw bad("modules: required, one or more of " + AGREEABLE_IDS + ", or all");
        }
        Set<ModuleId> modules = EnumSet.noneOf(ModuleId.class);
        for (int i = 0; i < request.modules().size(); i++) {
            String m = request.modules().get(i);
            if ("all".equals(m)) {
                modules.addAll(Agreement.AGREEABLE);
                continue;
            }
            Optional<ModuleId> module = m == null ? Optional.empty() : ModuleId.fromId(m);
            if (module.isEmpty() || !Agreement.AGREEABLE.contains(module.get())) {
                throw bad("modules[" + i + "]: unknown module " + (m == null ? "null" : "'" + printable(m) + "'")
                        + "; one of " + AGREEABLE_IDS + ", or all");
            }
            modules.add(module.get());
        }
        Instant from = time("valid_from", request.validFrom());
        Instant until = time("valid_until", request.validUntil());
        if (from != null && until != null && !until.isAfter(from)) {
            throw bad("valid_until: must be after valid_from (" + OcpiDateTime.format(from) + "), got "
                    + OcpiDateTime.format(until));
        }
        // random v4 without reading the entropy file on the event loop
        return new Agreement(UUID.fromString(MessageIds.next()), AgreementPair.of(a, b), modules, from, until, OcpiDateTime.now(),
                actor.name() + " (" + actor.via() + ")");
    }

    private static PartyId party(String field, AgreementRequest.PartyRef ref) {
        if (ref == null) {
            throw bad(field + ": required, {\"country_code\": ..., \"party_id\": ...}");
        }
        return party(field, ref.countryCode(), ref.partyId());
    }

    private static PartyId party(String field, String countryCode, String partyId) {
        if (countryCode == null || countryCode.isBlank()) {
            throw bad(field + ".country_code: required");
        }
        if (partyId == null || partyId.isBlank()) {
            throw bad(field + ".party_id: required");
        }
        try {
            return PartyId.of(countryCode, partyId);
        } catch (PartyId.InvalidField e) {
            String value = e.field().equals("country_code") ? countryCode : partyId;
            throw bad(field + "." + e.field() + ": must be at most " + e.maxLength()
                    + " printable ASCII characters, got '" + printable(value) + "'");
        }
    }

    private static PartyId parseParty(String field, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw bad(field + ": must be CC/PID, e.g. NL/ALP");
        }
        return party(field, text.substring(0, slash), text.substring(slash + 1));
    }

    private void known(String field, PartyId party) {
        if (!registry.snapshot().parties().contains(party)) {
            throw bad(field + ": no platform hosts " + party + "; onboard the platform first");
        }
    }

    private static Instant time(String field, String text) {
        if (text == null) {
            return null;
        }
        return OcpiDateTime.tryParse(text).orElseThrow(() -> bad(field + ": not a DateTime (RFC 3339, e.g. "
                + "2027-01-01T00:00:00Z): '" + printable(text) + "'"));
    }

    private static String window(AgreementView v) {
        if (v.validFrom() == null && v.validUntil() == null) {
            return "";
        }
        return ", valid " + (v.validFrom() == null ? "" : "from " + v.validFrom() + " ")
                + (v.validUntil() == null ? "" : "until " + v.validUntil());
    }

    private static String describe(AgreementRequest r) {
        if (r == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (AgreementRequest.PartyRef p : new AgreementRequest.PartyRef[] {r.partyA(), r.partyB()}) {
            parts.add(p == null ? "?" : printable(p.countryCode() + "/" + p.partyId()));
        }
        return String.join(" and ", parts);
    }

    /** A value quoted back to the operator: control characters out (no forged log lines), at most 40 characters. */
    private static String printable(String s) {
        String clean = s.chars().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }

    private static AdminApiException bad(String message) {
        return new AdminApiException(HttpStatus.BAD_REQUEST, message);
    }
}
