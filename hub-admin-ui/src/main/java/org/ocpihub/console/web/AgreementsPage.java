package org.ocpihub.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.Agreement;
import org.ocpihub.registry.agreement.AgreementBook;
import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.agreement.AgreementOperations;
import org.ocpihub.registry.agreement.AgreementRequest;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * The agreements page's model ({@code templates/console/agreements.html}, issue 13): the mode in words, the opted-in
 * parties, the {@link AgreementMatrix} of one module, every agreement ({@link AgreementOperations#list}) and the
 * create form as typed. Built from this instance's registry snapshot (no database call for the matrix); shared by
 * {@link AgreementsController} and {@link AgreementChangesController}.
 */
@Component
public class AgreementsPage {

    /** Where the page is. */
    public static final String PATH = "/admin/agreements";
    /** The module the matrix shows when none is asked for. */
    public static final ModuleId DEFAULT_MODULE = ModuleId.LOCATIONS;

    /** The agreeable module ids, sorted: the selector and the create form's checkboxes. */
    static final List<String> MODULES = Agreement.AGREEABLE.stream().map(ModuleId::id).sorted().toList();

    /** What each mode means for traffic. */
    private static final Map<AgreementMode, String> MEANING = Map.of(
            AgreementMode.OPEN, "Every member may reach every other: agreements are kept, but they gate no traffic. "
                    + "Switch hub.agreements.mode to per-party or required to enforce them.",
            AgreementMode.REQUIRED, "Two parties exchange a module only while an agreement between them covers it; "
                    + "every other request between them is refused.",
            AgreementMode.PER_PARTY, "Traffic to or from a party that opted in needs an agreement covering the "
                    + "module; between two parties that did not opt in, traffic is open.");

    /**
     * The create form as the operator typed it (kept when it is shown again with a problem).
     *
     * @param partyA  {@code CC/PID}
     * @param partyB  {@code CC/PID}
     * @param modules module ids, or {@code all}
     * @param validFrom  RFC 3339, or blank
     * @param validUntil RFC 3339, or blank
     */
    public record CreateForm(String partyA, String partyB, List<String> modules, String validFrom,
                             String validUntil) {

        /** The empty form. */
        public static CreateForm blank() {
            return new CreateForm("", "", List.of(), "", "");
        }

        /** The form from posted fields ({@code party_a}, {@code party_b}, {@code modules}...). */
        public static CreateForm of(MultiValueMap<String, String> fields) {
            List<String> modules = fields.getOrDefault("modules", List.of()).stream().map(String::strip)
                    .filter(m -> !m.isEmpty()).distinct().toList();
            return new CreateForm(text(fields, "party_a"), text(fields, "party_b"), modules,
                    text(fields, "valid_from"), text(fields, "valid_until"));
        }

        /** True when the checkbox of {@code module} is ticked. */
        public boolean has(String module) {
            return modules.contains(module);
        }

        /**
         * The service's request; a blank party is sent as none (the service says it is required), a blank window
         * bound as no bound.
         */
        AgreementRequest request() {
            return new AgreementRequest(ref(partyA), ref(partyB), modules.isEmpty() ? null : modules,
                    validFrom.isEmpty() ? null : validFrom, validUntil.isEmpty() ? null : validUntil);
        }

        private static AgreementRequest.PartyRef ref(String party) {
            if (party.isEmpty()) {
                return null;
            }
            int slash = party.indexOf('/');
            return slash < 0 ? new AgreementRequest.PartyRef(party, null)
                    : new AgreementRequest.PartyRef(party.substring(0, slash), party.substring(slash + 1));
        }

        private static String text(MultiValueMap<String, String> fields, String name) {
            String v = fields.getFirst(name);
            return v == null ? "" : v.strip();
        }
    }

    /** A party of the per-party list: whether it opted in. */
    public record OptIn(AgreementMatrix.Party party, boolean in) {
    }

    private final AgreementOperations operations;
    private final PlatformRegistry registry;

    public AgreementsPage(AgreementOperations operations, PlatformRegistry registry) {
        this.operations = operations;
        this.registry = registry;
    }

    /** The module a query or form names, if it is an agreeable one. */
    static Optional<ModuleId> module(String id) {
        return id == null ? Optional.empty() : ModuleId.fromId(id.strip()).filter(Agreement.AGREEABLE::contains);
    }

    /** The page's own URL for a module, with a done key (or null). */
    static String url(ModuleId module, String done) {
        return url(module, "", done);
    }

    /** The page's own URL for a module and the matrix's party filter (blank: none), with a done key (or null). */
    static String url(ModuleId module, String parties, String done) {
        String filter = AgreementMatrix.filter(parties);
        return PATH + "?module=" + module.id()
                + (filter.isEmpty() ? "" : "&parties=" + URLEncoder.encode(filter, StandardCharsets.UTF_8))
                + (done == null ? "" : "&done=" + done);
    }

    /**
     * The page.
     *
     * @param module  the matrix's module
     * @param form    the create form's values
     * @param notice  what a change did, or empty
     * @param problem what was refused, or empty
     * @param errors  field → message for the create form
     * @param status  the answer's status (400 when a change was refused for a field)
     */
    public Mono<Rendering> render(ModuleId module, CreateForm form, String notice, String problem,
            Map<String, String> errors, HttpStatus status) {
        return render(module, "", form, notice, problem, errors, status);
    }

    /**
     * The page with the matrix narrowed by {@code parties} ({@link AgreementMatrix}'s filter; blank: none); the
     * create form and the opt-in list still offer every registered party.
     */
    public Mono<Rendering> render(ModuleId module, String parties, CreateForm form, String notice, String problem,
            Map<String, String> errors, HttpStatus status) {
        RegistrySnapshot snapshot = registry.snapshot();
        AgreementBook book = snapshot.agreements();
        AgreementMatrix matrix = AgreementMatrix.of(snapshot, module, parties, OcpiDateTime.now());
        List<AgreementMatrix.Party> all = AgreementMatrix.parties(snapshot);
        List<OptIn> optIns = new ArrayList<>();
        all.forEach(p -> optIns.add(new OptIn(p, book.optedIn().contains(p.id()))));
        List<String> optedIn = book.optedIn().stream().map(PartyId::toString).sorted().toList();
        return operations.list(null).map(agreements -> Rendering.view("console/agreements").status(status)
                .modelAttribute("page", NavItem.AGREEMENTS)
                .modelAttribute("mode", book.mode().setting())
                .modelAttribute("perParty", book.mode() == AgreementMode.PER_PARTY)
                .modelAttribute("meaning", MEANING.get(book.mode()))
                .modelAttribute("optedIn", optedIn)
                .modelAttribute("optIns", optIns)
                .modelAttribute("matrix", matrix)
                .modelAttribute("allParties", all)
                .modelAttribute("modules", MODULES)
                .modelAttribute("agreements", agreements)
                .modelAttribute("form", form)
                .modelAttribute("notice", notice == null ? "" : notice)
                .modelAttribute("problem", problem == null ? "" : problem)
                .modelAttribute("errors", errors)
                .build());
    }
}
