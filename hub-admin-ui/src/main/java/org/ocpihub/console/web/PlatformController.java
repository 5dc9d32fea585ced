package org.ocpihub.console.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ocpihub.broadcast.clientinfo.ClientInfoView;
import org.ocpihub.console.security.ConsoleUser;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.messagelog.MessageLogQueries;
import org.ocpihub.registry.messagelog.PlatformRecent;
import org.ocpihub.registry.messagelog.PlatformTraffic;
import org.ocpihub.registry.operator.PlatformOperations;
import org.ocpihub.registry.operator.PlatformView;
import org.ocpihub.registry.operator.RegisterPlatformRequest;
import org.ocpihub.registry.platform.StatusChange;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * A platform's page at {@code /admin/platforms/{id}} (issue 9 item 4): granted roles with business details,
 * endpoints, OCPI version, token encoding, status and its history, traffic of the last
 * {@link OverviewController#WINDOW}, its last requests and errors (each linking to the Trace page), and what Hub
 * Client Info tells it.
 *
 * <p>Actions (OPERATOR and ADMIN; the security chain refuses a VIEWER's POST, and the confirmation pages refuse a
 * VIEWER too): suspend, reactivate, delete, new token A, register with the platform, still-alive check now, token
 * encoding. Each is a GET confirmation page ({@code …/confirm?action=…}) whose form POSTs to {@code …/<action>}: no
 * JavaScript needed. Every action goes through {@link PlatformOperations} with the console user as
 * {@link Actor}, so it is audited and follows the same rules as the JSON API. A new token A is shown once, on the
 * page answering the POST (never in a URL, a log or later page). An {@link AdminApiException} shows its operator
 * message with its HTTP status ({@link ConsoleProblems}); an
 * unknown id is a friendly 404 page.
 */
@Controller
public class PlatformController {

    /** How many recent requests and errors the page lists. */
    public static final int RECENT = 20;

    /** The actions, with the confirmation question and the button. */
    enum Action {
        SUSPEND("suspend", "Suspend %s? Its calls are refused and nothing is sent to it until it is reactivated.",
                "Suspend"),
        REACTIVATE("reactivate", "Reactivate %s? It is CONNECTED again when registered, else PLANNED.",
                "Reactivate"),
        DELETE("delete", "Delete %s? Its roles, endpoints and tokens are removed; other platforms are told it is "
                + "SUSPENDED. This cannot be undone.", "Delete platform"),
        TOKEN_A("token-a", "Issue a new token A for %s? The old token A stops working; an unregistered platform goes "
                + "back to PLANNED. The new token is shown once.", "Issue new token A"),
        REGISTER("register", "Register the hub with %s: the hub fetches the platform's versions, posts its "
                + "credentials with the token the platform gave you, and stores the endpoints it offers.",
                "Register"),
        STILL_ALIVE("still-alive", "Run the still-alive check for %s now? The hub asks its versions URL; an OFFLINE "
                + "platform that answers is CONNECTED again.", "Check now"),
        TOKEN_ENCODING("token-encoding", "Change the token encoding the hub uses toward %s to %s? The next call the "
                + "hub makes to it uses it.", "Change token encoding");

        final String path;
        final String question;
        final String button;

        Action(String path, String question, String button) {
            this.path = path;
            this.question = question;
            this.button = button;
        }

        static Action of(String path) {
            for (Action a : values()) {
                if (a.path.equalsIgnoreCase(path)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** What the page says after a change it was redirected from (by key: no operator input through a URL). */
    private static final Map<String, String> DONE = Map.of(
            "suspend", "The platform is suspended.",
            "reactivate", "The platform is reactivated.",
            "register", "The hub registered with the platform.",
            "token-encoding", "The token encoding is changed.");

    /** The register form: the platform's versions URL and the token it gave the hub. */
    public record RegisterForm(String versionsUrl, String token) {
    }

    /** The token encoding form. */
    public record EncodingForm(String encoding) {
    }

    private final PlatformOperations platforms;
    private final MessageLogQueries messageLog;
    private final ClientInfoView clientInfo;

    public PlatformController(PlatformOperations platforms, MessageLogQueries messageLog, ClientInfoView clientInfo) {
        this.platforms = platforms;
        this.messageLog = messageLog;
        this.clientInfo = clientInfo;
    }

    @GetMapping(PlatformsController.PATH + "/{id}")
    public Mono<Rendering> page(@PathVariable String id, @RequestParam(required = false) String done) {
        return page(id, HttpStatus.OK, done == null ? "" : DONE.getOrDefault(done, ""), "")
                .onErrorResume(AdminApiException.class, ConsoleProblems::page);
    }

    @GetMapping(PlatformsController.PATH + "/{id}/confirm")
    public Mono<Rendering> confirm(Authentication auth, @PathVariable String id,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String encoding) {
        if (!ConsoleUser.of(auth).canOperate()) {
            return ConsoleProblems.page(new AdminApiException(HttpStatus.FORBIDDEN,
                    "your role does not allow this: ask an administrator for a role that does"));
        }
        Action a = Action.of(action);
        if (a == null) {
            return page(id, HttpStatus.BAD_REQUEST, "", "choose one of the actions offered on the platform's page")
                    .onErrorResume(AdminApiException.class, ConsoleProblems::page);
        }
        TokenEncoding target = null;
        if (a == Action.TOKEN_ENCODING) {
            target = encoding(encoding);
            if (target == null) {
                return page(id, HttpStatus.BAD_REQUEST, "", "choose the token encoding: BASE64 or RAW")
                        .onErrorResume(AdminApiException.class, ConsoleProblems::page);
            }
        }
        TokenEncoding wanted = target;
        return platforms.get(id).map(p -> confirmation(p, a, wanted, HttpStatus.OK, "", ""))
                .onErrorResume(AdminApiException.class, ConsoleProblems::page);
    }

    @PostMapping(PlatformsController.PATH + "/{id}/suspend")
    public Mono<Rendering> suspend(Authentication auth, @PathVariable String id) {
        return platforms.suspend(actor(auth), id).map(p -> done(p.id(), "suspend")).onErrorResume(
                AdminApiException.class, ConsoleProblems::page);
    }

    @PostMapping(PlatformsController.PATH + "/{id}/reactivate")
    public Mono<Rendering> reactivate(Authentication auth, @PathVariable String id) {
        return platforms.reactivate(actor(auth), id).map(p -> done(p.id(), "reactivate")).onErrorResume(
                AdminApiException.class, ConsoleProblems::page);
    }

    @PostMapping(PlatformsController.PATH + "/{id}/delete")
    public Mono<Rendering> delete(Authentication auth, @PathVariable String id) {
        return platforms.delete(actor(auth), id)
                .then(Mono.fromSupplier(() -> Rendering.redirectTo(PlatformsController.PATH + "?done=deleted").build()))
                .onErrorResume(AdminApiException.class, ConsoleProblems::page);
    }

    /** The new token A, shown on this answer only. */
    @PostMapping(PlatformsController.PATH + "/{id}/token-a")
    public Mono<Rendering> tokenA(Authentication auth, @PathVariable String id) {
        return platforms.newTokenA(actor(auth), id)
                .map(p -> Rendering.view("console/platform-token-a")
                        .header("Cache-Control", "no-store")
                        .modelAttribute("page", NavItem.PLATFORMS)
                        .modelAttribute("platform", p).build())
                .onErrorResume(AdminApiException.class, ConsoleProblems::page);
    }

    @PostMapping(PlatformsController.PATH + "/{id}/register")
    public Mono<Rendering> register(Authentication auth, @PathVariable String id,
            @ModelAttribute RegisterForm form) {
        String versionsUrl = form.versionsUrl() == null ? null : form.versionsUrl().strip();
        String token = form.token() == null ? null : form.token().strip();
        return platforms.register(actor(auth), id, new RegisterPlatformRequest(blankToNull(versionsUrl),
                        blankToNull(token)))
                .map(p -> done(p.id(), "register"))
                .onErrorResume(AdminApiException.class, e -> e.httpStatus() == HttpStatus.NOT_FOUND ? Mono.error(e)
                        // the form again, with what failed; the URL kept, the token never shown back
                        : platforms.get(id).map(p -> confirmation(p, Action.REGISTER, null, e.httpStatus(),
                                versionsUrl == null ? "" : versionsUrl, e.getMessage())))
                .onErrorResume(AdminApiException.class, ConsoleProblems::page);
    }

    @PostMapping(PlatformsController.PATH + "/{id}/still-alive")
    public Mono<Rendering> stillAlive(Authentication auth, @PathVariable String id) {
        return platforms.stillAliveNow(actor(auth), id)
                .flatMap(result -> page(id, HttpStatus.OK, result.alive() ? result.message() : "",
                        result.alive() ? "" : result.message()))
                .onErrorResume(AdminApiException.class, e -> e.httpStatus() == HttpStatus.NOT_FOUND ? Mono.error(e)
                        : page(id, e.httpStatus(), "", e.getMessage()))
                .onErrorResume(AdminApiException.class, ConsoleProblems::page);
    }

    @PostMapping(PlatformsController.PATH + "/{id}/token-encoding")
    public Mono<Rendering> tokenEncoding(Authentication auth, @PathVariable String id,
            @ModelAttribute EncodingForm form) {
        return platforms.changeTokenEncoding(actor(auth), id, form.encoding())
                .map(p -> done(p.id(), "token-encoding"))
                .onErrorResume(AdminApiException.class, e -> e.httpStatus() == HttpStatus.BAD_REQUEST
                        ? page(id, e.httpStatus(), "", e.getMessage()) : Mono.error(e))
                .onErrorResume(AdminApiException.class, ConsoleProblems::page);
    }

    /** The page, with a notice or a problem and the given status (e.g. 409 when an action was refused). */
    private Mono<Rendering> page(String id, HttpStatus status, String notice, String problem) {
        return platforms.get(id).flatMap(p -> Mono.zip(platforms.statusHistory(p.id()),
                        messageLog.recentForPlatform(p.id(), RECENT),
                        clientInfo.forPlatform(p.id()),
                        messageLog.traffic(OverviewController.WINDOW))
                .map(t -> {
                    List<StatusChange> history = t.getT1();
                    PlatformRecent recent = t.getT2();
                    List<ClientInfo> infos = t.getT3();
                    List<PlatformTraffic> traffic = t.getT4().stream()
                            .filter(x -> p.id().equals(x.platformId())).toList();
                    return Rendering.view("console/platform").status(status)
                            .modelAttribute("page", NavItem.PLATFORMS)
                            .modelAttribute("fmt", ConsoleFormat.INSTANCE)
                            .modelAttribute("platform", p)
                            .modelAttribute("history", history)
                            .modelAttribute("recent", recent)
                            .modelAttribute("clientInfo", infos)
                            .modelAttribute("traffic", traffic)
                            .modelAttribute("encodings", TokenEncoding.values())
                            .modelAttribute("windowMinutes", OverviewController.WINDOW.toMinutes())
                            .modelAttribute("notice", notice)
                            .modelAttribute("problem", problem)
                            .build();
                }));
    }

    private static Rendering confirmation(PlatformView p, Action a, TokenEncoding encoding, HttpStatus status,
            String versionsUrl, String problem) {
        return Rendering.view("console/platform-confirm").status(status)
                .modelAttribute("page", NavItem.PLATFORMS)
                .modelAttribute("platform", p)
                .modelAttribute("question", a.question.formatted(p.name(), encoding))
                .modelAttribute("button", a.button)
                .modelAttribute("actionName", a.path)
                .modelAttribute("action", PlatformsController.PATH + "/" + p.id() + "/" + a.path)
                .modelAttribute("register", a == Action.REGISTER)
                .modelAttribute("encoding", encoding == null ? "" : encoding.name())
                .modelAttribute("versionsUrl", versionsUrl)
                .modelAttribute("problem", problem)
                .build();
    }

    private static Rendering done(UUID id, String key) {
        return Rendering.redirectTo(PlatformsController.PATH + "/" + id + "?done=" + key).build();
    }

    private static Actor actor(Authentication auth) {
        return ConsoleUser.of(auth).actor();
    }

    private static TokenEncoding encoding(String value) {
        if (value == null) {
            return null;
        }
        try {
            return TokenEncoding.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
