package org.ocpihub.console.web;

import java.util.Map;
import java.util.Optional;

import org.ocpihub.console.security.ConsoleUser;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.AgreementOperations;
import org.ocpihub.registry.http.AdminApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The agreements page at {@value AgreementsPage#PATH} (issue 13, "The console shows and edits the matrix"): the
 * mode, the matrix of one module ({@code ?module=}, default {@code locations}) narrowed by {@code ?parties=} (see
 * {@link AgreementMatrix}: at most {@value AgreementMatrix#MAX_PARTIES} parties), every agreement, and the create
 * form.
 * Creating (the form, or a refused cell's one-click "agree") POSTs to the same path: OPERATOR and up (the security
 * chain refuses a VIEWER's POST and a POST without its CSRF token), through {@link AgreementOperations#create} with
 * the console user as actor, so it is audited and checked by the same rules as the JSON admin API. A refusal is
 * shown on the form, next to the field its message names, with the service's status; the values typed are kept.
 */
@Controller
public class AgreementsController {

    /** What a change left to say when it redirects here (by key: no operator input through a URL). */
    static final Map<String, String> DONE = Map.of(
            "created", "The agreement is created; it is in force on every hub instance within a second.",
            "deleted", "The agreement is deleted; traffic it allowed is refused from the next request on.",
            "opted-in", "The party opted in: its traffic now needs agreements.",
            "opted-out", "The party opted out: its traffic is open again unless the other party opted in.");

    private final AgreementOperations operations;
    private final AgreementsPage page;

    public AgreementsController(AgreementOperations operations, AgreementsPage page) {
        this.operations = operations;
        this.page = page;
    }

    /** The page; an unknown {@code module} shows the default one, saying so (400). */
    @GetMapping(AgreementsPage.PATH)
    public Mono<Rendering> page(@RequestParam(required = false) String module,
            @RequestParam(required = false) String parties, @RequestParam(required = false) String done) {
        Optional<ModuleId> asked = AgreementsPage.module(module);
        boolean unknown = module != null && !module.isBlank() && asked.isEmpty();
        return page.render(asked.orElse(AgreementsPage.DEFAULT_MODULE), parties, AgreementsPage.CreateForm.blank(),
                done == null ? "" : DONE.getOrDefault(done, ""),
                unknown ? "module: must be one of " + String.join(", ", AgreementsPage.MODULES) + "; showing "
                        + AgreementsPage.DEFAULT_MODULE.id() : "",
                Map.of(), unknown ? HttpStatus.BAD_REQUEST : HttpStatus.OK);
    }

    /**
     * Creates an agreement from the form ({@code party_a}, {@code party_b}, {@code modules}, {@code valid_from},
     * {@code valid_until}; {@code shown} and {@code shown_parties} are the matrix's module and filter to return to).
     */
    @PostMapping(AgreementsPage.PATH)
    public Mono<Rendering> create(Authentication auth, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(fields -> {
            AgreementsPage.CreateForm form = AgreementsPage.CreateForm.of(fields);
            ModuleId shown = AgreementsPage.module(fields.getFirst("shown")).orElse(AgreementsPage.DEFAULT_MODULE);
            String parties = fields.getFirst("shown_parties");
            return operations.create(ConsoleUser.of(auth).actor(), form.request())
                    .map(v -> Rendering.redirectTo(AgreementsPage.url(shown, parties, "created")).build())
                    .onErrorResume(AdminApiException.class, e -> page.render(shown, parties, form, "",
                            "The agreement was not created: " + e.getMessage(), FieldProblems.leading(e.getMessage()),
                            e.httpStatus()));
        });
    }
}
