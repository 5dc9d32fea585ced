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

    /**
     * Records that a call to the platform failed, as {@link org.ocpihub.registry.outbound.MemberFailures} decides
     * (the caller asks it first): {@code what} says how, for the debug log (never a token).
     */
    public void failed(UUID platformId, String what) {
        lastFailure.put(platformId, Instant.now());
        log.debug("receiver platform {} failed: {}", platformId, what);
    }

    /** When a call to the platform last failed, if one did since this instance started. */
    public Optional<Instant> lastFailure(UUID platformId) {
        return Optional.ofNullable(lastFailure.get(platformId));
    }
}
