package org.ocpihub.console.web;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ocpihub.broadcast.delivery.DeliveryFilter;
import org.ocpihub.broadcast.delivery.DeliveryOperations;
import org.ocpihub.console.security.ConsoleUser;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.util.UriComponentsBuilder;

import reactor.core.publisher.Mono;

/**
 * The deliveries page at {@code /admin/deliveries} (issue 9 item 6): broadcast deliveries that failed (or were
 * replayed), filtered by receiver, module, time window and status, paged, through {@link DeliveryOperations} only.
 * Per row: replay, or resend the object's current state; and a bulk replay of everything the filter matches. Each
 * is a GET confirmation page whose form POSTs (OPERATOR, enforced by the security chain for every POST), so they
 * work without JavaScript; the answer page says what the receiver answered. The filter is in the query
 * ({@code receiver}, {@code module}, {@code window}, {@code from}, {@code to}, {@code status}, {@code offset}), so a
 * filtered list can be linked; a value that cannot be read is named next to its field.
 */
@Controller
public class DeliveriesController {

    static final String PATH = "/admin/deliveries";
    /** Rows per page. */
    static final int PAGE = 25;

    /** The time windows the filter offers, by the value the query carries. */
    static final Map<String, Duration> WINDOWS;

    static {
        Map<String, Duration> w = new LinkedHashMap<>();
        w.put("15m", Duration.ofMinutes(15));
        w.put("1h", Duration.ofHours(1));
        w.put("24h", Duration.ofHours(24));
        w.put("7d", Duration.ofDays(7));
        WINDOWS = java.util.Collections.unmodifiableMap(w);
    }

    /** How the filter names each window. */
    static final Map<String, String> WINDOW_LABELS = Map.of("15m", "the last 15 minutes", "1h", "the last hour",
            "24h", "the last 24 hours", "7d", "the last 7 days");

    /** The filter as the operator wrote it (query parameters, or the hidden fields of a POST form). */
    public record FilterForm(String receiver, String module, String window, String from, String to, String status,
                             String offset) {

        /** The query string of this filter (without the offset), for links that keep it. */
        String query(Integer newOffset) {
            UriComponentsBuilder b = UriComponentsBuilder.newInstance();
            put(b, "receiver", receiver);
            put(b, "module", module);
            put(b, "window", window);
            put(b, "from", from);
            put(b, "to", to);
            put(b, "status", status);
            if (newOffset != null && newOffset > 0) {
                b.queryParam("offset", newOffset);
            }
            String q = b.encode().build().getQuery();
            return q == null ? "" : q;
        }

        private static void put(UriComponentsBuilder b, String name, String value) {
            if (value != null && !value.isBlank()) {
                b.queryParam(name, value.trim());
            }
        }
    }

    /** What the deliveries page can choose a receiver from: id and "name (CC/PID…)". */
    public record Receiver(String id, String label) {
    }

    private final DeliveryOperations deliveries;
    private final PlatformRegistry registry;

    public DeliveriesController(DeliveryOperations deliveries, PlatformRegistry registry) {
        this.deliveries = deliveries;
        this.registry = registry;
    }

    @GetMapping(PATH)
    public Mono<Rendering> list(@RequestParam(required = false) String receiver,
                                @RequestParam(required = false) String module,
                                @RequestParam(required = false) String window,
                                @RequestParam(required = false) String from,
                                @RequestParam(required = false) String to,
                                @RequestParam(required = false) String status,
                                @RequestParam(required = false) String offset) {
        FilterForm form = new FilterForm(receiver, module, window, from, to, status, offset);
        DeliveryFilter filter;
        try {
            filter = filter(form, status, offset, PAGE);
        } catch (AdminApiException e) {
            return Mono.just(page(form, null, e.getMessage(), e.httpStatus()));
        }
        return deliveries.list(filter).map(page -> {
            Rendering.Builder<?> b = base("console/deliveries", form).modelAttribute("result", page)
                    .modelAttribute("problem", "").modelAttribute("errors", Map.of())
                    .modelAttribute("failedView", DeliveryFilter.FAILED.equals(filter.status()))
                    .modelAttribute("from", page.offset() + 1)
                    .modelAttribute("until", page.offset() + page.items().size());
            if (page.offset() > 0) {
                b.modelAttribute("previous", PATH + "?" + form.query(Math.max(0, page.offset() - PAGE)));
            }
            if (page.offset() + page.items().size() < page.total()) {
                b.modelAttribute("next", PATH + "?" + form.query(page.offset() + PAGE));
            }
            return b.build();
        });
    }

