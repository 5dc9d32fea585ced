package org.ocpihub.console.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.registry.audit.AuditEntry;
import org.ocpihub.registry.audit.AuditLog;
import org.ocpihub.registry.audit.AuditQuery;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.AdminQuery;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.util.UriComponentsBuilder;

import reactor.core.publisher.Mono;

/**
 * The audit page at {@code /admin/audit} (issue 9 item 8), readable by every role: operator actions from the
 * {@link AuditLog} (who, the way in, what, when, which platform, outcome, detail), newest first, filtered by
 * {@code platform} (id), {@code actor} (exact name) and {@code action} (a prefix such as {@code platform.} or
 * {@code delivery.replay}). Paged by time: "Older" asks for the entries before the oldest one shown
 * ({@code before}), so a page never shifts while new actions are recorded.
 */
@Controller
public class AuditPageController {

    static final String PATH = "/admin/audit";
    /** Entries per page. */
    static final int PAGE = 50;
    /** The action prefixes offered as suggestions (the field takes any prefix). */
    static final List<String> ACTIONS = List.of("platform.", "platform.create", "platform.register",
            "platform.suspend", "platform.reactivate", "platform.delete", "platform.token-a", "delivery.",
            "delivery.replay", "delivery.resend-current", "delivery.replay-all", "account.", "console.");

    /** A platform the filter can choose: id and name. */
    public record PlatformChoice(String id, String name) {
    }

    private final AuditLog audit;
    private final PlatformRegistry registry;

    public AuditPageController(AuditLog audit, PlatformRegistry registry) {
        this.audit = audit;
        this.registry = registry;
    }

    @GetMapping(PATH)
    public Mono<Rendering> list(@RequestParam(required = false) String platform,
                                @RequestParam(required = false) String actor,
                                @RequestParam(required = false) String action,
                                @RequestParam(required = false) String before) {
        String p = trim(platform);
        String who = trim(actor);
        String what = trim(action);
        UUID platformId;
        java.time.Instant until;
        try {
            platformId = AdminQuery.uuid("platform", p);
            until = AdminQuery.time("before", before);
        } catch (AdminApiException e) {
            return Mono.just(page(p, who, what, HttpStatus.BAD_REQUEST)
                    .modelAttribute("problem", e.getMessage())
                    .modelAttribute("errors", FieldProblems.of(e.getMessage(), i -> i)).build());
        }
        AuditQuery query = new AuditQuery(platformId, who.isEmpty() ? null : who, what.isEmpty() ? null : what,
                null, until, PAGE + 1);
        return audit.recent(query).map(entries -> {
            boolean more = entries.size() > PAGE;
            List<AuditEntry> shown = more ? entries.subList(0, PAGE) : entries;
            Rendering.Builder<?> b = page(p, who, what, HttpStatus.OK).modelAttribute("entries", shown)
                    .modelAttribute("paged", until != null);
            if (more) {
                b.modelAttribute("older", PATH + "?" + query(p, who, what,
                        OcpiDateTime.format(shown.get(shown.size() - 1).at())));
            }
            if (until != null) {
                b.modelAttribute("newest", PATH + "?" + query(p, who, what, null));
            }
            return b.build();
        });
    }

    private Rendering.Builder<?> page(String platform, String actor, String action, HttpStatus status) {
        List<PlatformChoice> platforms = registry.snapshot().platforms().stream()
                .map(e -> new PlatformChoice(e.platform().id().toString(), e.platform().name()))
                .sorted(Comparator.comparing(PlatformChoice::name, String.CASE_INSENSITIVE_ORDER)).toList();
        return Rendering.view("console/audit").status(status).modelAttribute("page", NavItem.AUDIT)
                .modelAttribute("platforms", platforms).modelAttribute("actions", ACTIONS)
                .modelAttribute("filter", Map.of("platform", platform, "actor", actor, "action", action))
                .modelAttribute("times", Times.INSTANCE).modelAttribute("entries", List.of())
                .modelAttribute("problem", "").modelAttribute("errors", Map.of()).modelAttribute("paged", false);
    }

    private static String query(String platform, String actor, String action, String before) {
        UriComponentsBuilder b = UriComponentsBuilder.newInstance();
        if (!platform.isEmpty()) {
            b.queryParam("platform", platform);
        }
        if (!actor.isEmpty()) {
            b.queryParam("actor", actor);
        }
        if (!action.isEmpty()) {
            b.queryParam("action", action);
        }
        if (before != null) {
            b.queryParam("before", before);
        }
        String q = b.encode().build().getQuery();
        return q == null ? "" : q;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
