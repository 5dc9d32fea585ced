package org.ocpihub.app.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric contract of docs/metrics.md as Prometheus sees it: each series dashboards and alerts may use, with the
 * labels it must carry. Not here: {@code ocpihub_dependency_up} (the health module's) and JVM series that appear only
 * after an event (a GC pause).
 */
final class MetricContract {

    private static final Set<String> ROUTING = Set.of("platform", "platform_id", "module", "interface", "case",
            "outcome");
    private static final Set<String> UPSTREAM = Set.of("receiver", "receiver_id", "module", "result");
    private static final Set<String> RECEIVER = Set.of("receiver", "receiver_id");

    /** Series name to the labels it must carry. */
    static final Map<String, Set<String>> SERIES = Map.ofEntries(
            Map.entry("ocpihub_routing_requests_seconds_count", ROUTING),
            Map.entry("ocpihub_routing_requests_seconds_sum", ROUTING),
            Map.entry("ocpihub_routing_requests_seconds_bucket", with(ROUTING, "le")),
            Map.entry("ocpihub_routing_upstream_seconds_count", UPSTREAM),
            Map.entry("ocpihub_routing_upstream_seconds_sum", UPSTREAM),
            Map.entry("ocpihub_routing_upstream_seconds_bucket", with(UPSTREAM, "le")),
            Map.entry("ocpihub_routing_owner_index_objects", Set.of()),
            Map.entry("ocpihub_routing_fanout_total", Set.of("module", "outcome")),
            Map.entry("ocpihub_routing_fanout_asked_total", Set.of("module")),
            Map.entry("ocpihub_broadcast_accepted_total", Set.of("module", "platform", "platform_id")),
            Map.entry("ocpihub_broadcast_deliveries_total", Set.of("module", "outcome", "receiver", "receiver_id")),
            Map.entry("ocpihub_broadcast_fanout_lag_seconds", Set.of("module", "quantile")),
            Map.entry("ocpihub_broadcast_fanout_lag_seconds_count", Set.of("module")),
            Map.entry("ocpihub_broadcast_fanout_lag_seconds_sum", Set.of("module")),
            Map.entry("ocpihub_broadcast_fanout_lag_seconds_max", Set.of("module")),
            Map.entry("ocpihub_broadcast_delivery_latency_seconds", Set.of("module", "quantile")),
            Map.entry("ocpihub_broadcast_backlog", RECEIVER),
            Map.entry("ocpihub_broadcast_failed_deliveries", RECEIVER),
            Map.entry("ocpihub_platform_status", Set.of("platform", "platform_id", "status")),
            Map.entry("ocpihub_registry_loads_total", Set.of()),
            Map.entry("resilience4j_circuitbreaker_state", Set.of("name", "state")),
            Map.entry("ocpihub_dependency_up", Set.of("dependency")),
            Map.entry("kafka_consumer_fetch_manager_records_lag_max", Set.of("client_id")),
            Map.entry("kafka_consumer_fetch_manager_records_lag", Set.of("client_id", "topic", "partition")),
            Map.entry("jvm_memory_used_bytes", Set.of("area", "id")),
            Map.entry("jvm_memory_max_bytes", Set.of("area", "id")),
            Map.entry("jvm_threads_live_threads", Set.of()),
            Map.entry("process_cpu_usage", Set.of()));

    private MetricContract() {
    }

    /** What the scrape lacks: "series" or "series{label}", one per missing item. */
    static List<String> missing(PrometheusScrape scrape) {
        List<String> missing = new ArrayList<>();
        SERIES.forEach((name, labels) -> {
            if (!scrape.has(name)) {
                missing.add(name);
                return;
            }
            for (String label : labels) {
                if (!scrape.labels(name).contains(label)) {
                    missing.add(name + "{" + label + "}");
                }
            }
        });
        return missing;
    }

    private static Set<String> with(Set<String> labels, String more) {
        Set<String> all = new java.util.LinkedHashSet<>(labels);
        all.add(more);
        return Set.copyOf(all);
    }
}
