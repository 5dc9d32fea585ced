package org.ocpihub.console.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ocpihub.console.security.ConsoleUser;
import org.ocpihub.ocpi.credentials.CredentialsRole;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.operator.CreatePlatformRequest;
import org.ocpihub.registry.operator.PlatformOperations;
import org.ocpihub.registry.operator.PlatformView;
import org.ocpihub.registry.operator.RegisterPlatformRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The onboarding wizard at {@code /admin/onboard} (issue 9 item 5), OPERATOR only (the security chain: any POST; the
 * page itself checks the role for its GET). Both directions of the credentials handshake, on {@link
 * PlatformOperations} alone:
 * <ul>
 *   <li><b>The platform registers with the hub</b>: step 1 the operator names the platform and grants its roles
 *   ({@link PlatformOperations#create}); step 2 the answer to that POST shows token A and the hub's versions URL once
 *   (never in a URL, never logged, {@code Cache-Control: no-store} from the security chain) and polls
 *   {@code /admin/onboard/{id}/status} (htmx, every 2 s) until the platform is CONNECTED, then lists the endpoints it
 *   offered. Without JavaScript, {@code /admin/onboard/{id}} shows the same status on a reload.</li>
 *   <li><b>The hub registers with the platform</b>: the same form with the platform's versions URL and the token A it
 *   handed out; the hub creates the platform, then {@link PlatformOperations#register}s. A failure shows the
 *   service's message (what to fix) and keeps every value but the token; a retry reuses the platform created the
 *   first time (hidden {@code platform_id}) instead of creating another.</li>
 * </ul>
 * A role row can be added without JavaScript: the "Add a role" button submits the form, which comes back with one
 * more row and the values kept. Rows left entirely blank are ignored. Business details are optional: left blank, the
 * platform's name stands in until its credentials bring the real ones at registration.
 */
@Controller
public class OnboardController {

    /** Where the wizard lives. */
    static final String PATH = "/admin/onboard";
    /** The roles an operator may grant (the hub is the only HUB). */
    static final List<Role> GRANTABLE = java.util.Arrays.stream(Role.values()).filter(r -> r != Role.HUB).toList();
    /** The most role rows the form keeps (a platform with more is onboarded through the API). */
    static final int MAX_ROWS = 20;

    /** One role row of the form; every field as typed. */
    public record RoleRow(String role, String countryCode, String partyId, String businessName, String website) {

        static RoleRow blank() {
            return new RoleRow("", "", "", "", "");
        }

        boolean isBlank() {
            return empty(role) && empty(countryCode) && empty(partyId) && empty(businessName) && empty(website);
        }
    }

    /**
     * The wizard's form.
     *
     * @param name        the platform's name
     * @param roles       the role rows ({@code roles[i].role}, {@code roles[i].countryCode}…)
     * @param versionsUrl the platform's versions URL (hub-initiated registration only)
     * @param token       the token A the platform handed out (hub-initiated registration only); never shown again
     * @param platformId  the platform created by an earlier, failed registration attempt (retry), or blank
     * @param step        {@code add-role}, {@code create} or {@code register}
     */
    public record OnboardForm(String name, List<RoleRow> roles, String versionsUrl, String token, String platformId,
                              String step) {
    }

    private final PlatformOperations platforms;

    public OnboardController(PlatformOperations platforms) {
        this.platforms = platforms;
    }

    /** Step 1: an empty form with one role row. */
    @GetMapping(PATH)
    public Mono<Rendering> form(Authentication auth) {
        if (!ConsoleUser.of(auth).canOperate()) {
            return Mono.just(refusedToViewer());
        }
        return Mono.just(form(new OnboardForm("", List.of(RoleRow.blank()), "", "", "", null), null, Map.of(),
                HttpStatus.OK, null));
    }

    /** The form's one POST: add a role row, create (step 2 with token A) or create and register. */
    @PostMapping(PATH)
    public Mono<Rendering> submit(Authentication auth, @ModelAttribute OnboardForm form) {
        Actor actor = ConsoleUser.of(auth).actor();
        List<RoleRow> rows = rows(form);
        OnboardForm kept = new OnboardForm(trim(form.name()), rows, trim(form.versionsUrl()), "",
                trim(form.platformId()), form.step());
        String step = form.step() == null ? "create" : form.step();
        return switch (step) {
            case "add-role" -> {
                List<RoleRow> more = new ArrayList<>(rows);
                if (more.size() < MAX_ROWS) {
                    more.add(RoleRow.blank());
                }
                yield Mono.just(form(new OnboardForm(kept.name(), more, kept.versionsUrl(), "", kept.platformId(),
                        null), null, Map.of(), HttpStatus.OK, "roles[" + (more.size() - 1) + "].role"));
            }
            case "register" -> register(actor, form, kept);
            default -> create(actor, kept);
        };
    }

    /** The status page of step 2 without the token (what a reload or a browser without JavaScript shows). */
    @GetMapping(PATH + "/{id}")
    public Mono<Rendering> status(Authentication auth, @PathVariable String id) {
        return platforms.get(id)
                .map(p -> Rendering.view("console/onboard-wait").modelAttribute("page", NavItem.ONBOARD)
                        .modelAttribute("platform", p).modelAttribute("issued", false)
                        .modelAttribute("hubInitiated", false).build())
                .onErrorResume(AdminApiException.class, e -> Mono.just(Rendering.view("console/onboard")
                        .status(e.httpStatus()).modelAttribute("page", NavItem.ONBOARD)
                        .modelAttribute("problem", e.getMessage()).modelAttribute("form",
                                new OnboardForm("", List.of(RoleRow.blank()), "", "", "", null))
                        .modelAttribute("errors", Map.of()).modelAttribute("grantable", GRANTABLE)
                        .modelAttribute("focus", "").build()));
    }

    /** The live status fragment htmx polls while the page waits for the handshake. */
    @GetMapping(PATH + "/{id}/status")
    public Mono<Rendering> statusFragment(@PathVariable String id) {
        return platforms.get(id)
                .map(p -> Rendering.view("console/onboard-poll").modelAttribute("platform", p).build())
                .onErrorResume(AdminApiException.class, e -> Mono.just(Rendering.view("console/onboard-gone")
                        .status(HttpStatus.OK) // htmx swaps only 2xx: show the message rather than poll on
                        .modelAttribute("problem", e.getMessage()).build()));
    }

    private Mono<Rendering> create(Actor actor, OnboardForm kept) {
        Request request = request(kept);
        return platforms.create(actor, request.body())
                .map(created -> Rendering.view("console/onboard-wait").modelAttribute("page", NavItem.ONBOARD)
                        .modelAttribute("platform", created).modelAttribute("issued", true)
                        .modelAttribute("hubInitiated", false)
                        .header("Cache-Control", "no-store").build())
                .onErrorResume(AdminApiException.class, e -> Mono.just(form(kept, e.getMessage(),
                        FieldProblems.of(e.getMessage(), request::formRow), e.httpStatus(), null)));
    }

    private Mono<Rendering> register(Actor actor, OnboardForm form, OnboardForm kept) {
        Request request = request(kept);
        // the versions URL and token are checked by the service too; an empty one here would create a platform for
        // nothing, so ask for both before creating
        if (empty(kept.versionsUrl()) || empty(form.token())) {
            String field = empty(kept.versionsUrl()) ? "versions_url" : "token";
            String message = "missing required field: " + field + " (to let the hub register, give the platform's "
                    + "versions URL and the token A it handed out)";
            return Mono.just(form(kept, message, Map.of(field, message), HttpStatus.BAD_REQUEST, null));
        }
        Mono<PlatformView> platform = empty(kept.platformId()) ? platforms.create(actor, request.body())
                : platforms.get(kept.platformId());
        return platform.flatMap(p -> {
            OnboardForm retry = new OnboardForm(kept.name(), kept.roles(), kept.versionsUrl(), "", p.id().toString(),
                    null);
            return platforms.register(actor, p.id().toString(),
                            new RegisterPlatformRequest(kept.versionsUrl(), form.token().trim()))
                    .map(after -> Rendering.view("console/onboard-wait").modelAttribute("page", NavItem.ONBOARD)
                            .modelAttribute("platform", after).modelAttribute("issued", false)
                            .modelAttribute("hubInitiated", true).build())
                    .onErrorResume(AdminApiException.class, e -> Mono.just(form(retry, e.getMessage(),
                            FieldProblems.of(e.getMessage(), i -> i), e.httpStatus(), null)));
        }).onErrorResume(AdminApiException.class, e -> Mono.just(form(kept, e.getMessage(),
                FieldProblems.of(e.getMessage(), request::formRow), e.httpStatus(), null)));
    }

    /** The create request, built from the non-blank rows, and which form row each of its roles came from. */
    private record Request(CreatePlatformRequest body, List<Integer> rowOf) {
        int formRow(int requestIndex) {
            return requestIndex >= 0 && requestIndex < rowOf.size() ? rowOf.get(requestIndex) : requestIndex;
        }
    }

    private static Request request(OnboardForm form) {
        List<CredentialsRole> roles = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        for (int i = 0; i < form.roles().size(); i++) {
            RoleRow row = form.roles().get(i);
            if (row.isBlank()) {
                continue;
            }
            // optional business details: the platform's name stands in until its credentials bring its own
            String business = empty(row.businessName()) ? form.name() : row.businessName();
            BusinessDetails details = new BusinessDetails(empty(business) ? null : business,
                    empty(row.website()) ? null : row.website(), null);
            roles.add(new CredentialsRole(role(row.role()), details, blankToNull(row.partyId()),
                    blankToNull(row.countryCode())));
            rowOf.add(i);
        }
        return new Request(new CreatePlatformRequest(form.name(), roles, null), rowOf);
    }

    private static Role role(String value) {
        if (empty(value)) {
            return null;
        }
        try {
            Role r = Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
            return r;
        } catch (IllegalArgumentException e) {
            return null; // reported by the service as a missing role, next to the row's role field
        }
    }

    private static List<RoleRow> rows(OnboardForm form) {
        List<RoleRow> rows = new ArrayList<>();
        if (form.roles() != null) {
            for (RoleRow row : form.roles()) {
                if (rows.size() >= MAX_ROWS) {
                    break;
                }
                rows.add(row == null ? RoleRow.blank() : new RoleRow(trim(row.role()), trim(row.countryCode()),
                        trim(row.partyId()), trim(row.businessName()), trim(row.website())));
            }
        }
        if (rows.isEmpty()) {
            rows.add(RoleRow.blank());
        }
        return rows;
    }

    private static Rendering form(OnboardForm form, String problem, Map<String, String> errors, HttpStatus status,
                                  String focus) {
        Map<String, String> fieldErrors = new HashMap<>(errors);
        return Rendering.view("console/onboard").status(status).modelAttribute("page", NavItem.ONBOARD)
                .modelAttribute("form", form)
                .modelAttribute("problem", problem == null ? "" : problem)
                .modelAttribute("errors", fieldErrors)
                .modelAttribute("grantable", GRANTABLE)
                .modelAttribute("focus", focus == null ? "" : focus)
                .build();
    }

    /**
     * A form whose role row index the page never offered ({@code roles[300]}, {@code roles[-1]}, {@code roles[x]}:
     * forged or edited) fails in Spring's binding of {@link OnboardForm#roles()} before any handler runs, with an
     * index or number error; answered as the wizard with 400 and a message, never a 500. Nothing was created.
     */
    @ExceptionHandler({IndexOutOfBoundsException.class, NumberFormatException.class})
    public Mono<Rendering> unreadableRows(RuntimeException e, ServerWebExchange exchange) {
        // binding failed before ConsoleModel's attributes were resolved: resolve them here for the layout
        ConsoleModel model = new ConsoleModel();
        return Mono.zip(model.csrf(exchange), model.csrfHeaders(exchange), model.me(), model.nav())
                .map(t -> Rendering.view("console/onboard").status(HttpStatus.BAD_REQUEST)
                        .modelAttribute("_csrf", t.getT1()).modelAttribute("csrfHeaders", t.getT2())
                        .modelAttribute("me", t.getT3()).modelAttribute("nav", t.getT4())
                        .modelAttribute("page", NavItem.ONBOARD)
                        .modelAttribute("form", new OnboardForm("", List.of(RoleRow.blank()), "", "", "", null))
                        .modelAttribute("problem",
                                "the form has a role row the wizard did not offer: start again with this form")
                        .modelAttribute("errors", Map.of()).modelAttribute("grantable", GRANTABLE)
                        .modelAttribute("focus", "").build())
                .switchIfEmpty(Mono.error(e)); // no session or token: the console's error page
    }

    private static Rendering refusedToViewer() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("page", NavItem.ONBOARD);
        return Rendering.view("console/not-allowed").status(HttpStatus.FORBIDDEN).model(model)
                .modelAttribute("problem", "Onboarding needs the OPERATOR role: ask an administrator for it.")
                .build();
    }

    private static boolean empty(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String blankToNull(String s) {
        return empty(s) ? null : s.trim();
    }

    /** Whether a platform is connected (the wizard's end). */
    static boolean connected(PlatformView p) {
        return p.status() == ConnectionStatus.CONNECTED;
    }
}
