package org.ocpihub.registry.messagelog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * The message log's writes in PostgreSQL ({@code message_log}, {@code V7_2__message_log.sql}): a batch is ONE
 * statement, {@code insert … select … from unnest(…)} with one array parameter per column (the arrays travel as
 * text and are cast in SQL, so every column type binds the same way and a null element stays NULL); expired rows are
 * deleted in chunks.
 */
public class MessageLogStore {

    /** The columns written, in the order of the arrays bound. */
    private static final String INSERT = "insert into message_log (at, instance_id, kind, request_id, "
            + "outbound_request_id, correlation_id, module, interface_role, method, routing_case, from_country_code, "
            + "from_party_id, to_country_code, to_party_id, sender_platform_id, sender_name, receiver_platform_id, "
            + "receiver_name, object_id, broadcast_id, attempts, outcome, http_status, ocpi_status, latency_ms, accepted_at, "
            + "error) "
            + "select at::timestamptz, :instance, kind, request_id, outbound_request_id, correlation_id, module, "
            + "interface_role, method, routing_case, from_cc, from_pid, to_cc, to_pid, sender::uuid, sender_name, "
            + "receiver::uuid, receiver_name, object_id, broadcast_id, attempts::integer, outcome, http_status::integer, "
            + "ocpi_status::integer, latency_ms::integer, accepted_at::timestamptz, error "
            + "from unnest(cast(:at as text[]), cast(:kind as text[]), cast(:request_id as text[]), "
            + "cast(:outbound_request_id as text[]), cast(:correlation_id as text[]), cast(:module as text[]), "
            + "cast(:interface_role as text[]), cast(:method as text[]), cast(:routing_case as text[]), "
            + "cast(:from_cc as text[]), cast(:from_pid as text[]), cast(:to_cc as text[]), cast(:to_pid as text[]), "
            + "cast(:sender as text[]), cast(:sender_name as text[]), cast(:receiver as text[]), "
            + "cast(:receiver_name as text[]), cast(:object_id as text[]), cast(:broadcast_id as text[]), "
            + "cast(:attempts as text[]), cast(:outcome as text[]), cast(:http_status as text[]), cast(:ocpi_status as text[]), "
            + "cast(:latency_ms as text[]), cast(:accepted_at as text[]), cast(:error as text[])) "
            + "as t(at, kind, request_id, outbound_request_id, correlation_id, module, interface_role, method, "
            + "routing_case, from_cc, from_pid, to_cc, to_pid, sender, sender_name, receiver, receiver_name, "
            + "object_id, broadcast_id, attempts, outcome, http_status, ocpi_status, latency_ms, accepted_at, error)";

    private final DatabaseClient db;

    public MessageLogStore(DatabaseClient db) {
        this.db = db;
    }

    /** Writes {@code batch} (rows of instance {@code instanceId}) in one statement. */
    public Mono<Void> insert(String instanceId, List<MessageLogEntry> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        return db.sql(INSERT)
                .bind("instance", instanceId)
                .bind("at", column(batch, e -> text(e.at())))
                .bind("kind", column(batch, e -> e.kind().name()))
                .bind("request_id", column(batch, MessageLogEntry::requestId))
                .bind("outbound_request_id", column(batch, MessageLogEntry::outboundRequestId))
                .bind("correlation_id", column(batch, MessageLogEntry::correlationId))
                .bind("module", column(batch, MessageLogEntry::module))
                .bind("interface_role", column(batch, MessageLogEntry::interfaceRole))
                .bind("method", column(batch, MessageLogEntry::method))
                .bind("routing_case", column(batch, MessageLogEntry::routingCase))
                .bind("from_cc", column(batch, MessageLogEntry::fromCountryCode))
                .bind("from_pid", column(batch, MessageLogEntry::fromPartyId))
                .bind("to_cc", column(batch, MessageLogEntry::toCountryCode))
                .bind("to_pid", column(batch, MessageLogEntry::toPartyId))
                .bind("sender", column(batch, e -> text(e.senderPlatformId())))
                .bind("sender_name", column(batch, MessageLogEntry::senderName))
                .bind("receiver", column(batch, e -> text(e.receiverPlatformId())))
                .bind("receiver_name", column(batch, MessageLogEntry::receiverName))
                .bind("object_id", column(batch, MessageLogEntry::objectId))
                .bind("broadcast_id", column(batch, MessageLogEntry::broadcastId))
                .bind("attempts", column(batch, e -> text(e.attempts())))
                .bind("outcome", column(batch, MessageLogEntry::outcome))
                .bind("http_status", column(batch, e -> text(e.httpStatus())))
                .bind("ocpi_status", column(batch, e -> text(e.ocpiStatus())))
                .bind("latency_ms", column(batch, e -> text(e.latencyMs())))
                .bind("accepted_at", column(batch, e -> text(e.acceptedAt())))
                .bind("error", column(batch, MessageLogEntry::error))
                .fetch().rowsUpdated().then();
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

    private static String[] column(List<MessageLogEntry> batch, Function<MessageLogEntry, String> value) {
        String[] column = new String[batch.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(batch.get(i));
        }
        return column;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
