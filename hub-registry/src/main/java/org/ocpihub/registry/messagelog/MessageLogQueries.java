package org.ocpihub.registry.messagelog;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiDateTime;
import org.springframework.r2dbc.core.DatabaseClient;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * What the console and the admin API ask of the message log ({@code message_log}, every instance's rows). Every
 * answer is bounded: a trace at most {@link TraceQuery#MAX_LIMIT} rows, a platform's recent rows at most
 * {@link #MAX_RECENT}, the per-platform figures at most {@link #MAX_PLATFORMS} rows over a window of at most
 * {@link #MAX_WINDOW}. Figures (percentiles included) are computed in PostgreSQL, so they cover all instances.
 */
public class MessageLogQueries {

    /** The longest window {@link #traffic} and {@link #receiverLag} look back. */
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    /** The most rows {@link #recentForPlatform} returns per list. */
    public static final int MAX_RECENT = 500;
    /** The most rows {@link #traffic} and {@link #receiverLag} return. */
    public static final int MAX_PLATFORMS = 2000;

    /** A row that failed, as {@link MessageLogEntry#failed()} says, in SQL. */
    static final String FAILED = "(error is not null or http_status >= 400 "
            + "or (ocpi_status is not null and (ocpi_status < 1000 or ocpi_status > 1999)))";

    private static final String COLUMNS = "id, at, instance_id, kind, request_id, outbound_request_id, correlation_id, "
            + "module, interface_role, method, routing_case, from_country_code, from_party_id, to_country_code, "
            + "to_party_id, sender_platform_id, sender_name, receiver_platform_id, receiver_name, object_id, "
            + "broadcast_id, attempts, outcome, http_status, ocpi_status, latency_ms, accepted_at, error";

    private final DatabaseClient db;

    public MessageLogQueries(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The rows matching {@code query}, newest first, at most {@code query.limit()}: enough for the console to draw a
     * timeline (a request's forward, a broadcast's acceptance and every delivery, with attempts and outcome).
     */
    public Mono<List<MessageLogEntry>> trace(TraceQuery query) {
        StringBuilder where = new StringBuilder("true");
        Map<String, Object> binds = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        if (query.correlationId() != null) {
            keys.add("c:" + query.correlationId()); // the correlation id or the broadcast id
        }
        if (query.requestId() != null) {
            keys.add("r:" + query.requestId()); // as the requester sent it or as the hub sent it on
        }
        if (query.party() != null) {
            keys.add("p:" + query.party().countryCode() + "/" + query.party().partyId()); // as sender or addressee
        }
        if (query.objectId() != null) {
            keys.add("o:" + query.objectId().toUpperCase(Locale.ROOT));
        }
        if (!keys.isEmpty()) {
            where.append(" and search_keys @> cast(:keys as text[])"); // every criterion, one GIN index lookup
            binds.put("keys", keys.toArray(String[]::new));
        }
        if (query.from() != null) {
            where.append(" and at >= :from");
            binds.put("from", utc(query.from()));
        }
        if (query.to() != null) {
            where.append(" and at < :to");
            binds.put("to", utc(query.to()));
        }
        binds.put("limit", query.limit());
        DatabaseClient.GenericExecuteSpec spec = db.sql("select " + COLUMNS + " from message_log where " + where
                + " order by at desc, id desc limit :limit");
        for (Map.Entry<String, Object> bind : binds.entrySet()) {
            spec = spec.bind(bind.getKey(), bind.getValue());
        }
        return spec.map(MessageLogQueries::entry).all().collectList();
    }

    /**
     * Traffic per member platform over the last {@code window} (at most {@link #MAX_WINDOW}): for each platform one
     * row as sender and one as receiver ({@link PlatformTraffic.Direction}), requests, requests per second, error
     * share and p95 latency, busiest first. Broadcast deliveries are left to {@link #receiverLag}.
     *
     * @return the rows; fails with {@link IllegalArgumentException} when the window is not positive or longer than
     *         {@link #MAX_WINDOW}
     */
    public Mono<List<PlatformTraffic>> traffic(Duration window) {
        Instant since;
        try {
            since = since(window);
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        double seconds = window.toMillis() / 1000.0;
        String sql = "with w as (select * from message_log where at >= :since and kind <> 'DELIVERY'), "
                + "sides as (select sender_platform_id as platform_id, sender_name as name, 'SENT' as direction, at, "
                + "latency_ms, " + FAILED + " as failed from w where sender_platform_id is not null "
                + "union all select receiver_platform_id, receiver_name, 'RECEIVED', at, latency_ms, " + FAILED
                + " from w where receiver_platform_id is not null) "
                + "select platform_id, direction, (array_agg(name order by at desc))[1] as name, "
                + "count(*) as requests, count(*) filter (where failed) as errors, "
                + "percentile_cont(0.95) within group (order by latency_ms) as p95 "
                + "from sides group by platform_id, direction order by requests desc, platform_id, direction "
                + "limit " + MAX_PLATFORMS;
        return db.sql(sql).bind("since", utc(since))
                .map(row -> {
                    long requests = number(row.get("requests", Long.class));
                    long errors = number(row.get("errors", Long.class));
                    return new PlatformTraffic(row.get("platform_id", UUID.class), row.get("name", String.class),
                            PlatformTraffic.Direction.valueOf(row.get("direction", String.class)), requests,
                            requests / seconds, errors, requests == 0 ? 0 : (double) errors / requests,
                            row.get("p95", Double.class));
                })
                .all().collectList();
    }

    /**
     * Broadcast deliveries per receiving platform over the last {@code window} (at most {@link #MAX_WINDOW}):
     * deliveries, failed, skipped and the p95 of acceptance-to-delivery lag, slowest first.
     *
     * @return the rows; fails with {@link IllegalArgumentException} when the window is not positive or longer than
     *         {@link #MAX_WINDOW}
     */
    public Mono<List<ReceiverLag>> receiverLag(Duration window) {
        Instant since;
        try {
            since = since(window);
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        String sql = "select receiver_platform_id, (array_agg(receiver_name order by at desc))[1] as name, "
                + "count(*) as deliveries, count(*) filter (where outcome = 'FAILED') as failed, "
                + "count(*) filter (where outcome = 'SKIPPED_NOT_CONNECTED') as skipped, "
                + "percentile_cont(0.95) within group (order by extract(epoch from (at - accepted_at)) * 1000) "
                + "filter (where outcome = 'DELIVERED' and accepted_at is not null) as p95 "
                + "from message_log where kind = 'DELIVERY' and at >= :since and receiver_platform_id is not null "
                + "group by receiver_platform_id order by p95 desc nulls last, receiver_platform_id "
                + "limit " + MAX_PLATFORMS;
        return db.sql(sql).bind("since", utc(since))
                .map(row -> new ReceiverLag(row.get("receiver_platform_id", UUID.class), row.get("name", String.class),
                        number(row.get("deliveries", Long.class)), number(row.get("failed", Long.class)),
                        number(row.get("skipped", Long.class)), row.get("p95", Double.class)))
                .all().collectList();
    }

    /**
     * The platform's last {@code limit} rows and its last {@code limit} failed ones, newest first, as sender or as
     * receiver.
     *
     * @param limit 1 to {@link #MAX_RECENT}
     * @return both lists; fails with {@link IllegalArgumentException} for a limit outside that range
     */
    public Mono<PlatformRecent> recentForPlatform(UUID platformId, int limit) {
        if (platformId == null || limit < 1 || limit > MAX_RECENT) {
            return Mono.error(new IllegalArgumentException("a platform id and a limit of 1 to " + MAX_RECENT
                    + " are needed"));
        }
        // one GIN lookup: the key s:<id> is on the rows the platform sent and on those it received
        String base = "select " + COLUMNS + " from message_log where search_keys @> cast(:keys as text[]) %s "
                + "order by at desc, id desc limit :limit";
        String[] key = {"s:" + platformId};
        Mono<List<MessageLogEntry>> all = db.sql(String.format(base, ""))
                .bind("keys", key).bind("limit", limit)
                .map(MessageLogQueries::entry).all().collectList();
        Mono<List<MessageLogEntry>> failed = db.sql(String.format(base, "and " + FAILED))
                .bind("keys", key).bind("limit", limit)
                .map(MessageLogQueries::entry).all().collectList();
        return Mono.zip(all, failed, PlatformRecent::new);
    }

    private static Instant since(Duration window) {
        if (window == null || window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("the window must be positive and at most " + MAX_WINDOW.toHours()
                    + " hours");
        }
        return OcpiDateTime.now().minus(window);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static long number(Long value) {
        return value == null ? 0 : value;
    }

    static MessageLogEntry entry(Readable row) {
        String kind = row.get("kind", String.class);
        return new MessageLogEntry(row.get("id", Long.class), instant(row.get("at", OffsetDateTime.class)),
                row.get("instance_id", String.class),
                kind == null ? null : MessageLogEntry.Kind.valueOf(kind),
                row.get("request_id", String.class), row.get("outbound_request_id", String.class),
                row.get("correlation_id", String.class), row.get("module", String.class),
                row.get("interface_role", String.class), row.get("method", String.class),
                row.get("routing_case", String.class), row.get("from_country_code", String.class),
                row.get("from_party_id", String.class), row.get("to_country_code", String.class),
                row.get("to_party_id", String.class), row.get("sender_platform_id", UUID.class),
                row.get("sender_name", String.class), row.get("receiver_platform_id", UUID.class),
                row.get("receiver_name", String.class), row.get("object_id", String.class),
                row.get("broadcast_id", String.class), row.get("attempts", Integer.class),
                row.get("outcome", String.class), row.get("http_status", Integer.class),
                row.get("ocpi_status", Integer.class), row.get("latency_ms", Integer.class),
                instant(row.get("accepted_at", OffsetDateTime.class)), row.get("error", String.class));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
