package org.ocpihub.registry.metrics;

import java.time.Duration;

/**
 * The histogram buckets of the hub's request timers ({@code ocpihub.routing.requests},
 * {@code ocpihub.routing.upstream}): fixed service-level objectives from 5 ms to 10 s, so Prometheus can compute
 * p50/p95/p99 with {@code histogram_quantile} across instances. Fixed buckets, not Micrometer's percentile histogram:
 * eleven series per label set instead of about seventy (see docs/metrics.md, cardinality).
 */
public final class LatencyBuckets {

    /** 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 and 10 seconds. */
    public static final Duration[] SLOS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** The label value for a platform (or its id) the hub has not identified. */
    public static final String UNKNOWN = "unknown";

    private LatencyBuckets() {
    }
}
