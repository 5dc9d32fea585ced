package org.ocpihub.registry.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * What {@link AuditLog#recent} lists; every filter may be null (not filtered).
 *
 * @param platformId   only entries about this platform
 * @param actor        only entries by this actor name (exact)
 * @param actionPrefix only actions starting with this, e.g. {@code platform.} or {@code platform.suspend}
 * @param from         only entries at or after this instant
 * @param to           only entries before this instant
 * @param limit        at most this many, 1 to {@link #MAX_LIMIT} (larger is cut, smaller than 1 means 1)
 */
public record AuditQuery(UUID platformId, String actor, String actionPrefix, Instant from, Instant to, int limit) {

    /** The most entries one query returns. */
    public static final int MAX_LIMIT = 500;
    /** The number listed when the caller does not say. */
    public static final int DEFAULT_LIMIT = 100;

    public AuditQuery {
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
    }

    /** The newest {@link #DEFAULT_LIMIT} entries, unfiltered. */
    public static AuditQuery newest() {
        return new AuditQuery(null, null, null, null, null, DEFAULT_LIMIT);
    }

    /** The newest entries about one platform. */
    public static AuditQuery ofPlatform(UUID platformId, int limit) {
        return new AuditQuery(platformId, null, null, null, null, limit);
    }
}