    /** Confirmation of one replay or resend: {@code change} is {@code replay} or {@code resend}. */
    @GetMapping(PATH + "/{id}/confirm")
    public Mono<Rendering> confirm(@PathVariable String id, @RequestParam(required = false) String change) {
        boolean resend = "resend".equals(change);
        if (!resend && !"replay".equals(change)) {
            return Mono.just(page(new FilterForm(null, null, null, null, null, null, null), null,
                    "choose Replay or Resend current state on a delivery's row", HttpStatus.BAD_REQUEST));
        }
        return Mono.just(Rendering.view("console/delivery-confirm").modelAttribute("page", NavItem.DELIVERIES)
                .modelAttribute("question", resend
                        ? "Send the receiver the current state of this object from the hub's store, as a PUT, now?"
                        : "Send the recorded request of this delivery to its receiver again, once, now?")
                .modelAttribute("id", id)
                .modelAttribute("action", PATH + "/" + id + (resend ? "/resend-current" : "/replay"))
                .modelAttribute("button", resend ? "Resend current state" : "Replay")
                .modelAttribute("bulk", false).build());
    }

    @PostMapping(PATH + "/{id}/replay")
    public Mono<Rendering> replay(Authentication auth, @PathVariable String id) {
        return done(deliveries.replay(actor(auth), id), "Replay");
    }

    @PostMapping(PATH + "/{id}/resend-current")
    public Mono<Rendering> resendCurrent(Authentication auth, @PathVariable String id) {
        return done(deliveries.resendCurrent(actor(auth), id), "Resend of the current state");
    }

    /** Confirmation of a bulk replay: says how many failed deliveries the filter matches now. */
    @GetMapping(PATH + "/replay-all/confirm")
    public Mono<Rendering> confirmAll(@RequestParam(required = false) String receiver,
                                      @RequestParam(required = false) String module,
                                      @RequestParam(required = false) String window,
                                      @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to) {
        FilterForm asked = new FilterForm(receiver, module, window, from, to, null, null);
        DeliveryFilter filter;
        try {
            filter = filter(asked, DeliveryFilter.FAILED, null, 1);
        } catch (AdminApiException e) {
            return Mono.just(page(asked, null, e.getMessage(), e.httpStatus()));
        }
        // the window is turned into its start now, so the replay covers what this page counted
        FilterForm fixed = new FilterForm(receiver, module, null,
                filter.from() == null ? null : OcpiDateTime.format(filter.from()),
                filter.to() == null ? null : OcpiDateTime.format(filter.to()), null, null);
        return deliveries.list(filter).map(page -> {
            long n = Math.min(page.total(), DeliveryOperations.MAX_BULK);
            String question = page.total() == 0 ? "No failed delivery matches this filter: there is nothing to replay."
                    : (page.total() > DeliveryOperations.MAX_BULK
                            ? page.total() + " failed deliveries match; the oldest " + n + " will be replayed"
                            : n + (n == 1 ? " failed delivery" : " failed deliveries") + " will be replayed")
                            + ", oldest first, each once, now.";
            return Rendering.view("console/delivery-confirm").modelAttribute("page", NavItem.DELIVERIES)
                    .modelAttribute("question", question).modelAttribute("count", n)
                    .modelAttribute("filter", fixed).modelAttribute("describe", describe(filter))
                    .modelAttribute("action", PATH + "/replay-all")
                    .modelAttribute("button", "Replay " + n)
                    .modelAttribute("bulk", true).modelAttribute("id", "").build();
        });
    }

    @PostMapping(PATH + "/replay-all")
    public Mono<Rendering> replayAll(Authentication auth, @ModelAttribute FilterForm form) {
        DeliveryFilter filter;
        try {
            filter = filter(form, DeliveryFilter.FAILED, null, 1);
        } catch (AdminApiException e) {
            return Mono.just(page(form, null, e.getMessage(), e.httpStatus()));
        }
        return deliveries.replayAll(actor(auth), filter)
                .map(r -> Rendering.view("console/delivery-result").modelAttribute("page", NavItem.DELIVERIES)
                        .modelAttribute("bulk", r).modelAttribute("view", false)
                        .modelAttribute("back", PATH + "?" + new FilterForm(form.receiver(), form.module(), null,
                                form.from(), form.to(), null, null).query(null)).build())
                .onErrorResume(AdminApiException.class, e -> Mono.just(page(form, null, e.getMessage(),
                        e.httpStatus())));
    }

