package org.ocpihub.broadcast.clientinfo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * A new member's full Hub Client Info list (the hub pushes the pull model's list to a newcomer, HCI 15.2.2;
 * {@link ClientInfoOutbox}) as a few broadcast log records instead of one per party: each list record holds up to
 * {@link #CHUNK} ClientInfo objects and is fanned out as one ClientInfo PUT per party ({@link #entries}), each
 * checked against the registry and agreements, and handed to the member's lane like a record of its own (the fence
 * per owner, versions, conflation).
 * <p>
 * Why: with 1 000 members, one record per party made every registration append about 1 000 Kafka records, and the
 * fan-out consume, step through and log each of them for a single delivery: half a million records for onboarding
 * 1 000 members (issue 11). A list record costs that once per {@value #CHUNK} parties.
 * <p>
 * Only with {@code hub.broadcast.partition-key=object} (the default): keyed by owner, a record per party shares the
 * party's data partition and so reaches the member before that party's later data, which a list keyed by its target
 * would not; there the outbox keeps a record per party.
 * <p>
 * Shape in the log: module {@code hubclientinfo}, method PUT, {@link BroadcastRecord#targetPlatformId()} the new
 * member, an empty {@link BroadcastRecord#suffix()} (no object: what tells a list from a single ClientInfo PUT,
 * whose suffix is {@code /cc/pid}), the body a JSON array of ClientInfo objects, the version the event that sent it.
 * The owner is the first entry's party (any party would do: the log keys a list by its target platform,
 * {@link BroadcastRecord#objectKey()}). Its rows in the durable receiver backlog are one per entry, told apart by the
 * entry's broadcast id ({@code V13}), and drain in that id's order, not the list's: each is about another party. An
 * entry's ids are derived from the list's and its place in it, so the list fanned out again (after a restart, or by
 * the partition's next owner) gives the same ids.
 */
public final class ClientInfoList {

    /**
     * ClientInfo objects per list record: about 130 bytes each, so a record of 500 stays near 65 kB, far below
     * Kafka's default limit of 1 MB per record (a hub of 10 000 members writes 20 of them per newcomer).
     */
    public static final int CHUNK = 500;

    private ClientInfoList() {
    }

    /**
     * The list records for a new member.
     *
     * @param infos   every party it is told about, in the order it should hear them
     * @param onlyTo  the new member's platform id
     * @param version the id of the change that sent the list (see {@link BroadcastRecord#version()})
     * @return ⌈infos / {@link #CHUNK}⌉ records, none for an empty list
     */
    public static List<BroadcastRecord> records(List<ClientInfo> infos, UUID onlyTo, long version) {
        List<BroadcastRecord> records = new ArrayList<>((infos.size() + CHUNK - 1) / CHUNK);
        Instant now = Instant.now();
        for (int from = 0; from < infos.size(); from += CHUNK) {
            List<ClientInfo> chunk = infos.subList(from, Math.min(infos.size(), from + CHUNK));
            ClientInfo first = chunk.get(0);
            records.add(new BroadcastRecord(MessageIds.next(), MessageIds.next(), ModuleId.HUB_CLIENT_INFO, "PUT",
                    PartyId.of(first.countryCode(), first.partyId()), first.role(), null, "", null,
                    OcpiJson.mapper().writeValueAsBytes(chunk), now, onlyTo).withVersion(version));
        }
        return records;
    }

    /** Whether a record of the log is a list ({@link #records}) rather than one ClientInfo PUT. */
    public static boolean is(BroadcastRecord record) {
        return record.module() == ModuleId.HUB_CLIENT_INFO && record.targetPlatformId() != null
                && record.suffix() != null && record.suffix().isEmpty();
    }

    /**
     * One ClientInfo PUT per entry of a list record, in the list's order: to its target platform only, at
     * {@code /cc/pid}, with the list's version and acceptance time.
     *
     * @throws IllegalArgumentException when the body is not a JSON array of ClientInfo objects
     */
    public static List<BroadcastRecord> entries(BroadcastRecord list) {
        ClientInfo[] infos;
        try {
            infos = OcpiJson.mapper().readValue(list.body(), ClientInfo[].class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Hub Client Info list " + list.id() + " holds no ClientInfo array: "
                    + e.getMessage(), e);
        }
        List<BroadcastRecord> entries = new ArrayList<>(infos.length);
        for (int i = 0; i < infos.length; i++) {
            ClientInfo info = infos[i];
            entries.add(ClientInfoOutbox.record(info, null, list.targetPlatformId(), list.version(),
                    derived(list.id(), i), derived(list.correlationId(), i), list.acceptedAt()));
        }
        return entries;
    }

    /** A name-based UUID for the entry at {@code index} of the list whose id is {@code id}. */
    private static String derived(String id, int index) {
        return UUID.nameUUIDFromBytes((id + "/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
