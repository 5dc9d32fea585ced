package org.ocpihub.registry.health;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Platforms the hub failed to reach while routing, and when: the still-alive check (HCI 15.2.3) looks at them first.
 */
@Component
public class UnreachableReceivers {

    private static final Logger log = LoggerFactory.getLogger(UnreachableReceivers.class);

    private final Map<UUID, Instant> lastFailure = new ConcurrentHashMap<>();

    public void failed(UUID platformId, Throwable error) {
        lastFailure.put(platformId, Instant.now());
        log.debug("receiver platform {} failed: {}", platformId, error.toString());
    }

    public Optional<Instant> lastFailure(UUID platformId) {
        return Optional.ofNullable(lastFailure.get(platformId));
    }
}
