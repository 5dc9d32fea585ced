package org.ocpihub.console.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.ocpihub.console.security.ConsoleUser;
import org.ocpihub.registry.agreement.AgreementOperations;
import org.ocpihub.registry.agreement.AgreementView;
import org.ocpihub.registry.http.AdminApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The agreements page's other changes (issue 13): delete an agreement, and opt a party in or out ({@code per-party}
 * mode). Each is a GET confirmation page (refused to a VIEWER with the console's not-allowed page) whose form POSTs
 * (OPERATOR and up, CSRF; the security chain enforces both for every POST) through {@link AgreementOperations} with
 * the console user as actor. Done, it redirects to the page with a notice; refused, it shows the page with the
 * service's message and status.
 */
@Controller
public class AgreementChangesController {

    private final AgreementOperations operations;
    private final AgreementsPage page;

    public AgreementChangesController(AgreementOperations operations, AgreementsPage page) {
        this.operations = operations;
        this.page = page;
    }

    /** Confirmation of a delete. */
    @GetMapping(AgreementsPage.PATH + "/{id}/confirm")
    public Mono<Rendering> confirmDelete(Authentication auth, @PathVariable String id,
            @RequestParam(required = false) String parties) {
        if (!ConsoleUser.of(auth).canOperate()) {
            return Mono.just(notAllowed());
        }
        return operations.get(id)
                .map(a -> confirmation("Delete the agreement between " + pair(a) + " for "
                        + String.join(", ", a.modules()) + "? Traffic it allows between them is refused from the "
                        + "next request on (in modes that gate them). This cannot be undone.",
                        AgreementsPage.PATH + "/" + a.id() + "/delete", "Delete agreement",
                        parties == null || parties.isBlank() ? Map.of() : Map.of("shown_parties", parties.strip())))
                .onErrorResume(AdminApiException.class, this::refused);
    }

    @PostMapping(AgreementsPage.PATH + "/{id}/delete")
    public Mono<Rendering> delete(Authentication auth, @PathVariable String id, ServerWebExchange exchange) {
        // the matrix's filter comes back with the confirmation's form, so the operator sees the same parties again
        return exchange.getFormData().flatMap(fields -> operations.delete(ConsoleUser.of(auth).actor(), id)
                .then(Mono.fromSupplier(() -> Rendering.redirectTo(AgreementsPage.url(AgreementsPage.DEFAULT_MODULE,
                        fields.getFirst("shown_parties"), "deleted")).build())))
                .onErrorResume(AdminApiException.class, this::refused);
    }

    /** Confirmation of an opt-in ({@code change=in}) or opt-out ({@code change=out}) of {@code party} (CC/PID). */
    @GetMapping(AgreementsPage.PATH + "/opt/confirm")
    public Mono<Rendering> confirmOpt(Authentication auth, @RequestParam(required = false) String party,
            @RequestParam(required = false) String change) {
        if (!ConsoleUser.of(auth).canOperate()) {
            return Mono.just(notAllowed());
        }
        boolean in = "in".equals(change);
        if (!in && !"out".equals(change) || party == null || party.isBlank()) {
            return refused(new AdminApiException(HttpStatus.BAD_REQUEST,
                    "choose Opt in or Opt out on a party's row of the per-party list"));
        }
        String who = party.strip();
        return Mono.just(confirmation(in
                        ? "Opt " + who + " in? From the next request on, its traffic for a module needs an agreement "
                                + "with the other party that covers the module; without one it is refused."
                        : "Opt " + who + " out? Its traffic is open again, except with parties that opted in.",
                AgreementsPage.PATH + (in ? "/opt-in" : "/opt-out"), in ? "Opt in" : "Opt out",
                Map.of("party", who)));
    }

    @PostMapping(AgreementsPage.PATH + "/opt-in")
    public Mono<Rendering> optIn(Authentication auth, ServerWebExchange exchange) {
        return opt(auth, exchange, true);
    }

    @PostMapping(AgreementsPage.PATH + "/opt-out")
    public Mono<Rendering> optOut(Authentication auth, ServerWebExchange exchange) {
        return opt(auth, exchange, false);
    }

    private Mono<Rendering> opt(Authentication auth, ServerWebExchange exchange, boolean in) {
        return exchange.getFormData().flatMap(fields -> {
            String party = fields.getFirst("party") == null ? "" : fields.getFirst("party").strip();
            int slash = party.indexOf('/');
            String cc = slash < 0 ? party : party.substring(0, slash);
            String pid = slash < 0 ? null : party.substring(slash + 1);
            var actor = ConsoleUser.of(auth).actor();
            return (in ? operations.optIn(actor, cc, pid) : operations.optOut(actor, cc, pid))
                    .map(p -> Rendering.redirectTo(AgreementsPage.url(AgreementsPage.DEFAULT_MODULE,
                            in ? "opted-in" : "opted-out")).build());
        }).onErrorResume(AdminApiException.class, this::refused);
    }

    private Mono<Rendering> refused(AdminApiException e) {
        return page.render(AgreementsPage.DEFAULT_MODULE, AgreementsPage.CreateForm.blank(), "", e.getMessage(),
                Map.of(), e.httpStatus());
    }

    private static String pair(AgreementView a) {
        return a.partyA().countryCode() + "/" + a.partyA().partyId() + " and " + a.partyB().countryCode() + "/"
                + a.partyB().partyId();
    }

    private static Rendering confirmation(String question, String action, String button, Map<String, String> hidden) {
        return Rendering.view("console/agreement-confirm")
                .modelAttribute("page", NavItem.AGREEMENTS)
                .modelAttribute("question", question)
                .modelAttribute("action", action)
                .modelAttribute("button", button)
                .modelAttribute("hidden", hidden)
                .build();
    }

    private static Rendering notAllowed() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("page", NavItem.AGREEMENTS);
        return Rendering.view("console/not-allowed").status(HttpStatus.FORBIDDEN).model(model)
                .modelAttribute("problem", "Changing agreements needs the OPERATOR role: ask an administrator for it.")
                .build();
    }
}
