package org.ocpihub.registry.admin;

import java.util.List;

import org.ocpihub.registry.audit.AuditEntry;
import org.ocpihub.registry.audit.AuditLog;
import org.ocpihub.registry.audit.AuditQuery;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.AdminQuery;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** The audit log of operator actions over the JSON admin API, newest first: a thin wrapper of {@link AuditLog}. */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/audit")
public class AuditController {

    private final AuditLog audit;

    public AuditController(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * @param platform only entries about this platform id (a UUID)
     * @param actor    only entries by this actor name
     * @param action   only actions starting with this ({@code platform.}, {@code delivery.replay}...)
     * @param from     only entries at or after this time (RFC 3339, e.g. {@code 2026-12-01T05:00:00Z})
     * @param to       only entries before this time
     * @param limit    at most this many (default 100; above 500 the list is cut at 500)
     * @return the entries; a parameter that cannot be read is 400 naming it
     */
    @GetMapping
    public Mono<List<AuditEntry>> list(@RequestParam(required = false) String platform,
                                       @RequestParam(required = false) String actor,
                                       @RequestParam(required = false) String action,
                                       @RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to,
                                       @RequestParam(defaultValue = "100") String limit) {
        AuditQuery query;
        try {
            query = new AuditQuery(AdminQuery.uuid("platform", platform), blankToNull(actor), blankToNull(action),
                    AdminQuery.time("from", from), AdminQuery.time("to", to), AdminQuery.limit("limit", limit, AuditQuery.MAX_LIMIT));
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return audit.recent(query);
    }

    private static String blankToNull(String raw) {
        return raw == null || raw.isBlank() ? null : raw.trim();
    }
}
