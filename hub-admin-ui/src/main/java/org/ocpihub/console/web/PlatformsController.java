package org.ocpihub.console.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.messagelog.MessageLogQueries;
import org.ocpihub.registry.messagelog.PlatformTraffic;
import org.ocpihub.registry.operator.PlatformOperations;
import org.ocpihub.registry.operator.PlatformView;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.util.UriComponentsBuilder;

import reactor.core.publisher.Mono;

/**
 * The Platforms table at {@value #PATH} (issue 9 item 3): name, roles ({@code CPO NL/ABC}), status, OCPI version,
 * last seen, requests per minute and errors over the last {@link OverviewController#WINDOW} (sent by the platform ·
 * forwarded to it, from {@link MessageLogQueries#traffic}). Filter by {@code status} and {@code role}, search
 * {@code q} by name or party ({@code NL/ABC}, {@code NLABC}, {@code ABC}), paged by {@code page} (from 1) and
 * {@code size} ({@value #DEFAULT_SIZE}, at most {@value #MAX_SIZE}): all query parameters, so links and bookmarks
 * keep the view. The filter form works without JavaScript (a GET); htmx swaps only the table as the operator types.
 * The platforms are filtered in memory: {@link PlatformOperations#list} reads them all (a hub has hundreds, not
 * millions).
 */
@Controller
public class PlatformsController {

    public static final String PATH = "/admin/platforms";
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;

    /**
     * A row of the table.
     *
     * @param platform the platform
     * @param roles    its roles as {@code CPO NL/ABC}
     * @param sent     its traffic as sender in the window, or null
     * @param received the traffic the hub forwarded to it in the window, or null
     */
    public record Row(PlatformView platform, List<String> roles, PlatformTraffic sent, PlatformTraffic received) {

        /** Requests per minute it sent. */
        public double sentPerMinute() {
            return sent == null ? 0 : sent.requestsPerSecond() * 60;
        }

        /** Requests per minute the hub forwarded to it. */
        public double receivedPerMinute() {
            return received == null ? 0 : received.requestsPerSecond() * 60;
        }

        public long sentErrors() {
            return sent == null ? 0 : sent.errors();
        }

        public long receivedErrors() {
            return received == null ? 0 : received.errors();
        }
    }

    /** A page link: its number and URL. */
    public record PageLink(int number, String url, boolean current) {
    }

    /** What a change on a platform's page left to say when it leads here (by key: no operator input in a URL). */
    private static final Map<String, String> DONE = Map.of("deleted", "The platform is deleted.");

    private final PlatformOperations platforms;
    private final MessageLogQueries messageLog;

    public PlatformsController(PlatformOperations platforms, MessageLogQueries messageLog) {
        this.platforms = platforms;
        this.messageLog = messageLog;
    }

