package org.ocpihub.registry.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * The audit log of operator actions (issue 9 item 8), in PostgreSQL table {@code audit_log}: every action of the JSON
 * admin API and of the console, success and failure, who did it and how, which platform, and the result in operator
 * words. Shared by all hub instances. Details never hold a token: callers pass operator messages, never secrets.
 */
@Component
public class AuditLog {

    /** Outcome of an action that did what was asked. */
    public static final String OK = "OK";
    /** Outcome of an action that was refused or failed. */
    public static final String FAILED = "FAILED";

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_DETAIL = 2000;

    private final DatabaseClient db;

    public AuditLog(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Stores one entry (and writes one log line with the same facts).
     *
     * @param actor        who
     * @param action       what, {@code <subject>.<verb>}, e.g. {@code platform.suspend}
     * @param platformId   the platform acted on, or null
     * @param platformName its name, or null
     * @param outcome      {@link #OK} or {@link #FAILED}
     * @param detail       what happened in operator words; cut at 2000 characters
     * @return completes when stored; fails when the database does
     * @throws IllegalArgumentException (at call) for an outcome other than OK or FAILED
     */
    public Mono<Void> record(Actor actor, String action, UUID platformId, String platformName, String outcome,
                             String detail) {
        if (!OK.equals(outcome) && !FAILED.equals(outcome)) {
            throw new IllegalArgumentException("outcome must be OK or FAILED");
        }
        String text = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        OffsetDateTime now = OcpiDateTime.now().atOffset(ZoneOffset.UTC);
        DatabaseClient.GenericExecuteSpec spec = db.sql("insert into audit_log (id, at, actor, via, action, "
                        + "platform_id, platform_name, outcome, detail) values (:id, :at, :actor, :via, :action, "
                        + ":pid, :pname, :outcome, :detail)")
                .bind("id", UUID.fromString(MessageIds.next())).bind("at", now).bind("actor", actor.name())
                .bind("via", actor.via()).bind("action", action).bind("outcome", outcome).bind("detail", text);
        spec = platformId == null ? spec.bindNull("pid", UUID.class) : spec.bind("pid", platformId);
        spec = platformName == null ? spec.bindNull("pname", String.class) : spec.bind("pname", platformName);
        return spec.fetch().rowsUpdated()
                .doOnSuccess(n -> log.info("audit: {} via {} {} {} {}: {}", oneLine(actor.name()), actor.via(),
                        action, platformName == null ? (platformId == null ? "-" : platformId) : oneLine(platformName),
                        outcome, oneLine(text)))
                .then();
    }

    /**
     * {@code value} fit for one log line: control characters (line breaks, tabs, terminal escapes) as '?'. A refused
     * request's name or detail is audited as typed, and a line break in it would forge a second log line.
     */
    static String oneLine(String value) {
        if (value == null || value.chars().noneMatch(Character::isISOControl)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        value.chars().forEach(c -> out.append(Character.isISOControl(c) ? '?' : (char) c));
        return out.toString();
    }

    /**
     * The newest entries matching {@code q}, newest first, at most {@code q.limit()}.
     *
     * @param q the filters (null fields do not filter)
     * @return the entries, possibly empty
     */
    public Mono<List<AuditEntry>> recent(AuditQuery q) {
        List<String> where = new ArrayList<>();
        if (q.platformId() != null) {
            where.add("platform_id = :pid");
        }
        if (q.actor() != null) {
            where.add("actor = :actor");
        }
        if (q.actionPrefix() != null) {
            where.add("left(action, :plen) = :prefix"); // no LIKE: an operator's % or _ means itself
        }
        if (q.from() != null) {
            where.add("at >= :from");
        }
        if (q.to() != null) {
            where.add("at < :to");
        }
        String sql = "select * from audit_log" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by at desc, seq desc limit :limit";
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("limit", q.limit());
        if (q.platformId() != null) {
            spec = spec.bind("pid", q.platformId());
        }
        if (q.actor() != null) {
            spec = spec.bind("actor", q.actor());
        }
        if (q.actionPrefix() != null) {
            spec = spec.bind("plen", q.actionPrefix().length()).bind("prefix", q.actionPrefix());
        }
        if (q.from() != null) {
            spec = spec.bind("from", q.from().atOffset(ZoneOffset.UTC));
        }
        if (q.to() != null) {
            spec = spec.bind("to", q.to().atOffset(ZoneOffset.UTC));
        }
        return spec.map(AuditLog::read).all().collectList();
    }

    private static AuditEntry read(Readable r) {
        return new AuditEntry(r.get("id", UUID.class), r.get("at", OffsetDateTime.class).toInstant(),
                r.get("actor", String.class), r.get("via", String.class), r.get("action", String.class),
                r.get("platform_id", UUID.class), r.get("platform_name", String.class),
                r.get("outcome", String.class), r.get("detail", String.class));
    }
}
