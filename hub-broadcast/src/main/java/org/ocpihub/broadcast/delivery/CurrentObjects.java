package org.ocpihub.broadcast.delivery;

import java.nio.charset.StandardCharsets;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.store.PushTarget;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/** The current stored state of the object a failed delivery was about, to resend it whole (D8 store). */
@Component
public class CurrentObjects {

    /** An object's path suffix ({@code /cc/pid/id}) and its stored JSON. */
    public record State(String suffix, byte[] body) {
    }

    private final DatabaseClient db;

    public CurrentObjects(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The current stored state of the object a push was about (a Location for an EVSE or connector push), when the
     * store holds it whole (a PUT of the whole object was stored; see {@code broadcast_object.complete}).
     *
     * @return the object's suffix {@code /cc/pid/id} as the push named it and its stored JSON; empty when the store
     *         does not hold it whole (never stored, only parts of it, deleted) or the push names no stored object
     */
    public Mono<State> whole(BroadcastRecord record) {
        PushTarget target;
        try {
            target = PushTarget.of(record);
        } catch (IllegalArgumentException e) {
            return Mono.empty();
        }
        return select(target, objectSuffix(record.suffix()), true);
    }

    /** The object's part of a suffix, as it was in the URL (still percent-encoded): {@code /cc/pid/id}. */
    private static String objectSuffix(String suffix) {
        String[] segments = suffix.substring(suffix.startsWith("/") ? 1 : 0).split("/");
        return "/" + segments[0] + "/" + segments[1] + "/" + segments[2];
    }

    public Mono<State> of(DeliveryFailure failure) {
        String[] segments = failure.pathSuffix().substring(1).split("/");
        if (segments.length < 3) {
            return Mono.empty();
        }
        PushTarget target;
        try {
            target = PushTarget.of(new BroadcastRecord(failure.broadcastId(), failure.correlationId(),
                    failure.module(), "PUT", PartyId.of(segments[0], segments[1]), Role.OTHER, null,
                    "/" + segments[0] + "/" + segments[1] + "/" + segments[2], null, null, failure.createdAt()));
        } catch (IllegalArgumentException e) {
            return Mono.empty();
        }
        return select(target, "/" + segments[0] + "/" + segments[1] + "/" + segments[2], false);
    }

    private Mono<State> select(PushTarget target, String suffix, boolean wholeOnly) {
        return db.sql("select body from broadcast_object where module = :module and country_code = :cc and "
                        + "party_id = :pid and object_id = :id and not deleted" + (wholeOnly ? " and complete" : ""))
                .bind("module", target.module().id()).bind("cc", target.owner().countryCode())
                .bind("pid", target.owner().partyId()).bind("id", target.key())
                .map(r -> {
                    Object body = r.get("body");
                    String json = body instanceof Json j ? j.asString() : String.valueOf(body);
                    return new State(suffix, json.getBytes(StandardCharsets.UTF_8));
                })
                .one();
    }
}