    @GetMapping(PATH)
    public Mono<Rendering> table(@RequestParam(required = false) String status,
            @RequestParam(required = false) String role, @RequestParam(required = false) String q,
            @RequestParam(required = false) String page, @RequestParam(required = false) String size,
            @RequestParam(required = false) String done) {
        Optional<ConnectionStatus> wantedStatus = parse(ConnectionStatus.class, status);
        Optional<Role> wantedRole = parse(Role.class, role);
        List<String> problems = new ArrayList<>();
        if (!blank(status) && wantedStatus.isEmpty()) {
            problems.add("status must be one of PLANNED, CONNECTED, OFFLINE, SUSPENDED: showing every status");
        }
        if (!blank(role) && wantedRole.isEmpty()) {
            problems.add("role must be one of CPO, EMSP, HUB, NAP, NSP, OTHER, SCSP: showing every role");
        }
        int pageSize = Math.max(1, Math.min(MAX_SIZE, number(size, DEFAULT_SIZE)));
        String search = q == null ? "" : q.strip();
        return Mono.zip(platforms.list(), messageLog.traffic(OverviewController.WINDOW)).map(t -> {
            List<Row> rows = rows(t.getT1(), t.getT2()).stream()
                    .filter(r -> wantedStatus.map(s -> r.platform().status() == s).orElse(true))
                    .filter(r -> wantedRole.map(w -> r.platform().roles().stream().anyMatch(x -> x.role() == w))
                            .orElse(true))
                    .filter(r -> matches(r.platform(), search))
                    .toList();
            int pages = Math.max(1, (rows.size() + pageSize - 1) / pageSize);
            int current = Math.max(1, Math.min(pages, number(page, 1)));
            List<Row> shown = rows.subList((current - 1) * pageSize, Math.min(rows.size(), current * pageSize));
            List<PageLink> links = new ArrayList<>();
            for (int i = 1; i <= pages; i++) {
                links.add(new PageLink(i, url(wantedStatus, wantedRole, search, i, pageSize), i == current));
            }
            return Rendering.view("console/platforms")
                    .status(HttpStatus.OK)
                    .modelAttribute("page", NavItem.PLATFORMS)
                    .modelAttribute("fmt", ConsoleFormat.INSTANCE)
                    .modelAttribute("rows", shown)
                    .modelAttribute("matching", rows.size())
                    .modelAttribute("total", t.getT1().size())
                    .modelAttribute("pageNumber", current)
                    .modelAttribute("pages", pages)
                    .modelAttribute("pageLinks", links)
                    .modelAttribute("previous", current > 1
                            ? url(wantedStatus, wantedRole, search, current - 1, pageSize) : "")
                    .modelAttribute("next", current < pages
                            ? url(wantedStatus, wantedRole, search, current + 1, pageSize) : "")
                    .modelAttribute("statuses", OverviewController.STATUSES)
                    .modelAttribute("roles", Role.values())
                    .modelAttribute("status", wantedStatus.map(Enum::name).orElse(""))
                    .modelAttribute("role", wantedRole.map(Enum::name).orElse(""))
                    .modelAttribute("q", search)
                    .modelAttribute("size", pageSize)
                    .modelAttribute("windowMinutes", OverviewController.WINDOW.toMinutes())
                    .modelAttribute("notice", done == null ? "" : DONE.getOrDefault(done, ""))
                    .modelAttribute("problem", String.join("; ", problems))
                    .build();
        });
    }

    /** The platforms by name, each with its traffic. */
    static List<Row> rows(List<PlatformView> platforms, List<PlatformTraffic> traffic) {
        Map<UUID, PlatformTraffic> sent = new HashMap<>();
        Map<UUID, PlatformTraffic> received = new HashMap<>();
        for (PlatformTraffic t : traffic) {
            (t.direction() == PlatformTraffic.Direction.SENT ? sent : received).put(t.platformId(), t);
        }
        return platforms.stream()
                .sorted(Comparator.comparing((PlatformView p) -> p.name().toLowerCase(Locale.ROOT))
                        .thenComparing(PlatformView::id))
                .map(p -> new Row(p, roles(p), sent.get(p.id()), received.get(p.id())))
                .toList();
    }

    /** {@code CPO NL/ABC} for each granted role. */
    static List<String> roles(PlatformView p) {
        return p.roles().stream().map(r -> r.role() + " " + r.countryCode() + "/" + r.partyId()).toList();
    }

    /**
     * True when {@code q} is empty, is part of the platform's name (any case), or names one of its parties:
     * {@code NL/ABC}, {@code NL ABC}, {@code NLABC} or part of it ({@code ABC}).
     */
    static boolean matches(PlatformView p, String q) {
        if (q.isEmpty()) {
            return true;
        }
        if (p.name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT))) {
            return true;
        }
        String party = q.toUpperCase(Locale.ROOT).replaceAll("[\\s/*\\-]", "");
        return !party.isEmpty() && p.roles().stream()
                .anyMatch(r -> (r.countryCode() + r.partyId()).toUpperCase(Locale.ROOT).contains(party));
    }

    private static String url(Optional<ConnectionStatus> status, Optional<Role> role, String q, int page, int size) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath(PATH);
        status.ifPresent(s -> b.queryParam("status", s.name()));
        role.ifPresent(r -> b.queryParam("role", r.name()));
        if (!q.isEmpty()) {
            b.queryParam("q", q);
        }
        if (size != DEFAULT_SIZE) {
            b.queryParam("size", size);
        }
        b.queryParam("page", page);
        return b.encode().build().toUriString();
    }

    private static <E extends Enum<E>> Optional<E> parse(Class<E> type, String value) {
        if (blank(value)) {
            return Optional.empty();
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static int number(String value, int otherwise) {
        if (blank(value) || value.strip().length() > 6 || !value.strip().chars().allMatch(Character::isDigit)) {
            return otherwise;
        }
        return Integer.parseInt(value.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The link to the table filtered by one status (the overview's tiles). */
    public static String byStatus(ConnectionStatus status) {
        return UriComponentsBuilder.fromPath(PATH).queryParam("status", status.name()).build().toUriString();
    }
}
