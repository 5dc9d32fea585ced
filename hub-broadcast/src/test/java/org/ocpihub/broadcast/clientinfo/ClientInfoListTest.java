package org.ocpihub.broadcast.clientinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.log.BroadcastRecordCodec;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * A new member's Hub Client Info list as list records ({@link ClientInfoList}): chunked, read back through the log's
 * codec as the same PUTs, one per party, in order, that one record per party carried before.
 */
class ClientInfoListTest {

    private static final UUID NEWCOMER = UUID.fromString("7d0c3a43-3d0c-4c55-9e44-0b1a1f4c2a10");
    private static final Instant CHANGED = Instant.parse("2026-12-07T10:15:30Z");

    @Test
    void aListOfMoreThanAChunkIsSplitAndEachEntryIsTheSamePutAsARecordOfItsOwn() {
        List<ClientInfo> infos = parties(ClientInfoList.CHUNK + 3);

        List<BroadcastRecord> records = ClientInfoList.records(infos, NEWCOMER, 42);

        assertThat(records).hasSize(2);
        List<BroadcastRecord> entries = new ArrayList<>();
        for (BroadcastRecord record : records) {
            assertThat(ClientInfoList.is(record)).isTrue();
            assertThat(record.fencesEveryPartition()).isFalse(); // written once, like the records it replaces
            assertThat(record.objectKey()).isEqualTo("hubclientinfo/to/" + NEWCOMER);
            // as the log stores it
            entries.addAll(ClientInfoList.entries(BroadcastRecordCodec.decode(BroadcastRecordCodec.encode(record))));
        }
        assertThat(entries).hasSize(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            BroadcastRecord entry = entries.get(i);
            BroadcastRecord alone = ClientInfoOutbox.record(infos.get(i), null, NEWCOMER, 42);
            assertThat(ClientInfoList.is(entry)).isFalse();
            assertThat(entry.module()).isEqualTo(ModuleId.HUB_CLIENT_INFO);
            assertThat(entry.method()).isEqualTo("PUT");
            assertThat(entry.suffix()).isEqualTo(alone.suffix());
            assertThat(entry.owner()).isEqualTo(alone.owner());
            assertThat(entry.ownerRole()).isEqualTo(alone.ownerRole());
            assertThat(entry.targetPlatformId()).isEqualTo(NEWCOMER);
            assertThat(entry.version()).isEqualTo(42);
            assertThat(entry.copies()).isEqualTo(1);
            assertThat(entry.objectKey()).isEqualTo(alone.objectKey());
            assertThat(new String(entry.body(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(alone.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEntryGetsTheSameIdsEachTimeItsListIsFannedOutAndNoOtherEntryShares()  {
        BroadcastRecord list = ClientInfoList.records(parties(3), NEWCOMER, 7).get(0);

        List<BroadcastRecord> first = ClientInfoList.entries(list);
        List<BroadcastRecord> again = ClientInfoList.entries(BroadcastRecordCodec.decode(
                BroadcastRecordCodec.encode(list)));

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).id()).isEqualTo(first.get(i).id());
            assertThat(again.get(i).correlationId()).isEqualTo(first.get(i).correlationId());
            assertThat(UUID.fromString(first.get(i).id())).isNotNull();
            ids.add(first.get(i).id());
            ids.add(first.get(i).correlationId());
        }
        assertThat(ids).hasSize(6).doesNotContain(list.id(), list.correlationId());
    }

    @Test
    void noPartiesNoRecord() {
        assertThat(ClientInfoList.records(List.of(), NEWCOMER, 1)).isEmpty();
    }

    @Test
    void aSingleClientInfoPutIsNotAList() {
        BroadcastRecord toNewcomer = ClientInfoOutbox.record(parties(1).get(0), null, NEWCOMER, 1);
        BroadcastRecord toAll = ClientInfoOutbox.record(parties(1).get(0), UUID.randomUUID(), null, 1);

        assertThat(ClientInfoList.is(toNewcomer)).isFalse();
        assertThat(ClientInfoList.is(toAll)).isFalse();
    }

    @Test
    void aListWhoseBodyIsNoArrayOfClientInfoIsRefusedNamingIt() {
        BroadcastRecord list = ClientInfoList.records(parties(1), NEWCOMER, 1).get(0);
        BroadcastRecord broken = new BroadcastRecord(list.id(), list.correlationId(), list.module(), list.method(),
                list.owner(), list.ownerRole(), null, "", null, "{\"party_id\":".getBytes(StandardCharsets.UTF_8),
                list.acceptedAt(), NEWCOMER);

        assertThat(ClientInfoList.is(broken)).isTrue();
        assertThatThrownBy(() -> ClientInfoList.entries(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(list.id());
    }

    /** {@code n} parties of alternating roles and statuses, as the hub's query orders them (cc, pid). */
    private static List<ClientInfo> parties(int n) {
        List<ClientInfo> infos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PartyId party = PartyId.of("NL", String.format("%03d", i));
            infos.add(new ClientInfo(party.partyId(), party.countryCode(), i % 2 == 0 ? Role.CPO : Role.EMSP,
                    i % 3 == 0 ? ConnectionStatus.PLANNED : ConnectionStatus.CONNECTED,
                    CHANGED.plus(i, ChronoUnit.SECONDS)));
        }
        // the list body is what OcpiJson writes: what members get is unchanged
        assertThat(OcpiJson.mapper().writeValueAsString(infos.get(0))).contains("\"last_updated\"");
        return infos;
    }
}
