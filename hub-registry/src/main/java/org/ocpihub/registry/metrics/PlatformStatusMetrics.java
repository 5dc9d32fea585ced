package org.ocpihub.registry.metrics;

import java.util.ArrayList;
import java.util.List;

import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistryChangeHook;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import reactor.core.publisher.Mono;

/**
 * {@code ocpihub.platform.status{platform, platform_id, status}}: per registered platform one gauge per Hub Client
 * Info status (HCI 15.5.1: CONNECTED, OFFLINE, PLANNED, SUSPENDED), 1 for its current status and 0 for the others.
 * Rebuilt from the registry snapshot after every refresh, so a deleted platform's series disappear and a renamed one
 * carries its new name. Every instance holds the same registry, so every instance exports the same values.
 */
@Component
public class PlatformStatusMetrics implements RegistryChangeHook {

    private final MultiGauge gauge;
    private final ObjectProvider<PlatformRegistry> registry;

    /** @param registry the platform registry (a provider: the registry itself calls this hook) */
    public PlatformStatusMetrics(MeterRegistry meters, ObjectProvider<PlatformRegistry> registry) {
        this.registry = registry;
        this.gauge = MultiGauge.builder("ocpihub.platform.status")
                .description("Hub Client Info status of each registered platform: 1 for its current status, else 0")
                .register(meters);
    }

    @Override
    public Mono<Void> afterRefresh() {
        return Mono.fromRunnable(() -> update(registry.getObject().snapshot()));
    }

    /** Replaces every series with those of {@code snapshot}. */
    void update(RegistrySnapshot snapshot) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (RegistrySnapshot.Entry entry : snapshot.platforms()) {
            var platform = entry.platform();
            for (ConnectionStatus status : ConnectionStatus.values()) {
                rows.add(MultiGauge.Row.of(Tags.of("platform", platform.name(),
                                "platform_id", platform.id().toString(), "status", status.name()),
                        status == platform.status() ? 1 : 0));
            }
        }
        gauge.register(rows, true);
    }
}
