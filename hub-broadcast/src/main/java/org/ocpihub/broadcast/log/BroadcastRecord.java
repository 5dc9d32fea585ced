package org.ocpihub.broadcast.log;

import java.time.Instant;
import java.util.UUID;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * One accepted Broadcast Push as it is kept in the broadcast log: who pushed what, exactly as received. The body
 * bytes are the broadcaster's, never re-serialised; receivers get them as they came.
 *
 * @param id          unique id of this broadcast
 * @param correlationId the broadcaster's X-Correlation-ID, carried to every delivery
 * @param module      locations, tariffs or tokens
 * @param method      PUT, PATCH, POST or DELETE
 * @param owner       the data owner (the from-pair, equal to the URL's country_code/party_id)
 * @param ownerRole   the owner's role for this data (CPO for locations and tariffs, EMSP for tokens, …)
 * @param senderPlatformId the platform that pushed it (its own parties get no copy)
 * @param suffix      the path after the interface, e.g. {@code /NL/CPO/LOC1/EVSE1}
 * @param query       the raw query or null (e.g. {@code type=RFID} for tokens)
 * @param body        the raw request body (may be empty for DELETE)
 * @param acceptedAt  when the hub accepted it
 * @param targetPlatformId only this platform gets it (a Hub Client Info list for a new member), or null for all
 * @param copies      how many copies of this record the log holds, one per partition (a Hub Client Info change
 *                    fencing every partition, {@link #fencesEveryPartition()}); 1 (or 0, from records written before
 *                    copies existed: the codec reads a missing number as 0) for one
 * @param version     for Hub Client Info, the order of the change it carries ({@code client_info_event.event_id}; a
 *                    newcomer's list, the id of the event that sent it): a receiving party is never sent a lower
 *                    version about a party and role after a higher one. 0 for data, and for records written before
 *                    versions existed
 */
public record BroadcastRecord(
        String id,
        String correlationId,
        ModuleId module,
        String method,
        PartyId owner,
        Role ownerRole,
        UUID senderPlatformId,
        String suffix,
        String query,
        byte[] body,
        Instant acceptedAt,
        UUID targetPlatformId,
        int copies,
        long version) {

    /** A record written once, without a version (see {@link #copies}, {@link #version}). */
    public BroadcastRecord(String id, String correlationId, ModuleId module, String method, PartyId owner,
                           Role ownerRole, UUID senderPlatformId, String suffix, String query, byte[] body,
                           Instant acceptedAt, UUID targetPlatformId) {
        this(id, correlationId, module, method, owner, ownerRole, senderPlatformId, suffix, query, body, acceptedAt,
                targetPlatformId, 1, 0);
    }

    /** A push for every eligible receiver. */
    public BroadcastRecord(String id, String correlationId, ModuleId module, String method, PartyId owner,
                           Role ownerRole, UUID senderPlatformId, String suffix, String query, byte[] body,
                           Instant acceptedAt) {
        this(id, correlationId, module, method, owner, ownerRole, senderPlatformId, suffix, query, body, acceptedAt,
                null);
    }

    /**
     * Whether the log writes this record into every partition: a Hub Client Info change announced to every member.
     * With data keyed by object (D7), a party's data is spread over all partitions; a copy of its status change in
     * each keeps "CONNECTED before the data that followed it" (HCI 15.1.1) within every partition, and receivers'
     * lanes send the change once ({@link #copies}). A newcomer's full list ({@link #targetPlatformId} set) is a
     * snapshot sent once and is written once.
     */
    public boolean fencesEveryPartition() {
        return module == ModuleId.HUB_CLIENT_INFO && targetPlatformId == null;
    }

    /**
     * For one of several copies ({@link #copies()} &gt; 1, in partitions 0 to copies − 1): the partition whose copy
     * goes to every receiver; the others only fence, and go only to the receivers that get the party's data (D7).
     * Derived from the party ({@link String#hashCode} of its text form: the same on every instance and JVM), so all
     * the changes about one party go to the other receivers through one partition, in the order they were appended.
     */
    public int homePartition() {
        return Math.floorMod(owner.toString().hashCode(), Math.max(1, copies));
    }

    /** This record as one of {@code n} copies, one per partition. */
    public BroadcastRecord withCopies(int n) {
        return new BroadcastRecord(id, correlationId, module, method, owner, ownerRole, senderPlatformId, suffix,
                query, body, acceptedAt, targetPlatformId, n, version);
    }

    /** This record carrying the change numbered {@code v} (Hub Client Info). */
    public BroadcastRecord withVersion(long v) {
        return new BroadcastRecord(id, correlationId, module, method, owner, ownerRole, senderPlatformId, suffix,
                query, body, acceptedAt, targetPlatformId, copies, v);
    }

    /**
     * The object this push is about, for ordering: module/owner/id (first id segment after the owner). A record for
     * one platform about no object (an empty suffix: a new member's Hub Client Info list, which the fan-out turns
     * into one push per party) is keyed by that platform, so the lists of different members spread over partitions.
     */
    public String objectKey() {
        if (targetPlatformId != null && suffix.isEmpty()) {
            return module.id() + "/to/" + targetPlatformId;
        }
        String[] segments = suffix.startsWith("/") ? suffix.substring(1).split("/") : suffix.split("/");
        String objectId = segments.length >= 3 ? segments[2] : "";
        return module.id() + "/" + owner + "/" + objectId;
    }
}
