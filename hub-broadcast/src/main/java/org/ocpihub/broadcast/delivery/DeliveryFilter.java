package org.ocpihub.broadcast.delivery;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.AdminQuery;
import org.springframework.http.HttpStatus;

/**
 * Which failed deliveries an operator looks at (or replays in bulk). Null fields do not filter.
 *
 * @param receiverPlatformId only deliveries to this platform
 * @param module             only this OCPI module
 * @param from               only deliveries first failed ({@code created_at}) at or after this
 * @param to                 only those before this
 * @param status             {@link #FAILED} or {@link #REPLAYED}; null means FAILED
 * @param offset             rows to skip (at least 0)
 * @param limit              rows at most, 1 to {@link #MAX_LIMIT} (larger is cut)
 */
public record DeliveryFilter(UUID receiverPlatformId, ModuleId module, Instant from, Instant to, String status,
                             int offset, int limit) {

    /** Status of a delivery that failed and waits for an operator. */
    public static final String FAILED = "FAILED";
    /** Status of a delivery an operator replayed successfully. */
    public static final String REPLAYED = "REPLAYED";
    /** The most rows one page holds. */
    public static final int MAX_LIMIT = 200;
    /** Rows in a page when the caller does not say. */
    public static final int DEFAULT_LIMIT = 100;

    public DeliveryFilter {
        status = status == null ? FAILED : status;
        if (!FAILED.equals(status) && !REPLAYED.equals(status)) {
            throw new IllegalArgumentException("status must be FAILED or REPLAYED");
        }
        offset = Math.max(0, offset);
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
    }

    /** The newest failed deliveries, unfiltered. */
    public static DeliveryFilter failed() {
        return new DeliveryFilter(null, null, null, null, FAILED, 0, DEFAULT_LIMIT);
    }

    /**
     * A filter from parameters as an operator wrote them (query parameters or the bulk replay body).
     *
     * @param receiver a platform id (UUID) or null/blank
     * @param module   an OCPI module id ({@code locations}, {@code tariffs}...) or null/blank
     * @param from     RFC 3339 time or null/blank
     * @param to       RFC 3339 time or null/blank
     * @param status   {@code failed} or {@code replayed} (any case) or null/blank (failed)
     * @param offset   digits or null (0)
     * @param limit    digits or null ({@value #DEFAULT_LIMIT})
     * @throws AdminApiException 400 naming the parameter that cannot be read
     */
    public static DeliveryFilter parse(String receiver, String module, String from, String to, String status,
                                       String offset, String limit) {
        ModuleId moduleId = null;
        if (module != null && !module.isBlank()) {
            moduleId = ModuleId.fromId(module.trim()).orElseThrow(() -> new AdminApiException(
                    HttpStatus.BAD_REQUEST, "query parameter module must be an OCPI module id such as locations,"
                            + " tariffs or sessions"));
        }
        String wanted = status == null || status.isBlank() ? FAILED : status.trim().toUpperCase(Locale.ROOT);
        if (!wanted.equals(FAILED) && !wanted.equals(REPLAYED)) {
            throw new AdminApiException(HttpStatus.BAD_REQUEST, "query parameter status must be failed or replayed");
        }
        Instant fromTime = AdminQuery.time("from", from);
        Instant toTime = AdminQuery.time("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw new AdminApiException(HttpStatus.BAD_REQUEST, "query parameter from must be before to");
        }
        return new DeliveryFilter(AdminQuery.uuid("receiver", receiver), moduleId, fromTime, toTime, wanted,
                AdminQuery.offset("offset", offset),
                limit == null ? DEFAULT_LIMIT : AdminQuery.limit("limit", limit, MAX_LIMIT));
    }

    /** The same filter, another page. */
    public DeliveryFilter page(int newOffset, int newLimit) {
        return new DeliveryFilter(receiverPlatformId, module, from, to, status, newOffset, newLimit);
    }
}
