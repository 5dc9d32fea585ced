package org.ocpihub.registry.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
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

    private static final String NAME = "ocpihub.platform.status";
    private static final String DESCRIPTION =
            "Hub Client Info status of each registered platform: 1 for its current status, else 0";

    private final MeterRegistry meters;
    /** Each platform's status in the latest snapshot, read by the gauges when scraped. */
    private volatile Map<UUID, ConnectionStatus> statuses = Map.of();
    /** The platforms whose series are registered: under which name, and the series' ids (to remove them). */
    private final Map<UUID, Registered> registered = new HashMap<>();
    private final ObjectProvider<PlatformRegistry> registry;

    private record Registered(String name, List<Meter.Id> ids) {
    }

    /** @param registry the platform registry (a provider: the registry itself calls this hook) */
    public PlatformStatusMetrics(MeterRegistry meters, ObjectProvider<PlatformRegistry> registry) {
        this.meters = meters;
        this.registry = registry;
    }

    @Override
    public Mono<Void> afterRefresh() {
        return Mono.fromRunnable(() -> update(registry.getObject().snapshot()));
    }

    /**
     * Follows {@code snapshot}: each series reads its platform's status from the latest snapshot when scraped; series
     * are registered for platforms that came and removed for platforms that went or were renamed, and nothing else is
     * touched. (Re-registering every platform's series when one came cost each registration an O(P) pass over the
     * meter registry: with 1 000 members onboarding, 5 % of the hub's CPU; issue 11.)
     */
    synchronized void update(RegistrySnapshot snapshot) {
        Map<UUID, ConnectionStatus> statuses = new HashMap<>();
        Map<UUID, String> names = new HashMap<>();
        for (RegistrySnapshot.Entry entry : snapshot.platforms()) {
            statuses.put(entry.platform().id(), entry.platform().status());
            names.put(entry.platform().id(), entry.platform().name());
        }
        this.statuses = statuses;
        for (Iterator<Map.Entry<UUID, Registered>> it = registered.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<UUID, Registered> series = it.next();
            if (!series.getValue().name().equals(names.get(series.getKey()))) {
                series.getValue().ids().forEach(meters::remove);
                it.remove();
            }
        }
        names.forEach((id, name) -> registered.computeIfAbsent(id, key -> register(key, name)));
    }

    private Registered register(UUID id, String name) {
        List<Meter.Id> ids = new ArrayList<>();
        for (ConnectionStatus status : ConnectionStatus.values()) {
            ids.add(Gauge.builder(NAME, () -> this.statuses.get(id) == status ? 1 : 0)
                    .description(DESCRIPTION)
                    .tags(Tags.of("platform", name, "platform_id", id.toString(), "status", status.name()))
                    .register(meters).getId());
        }
        return new Registered(name, List.copyOf(ids));
    }
}
