package org.ocpihub.registry.messagelog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;

import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;

import reactor.core.publisher.Mono;

/**
 * The message log's writes in PostgreSQL ({@code message_log}, {@code V7_2__message_log.sql}): a batch is ONE
 * {@code COPY … FROM STDIN} in PostgreSQL's text format (the cheapest way into PostgreSQL for the hub, which writes
 * one tab-separated line per row, and for the server, which parses no SQL per row, than the multi-row
 * {@code insert … select from unnest(…)} it replaced); expired rows are deleted in chunks.
 */
public class MessageLogStore {

    /** The columns written, in the order of each line's fields. */
    static final String COPY = "copy message_log (at, instance_id, kind, request_id, outbound_request_id, "
            + "correlation_id, module, interface_role, method, routing_case, from_country_code, from_party_id, "
            + "to_country_code, to_party_id, sender_platform_id, sender_name, receiver_platform_id, receiver_name, "
            + "object_id, broadcast_id, attempts, outcome, http_status, ocpi_status, latency_ms, accepted_at, error) "
            + "from stdin";

    private final DatabaseClient db;

    public MessageLogStore(DatabaseClient db) {
        this.db = db;
    }

    /** Writes {@code batch} (rows of instance {@code instanceId}) in one COPY. */
    public Mono<Void> insert(String instanceId, List<MessageLogEntry> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        return db.inConnection(connection -> {
            PostgresqlConnection postgres = unwrap(connection);
            return postgres.copyIn(COPY, Mono.fromSupplier(() -> Unpooled.wrappedBuffer(
                    lines(instanceId, batch).getBytes(StandardCharsets.UTF_8))));
        }).then();
    }

    /** The batch in COPY's text format: one line per row, fields tab-separated, {@code \N} for null. */
    static String lines(String instanceId, List<MessageLogEntry> batch) {
        StringBuilder out = new StringBuilder(batch.size() * 320);
        for (MessageLogEntry e : batch) {
            field(out, e.at());
            field(out, instanceId);
            field(out, e.kind().name());
            field(out, e.requestId());
            field(out, e.outboundRequestId());
            field(out, e.correlationId());
            field(out, e.module());
            field(out, e.interfaceRole());
            field(out, e.method());
            field(out, e.routingCase());
            field(out, e.fromCountryCode());
            field(out, e.fromPartyId());
            field(out, e.toCountryCode());
            field(out, e.toPartyId());
            field(out, e.senderPlatformId());
            field(out, e.senderName());
            field(out, e.receiverPlatformId());
            field(out, e.receiverName());
            field(out, e.objectId());
            field(out, e.broadcastId());
            field(out, e.attempts());
            field(out, e.outcome());
            field(out, e.httpStatus());
            field(out, e.ocpiStatus());
            field(out, e.latencyMs());
            field(out, e.acceptedAt());
            field(out, e.error());
            out.setCharAt(out.length() - 1, '\n'); // the last field's tab ends the line
        }
        return out.toString();
    }

    /**
     * The longest text a field keeps, in characters: at most 1500 bytes of UTF-8, well under PostgreSQL's b-tree
     * limit (2704 bytes) for the indexed columns. Without it one member naming a 3000-character object id in a URL
     * made PostgreSQL refuse the whole COPY, and every other row of the batch was lost with it. Ids the hub reads
     * are at most 255 characters (X-Request-ID, X-Correlation-ID) or 36 (OCPI object ids), so a cut value was
     * not a usable id anyway.
     */
    static final int MAX_FIELD_LENGTH = 500;

    /** One field and its tab; text escaped as COPY's text format requires (backslash, tab, line breaks). */
    private static void field(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N\t");
            return;
        }
        String text = cut(value.toString());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(' '); // other control characters carry nothing an operator reads
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('\t');
    }

    /** {@code text} cut to {@link #MAX_FIELD_LENGTH} characters, never between the two halves of a surrogate pair. */
    static String cut(String text) {
        if (text.length() <= MAX_FIELD_LENGTH) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_FIELD_LENGTH - 1)) ? MAX_FIELD_LENGTH - 1
                : MAX_FIELD_LENGTH;
        return text.substring(0, end);
    }

    /** The driver's connection under the pool's and Spring's wrappers: COPY is PostgreSQL's own API. */
    private static PostgresqlConnection unwrap(Connection connection) {
        Object current = connection;
        for (int depth = 0; depth < 8; depth++) {
            if (current instanceof PostgresqlConnection postgres) {
                return postgres;
            }
            if (!(current instanceof Wrapped<?> wrapped)) {
                break;
            }
            current = wrapped.unwrap();
        }
        throw new IllegalStateException("the message log needs a PostgreSQL R2DBC connection, got "
                + connection.getClass().getSimpleName());
    }

    /**
     * Deletes at most {@code chunk} rows older than {@code before}; the number deleted (the purge repeats while a
     * whole chunk went).
     */
    public Mono<Long> purgeChunk(Instant before, int chunk) {
        return db.sql("delete from message_log where id in (select id from message_log where at < :before "
                        + "order by at limit :chunk)")
                .bind("before", before.atOffset(ZoneOffset.UTC))
                .bind("chunk", chunk)
                .fetch().rowsUpdated();
    }
}
