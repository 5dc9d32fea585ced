package org.ocpihub.registry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.RegistrySnapshot;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** One series per platform and Hub Client Info status, 1 for the current one; a deleted platform leaves none. */
class PlatformStatusMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PlatformStatusMetrics metrics = new PlatformStatusMetrics(meters, null);

    @Test
    void followsTheRegistrySnapshot() {
        Platform offline = platform("Charge Co", ConnectionStatus.OFFLINE);
        Platform connected = platform("Drive Co", ConnectionStatus.CONNECTED);

        metrics.update(snapshot(offline, connected));

        assertThat(value(offline, "OFFLINE")).isEqualTo(1);
        assertThat(value(offline, "CONNECTED")).isZero();
        assertThat(value(offline, "PLANNED")).isZero();
        assertThat(value(offline, "SUSPENDED")).isZero();
        assertThat(value(connected, "CONNECTED")).isEqualTo(1);
        assertThat(meters.find("ocpihub.platform.status").gauges()).hasSize(8);

        // a status change alone: the same series, the new value
        Platform backOnline = new Platform(offline.id(), offline.name(), ConnectionStatus.CONNECTED, true,
                offline.versionsUrl(), "2.2.1", TokenEncoding.BASE64, List.of(), List.of(), Instant.EPOCH,
                Instant.EPOCH);
        metrics.update(snapshot(backOnline, connected));
        assertThat(value(offline, "OFFLINE")).isZero();
        assertThat(value(offline, "CONNECTED")).isEqualTo(1);
        assertThat(meters.find("ocpihub.platform.status").gauges()).hasSize(8);

        metrics.update(snapshot(connected));

        assertThat(meters.find("ocpihub.platform.status").tag("platform_id", offline.id().toString()).gauges())
                .isEmpty();
        assertThat(value(connected, "CONNECTED")).isEqualTo(1);
    }

    @Test
    void aPlatformComingLeavesTheOthersSeriesAloneAndARenameMovesThem() {
        Platform first = platform("Charge Co", ConnectionStatus.CONNECTED);
        metrics.update(snapshot(first));
        Gauge before = gauge(first, "CONNECTED");

        Platform newcomer = platform("New Co", ConnectionStatus.PLANNED);
        metrics.update(snapshot(first, newcomer));

        // the same series object: nothing was registered again for the platforms already there (issue 11)
        assertThat(gauge(first, "CONNECTED")).isSameAs(before);
        assertThat(value(newcomer, "PLANNED")).isEqualTo(1);
        assertThat(meters.find("ocpihub.platform.status").gauges()).hasSize(8);

        Platform renamed = new Platform(first.id(), "Charge Co Renamed", ConnectionStatus.CONNECTED, true,
                first.versionsUrl(), "2.2.1", TokenEncoding.BASE64, List.of(), List.of(), Instant.EPOCH,
                Instant.EPOCH);
        metrics.update(snapshot(renamed, newcomer));

        assertThat(meters.find("ocpihub.platform.status").tag("platform", "Charge Co").gauges()).isEmpty();
        assertThat(value(renamed, "CONNECTED")).isEqualTo(1);
        assertThat(meters.find("ocpihub.platform.status").gauges()).hasSize(8);
    }

    private Gauge gauge(Platform platform, String status) {
        return meters.get("ocpihub.platform.status").tag("platform", platform.name())
                .tag("platform_id", platform.id().toString()).tag("status", status).gauge();
    }

    private double value(Platform platform, String status) {
        return gauge(platform, status).value();
    }

    private static RegistrySnapshot snapshot(Platform... platforms) {
        return RegistrySnapshot.of(java.util.Arrays.stream(platforms)
                .map(p -> new RegistrySnapshot.Loaded(p, null, null, null)).toList());
    }

    private static Platform platform(String name, ConnectionStatus status) {
        return new Platform(UUID.randomUUID(), name, status, true, "https://x.example/versions", "2.2.1",
                TokenEncoding.BASE64, List.of(), List.of(), Instant.EPOCH, Instant.EPOCH);
    }
}
