package org.ocpihub.registry.platform;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: DOWN until the first registry snapshot is loaded, since until then every token would be refused.
 */
@Component("registry")
public class RegistryHealthIndicator implements HealthIndicator {

    private final PlatformRegistry registry;

    public RegistryHealthIndicator(PlatformRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        return registry.loaded() ? Health.up().build()
                : Health.down().withDetail("reason", "registry not loaded yet").build();
    }
}