    private Mono<Rendering> done(Mono<org.ocpihub.broadcast.delivery.DeliveryView> work, String what) {
        return work.map(v -> Rendering.view("console/delivery-result").modelAttribute("page", NavItem.DELIVERIES)
                        .modelAttribute("view", v).modelAttribute("what", what).modelAttribute("bulk", false)
                        .modelAttribute("back", PATH).build())
                .onErrorResume(AdminApiException.class, e -> Mono.just(page(
                        new FilterForm(null, null, null, null, null, null, null), null, what + " refused: "
                                + e.getMessage(), e.httpStatus())));
    }

    /**
     * The service's filter for what the operator wrote; a window (15m, 1h, 24h, 7d) stands for "from now minus it"
     * when no explicit {@code from} is given.
     *
     * @throws AdminApiException 400 naming the parameter
     */
    static DeliveryFilter filter(FilterForm form, String status, String offset, int limit) {
        String from = form.from();
        if ((from == null || from.isBlank()) && form.window() != null && !form.window().isBlank()) {
            Duration window = WINDOWS.get(form.window().trim());
            if (window == null) {
                throw new AdminApiException(HttpStatus.BAD_REQUEST, "query parameter window must be one of "
                        + String.join(", ", WINDOWS.keySet()) + " (or leave it empty for any time)");
            }
            from = OcpiDateTime.format(OcpiDateTime.now().minus(window));
        }
        return DeliveryFilter.parse(form.receiver(), form.module(), from, form.to(), status, offset,
                String.valueOf(limit));
    }

    private Rendering page(FilterForm form, Object result, String problem, HttpStatus status) {
        return base("console/deliveries", form).status(status).modelAttribute("result", result)
                .modelAttribute("problem", problem == null ? "" : problem)
                .modelAttribute("errors", FieldProblems.of(problem, i -> i))
                .modelAttribute("failedView", true)
                .build();
    }

    private Rendering.Builder<?> base(String view, FilterForm form) {
        return Rendering.view(view).modelAttribute("page", NavItem.DELIVERIES).modelAttribute("filter", form)
                .modelAttribute("times", Times.INSTANCE)
                .modelAttribute("receivers", receivers())
                .modelAttribute("modules", java.util.Arrays.stream(ModuleId.values()).filter(ModuleId::isFunctional)
                        .map(ModuleId::id).sorted().toList())
                .modelAttribute("windows", WINDOW_LABELS).modelAttribute("windowKeys", WINDOWS.keySet())
                .modelAttribute("names", names());
    }

    /** Platform id → name, from this instance's registry snapshot (a deleted platform has none). */
    private Map<java.util.UUID, String> names() {
        Map<java.util.UUID, String> out = new java.util.HashMap<>();
        registry.snapshot().platforms().forEach(e -> out.put(e.platform().id(), e.platform().name()));
        return out;
    }

    /** Every platform in the registry (this instance's snapshot, no database call), by name. */
    private List<Receiver> receivers() {
        return registry.snapshot().platforms().stream()
                .map(e -> new Receiver(e.platform().id().toString(), e.platform().name() + " ("
                        + e.platform().roles().stream().map(r -> r.partyRole().party().toString()).distinct()
                        .reduce((a, b) -> a + ", " + b).orElse("no roles") + ")"))
                .sorted(Comparator.comparing(Receiver::label, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    /** The filter in words, e.g. "to Acme · module locations · from 2026-12-01T05:00:00Z", or "everything". */
    private String describe(DeliveryFilter f) {
        StringBuilder out = new StringBuilder();
        if (f.receiverPlatformId() != null) {
            out.append(" to ").append(registry.snapshot().platform(f.receiverPlatformId())
                    .map(e -> e.platform().name()).orElse(f.receiverPlatformId().toString()));
        }
        if (f.module() != null) {
            out.append(" module ").append(f.module().id());
        }
        if (f.from() != null) {
            out.append(" from ").append(OcpiDateTime.format(f.from()));
        }
        if (f.to() != null) {
            out.append(" until ").append(OcpiDateTime.format(f.to()));
        }
        return out.isEmpty() ? "every receiver, module and time" : out.toString().trim();
    }

    private static Actor actor(Authentication auth) {
        return ConsoleUser.of(auth).actor();
    }
}
