package org.ocpihub.console.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ocpihub.broadcast.delivery.DeliveryFilter;
import org.ocpihub.broadcast.delivery.DeliveryOperations;
import org.ocpihub.broadcast.fanout.ReceiverLanes;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.messagelog.MessageLogQueries;
import org.ocpihub.registry.messagelog.PlatformTraffic;
import org.ocpihub.registry.messagelog.ReceiverLag;
import org.ocpihub.registry.operator.PlatformOperations;
import org.ocpihub.registry.operator.PlatformView;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * The overview at {@code /admin} (issue 9 item 2). Its live part ({@value #LIVE}, the fragment {@code live} of
 * {@code overview.html}) is polled by htmx every 5 s; without JavaScript the page's "Refresh" link reloads it. It
 * shows:
 * <ul>
 *   <li>member platforms by status, from the database ({@link PlatformOperations#list}), each linking to the
 *   Platforms table filtered by it;</li>
 *   <li>traffic of the last {@link #WINDOW} per member platform and direction ({@link MessageLogQueries#traffic}:
 *   every instance's requests);</li>
 *   <li>broadcast fan-out per receiving platform: deliveries waiting in its lane on this instance
 *   ({@link ReceiverLanes#waiting()}) and the p95 acceptance-to-delivery lag over the window
 *   ({@link MessageLogQueries#receiverLag});</li>
 *   <li>failed deliveries waiting for an operator ({@link DeliveryOperations#list}, the total), linking to the
 *   Deliveries page;</li>
 *   <li>circuit breakers not CLOSED on this instance ({@link CircuitBreakerWatch}).</li>
 * </ul>
 */
@Controller
public class OverviewController {

    /** The fragment htmx polls. */
    public static final String LIVE = "/admin/overview/live";
    /** How far back traffic and lag look. */
    public static final Duration WINDOW = Duration.ofMinutes(15);

    /** The statuses in the order of a platform's life. */
    static final List<ConnectionStatus> STATUSES = List.of(ConnectionStatus.PLANNED, ConnectionStatus.CONNECTED,
            ConnectionStatus.OFFLINE, ConnectionStatus.SUSPENDED);

    /**
     * One receiving platform's fan-out.
     *
     * @param platformId  the receiver
     * @param name        its name
     * @param waiting     deliveries waiting in its lane on this instance
     * @param lag         its deliveries in the window (null when none ended in the window)
     */
    public record FanOut(UUID platformId, String name, int waiting, ReceiverLag lag) {
    }

    /** A breaker with the name of the platform it guards. */
    public record OpenBreaker(String platformId, String platformName, String state, java.time.Instant since) {
    }

    private final PlatformOperations platforms;
    private final MessageLogQueries messageLog;
    private final DeliveryOperations deliveries;
    private final ReceiverLanes lanes;
    private final CircuitBreakerWatch breakers;

    public OverviewController(PlatformOperations platforms, MessageLogQueries messageLog,
            DeliveryOperations deliveries, ReceiverLanes lanes, CircuitBreakerWatch breakers) {
        this.platforms = platforms;
        this.messageLog = messageLog;
        this.deliveries = deliveries;
        this.lanes = lanes;
        this.breakers = breakers;
    }

    @GetMapping("/admin")
    public Mono<Rendering> overview() {
        return live("console/overview");
    }

    /** The live part alone, for htmx's polling. */
    @GetMapping(LIVE)
    public Mono<Rendering> fragment() {
        return live("console/overview :: live");
    }

    private Mono<Rendering> live(String view) {
        Mono<List<PlatformView>> all = platforms.list();
        Mono<List<PlatformTraffic>> traffic = messageLog.traffic(WINDOW);
        Mono<List<ReceiverLag>> lag = messageLog.receiverLag(WINDOW);
        Mono<Long> failed = deliveries.list(DeliveryFilter.failed().page(0, 1)).map(page -> page.total());
        return Mono.zip(all, traffic, lag, failed).map(t -> {
            List<PlatformView> list = t.getT1();
            Map<ConnectionStatus, Long> byStatus = new LinkedHashMap<>();
            STATUSES.forEach(s -> byStatus.put(s, 0L));
            Map<UUID, String> names = new HashMap<>();
            for (PlatformView p : list) {
                byStatus.merge(p.status(), 1L, Long::sum);
                names.put(p.id(), p.name());
            }
            return Rendering.view(view)
                    .modelAttribute("page", NavItem.OVERVIEW)
                    .modelAttribute("fmt", ConsoleFormat.INSTANCE)
                    .modelAttribute("byStatus", byStatus)
                    .modelAttribute("total", list.size())
                    .modelAttribute("traffic", t.getT2())
                    .modelAttribute("fanOut", fanOut(t.getT3(), lanes.waiting(), names))
                    .modelAttribute("failedDeliveries", t.getT4())
                    .modelAttribute("breakers", breakers.notClosed().stream()
                            .map(b -> new OpenBreaker(b.name(), nameOf(b.name(), names), b.state(), b.since()))
                            .toList())
                    .modelAttribute("windowMinutes", WINDOW.toMinutes())
                    .build();
        });
    }

    /** The receivers with deliveries in the window or waiting now, the most waiting first, then the slowest. */
    static List<FanOut> fanOut(List<ReceiverLag> lags, Map<UUID, Integer> waiting, Map<UUID, String> names) {
        Map<UUID, FanOut> rows = new LinkedHashMap<>();
        for (ReceiverLag l : lags) {
            rows.put(l.platformId(), new FanOut(l.platformId(), names.getOrDefault(l.platformId(), l.platformName()),
                    waiting.getOrDefault(l.platformId(), 0), l));
        }
        waiting.forEach((id, n) -> rows.putIfAbsent(id, new FanOut(id, names.getOrDefault(id, id.toString()), n,
                null)));
        List<FanOut> out = new ArrayList<>(rows.values());
        out.sort(Comparator.comparingInt(FanOut::waiting).reversed());
        return out;
    }

    private static String nameOf(String id, Map<UUID, String> names) {
        try {
            return names.getOrDefault(UUID.fromString(id), id);
        } catch (IllegalArgumentException e) {
            return id;
        }
    }
}
