package org.ocpihub.registry.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
    /** Each platform's status in the latest snapshot, read by the gauges when scraped. */
    private volatile Map<UUID, ConnectionStatus> statuses = Map.of();
    /** The platforms (and names) whose series are registered. */
    private Map<UUID, String> registeredNames;
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

    /**
     * Follows {@code snapshot}: each series reads its platform's status from the latest snapshot when scraped, and
     * the series are registered again only when platforms came, went or were renamed (with 1 000 members,
     * re-registering 4 000 gauges on every refresh, i.e. on every registration, cost each one an O(P) pass over the
     * meter registry; concurrent refreshes also raced in it).
     */
    synchronized void update(RegistrySnapshot snapshot) {
        Map<UUID, ConnectionStatus> statuses = new HashMap<>();
        Map<UUID, String> names = new HashMap<>();
        for (RegistrySnapshot.Entry entry : snapshot.platforms()) {
            statuses.put(entry.platform().id(), entry.platform().status());
            names.put(entry.platform().id(), entry.platform().name());
        }
        this.statuses = statuses;
        if (names.equals(registeredNames)) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        names.forEach((id, name) -> {
            for (ConnectionStatus status : ConnectionStatus.values()) {
                rows.add(MultiGauge.Row.of(Tags.of("platform", name, "platform_id", id.toString(), "status",
                        status.name()), () -> this.statuses.get(id) == status ? 1 : 0));
            }
        });
        gauge.register(rows, true);
        registeredNames = names;
    }
}
