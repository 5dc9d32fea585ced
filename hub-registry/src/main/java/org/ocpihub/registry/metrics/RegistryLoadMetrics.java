package org.ocpihub.registry.metrics;

import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code ocpihub.registry.loads} (Prometheus {@code ocpihub_registry_loads_total}): full registry loads this instance
 * started ({@link PlatformRegistry#loads()}; each reads every platform, role and endpoint and serves every caller that
 * joined it). Its rate is what registry churn costs: a registration costs about two (the admin create's and the
 * handshake's), a change on another instance one (D9, docs/DESIGN.md).
 */
@Component
public class RegistryLoadMetrics {

    /** The counter's name in Micrometer's notation. */
    public static final String NAME = "ocpihub.registry.loads";

    public RegistryLoadMetrics(MeterRegistry meters, PlatformRegistry registry) {
        FunctionCounter.builder(NAME, registry, PlatformRegistry::loads)
                .description("Full registry loads started by this instance (every platform, role and endpoint read)")
                .register(meters);
    }
}
