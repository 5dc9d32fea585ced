package org.ocpihub.broadcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * Records in the broadcast log and in {@code spilled_broadcast} outlive the hub version that wrote them: a record
 * written before a field existed is read, with the field's neutral value, not refused (an unreadable Kafka record is
 * skipped, an unreadable row would stall its receiver).
 */
class BroadcastRecordCodecTest {

    @Test
    void aRecordReadsBackAsItWasWritten() {
        BroadcastRecord record = new BroadcastRecord("id-1", "corr-1", ModuleId.HUB_CLIENT_INFO, "PUT",
                PartyId.of("NL", "CPO"), Role.CPO, UUID.randomUUID(), "/NL/CPO", null,
                "{\"status\":\"CONNECTED\"}".getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-03T10:00:00Z"),
                null).withCopies(8).withVersion(42);

        BroadcastRecord read = BroadcastRecordCodec.decode(BroadcastRecordCodec.encode(record));

        assertThat(read.copies()).isEqualTo(8);
        assertThat(read.version()).isEqualTo(42);
        assertThat(read.owner()).isEqualTo(record.owner());
        assertThat(read.body()).isEqualTo(record.body());
        assertThat(read.acceptedAt()).isEqualTo(record.acceptedAt());
    }

    @Test
    void aRecordWrittenBeforeCopiesAndVersionsExistedIsReadAsOneUnversionedRecord() {
        // the JSON a hub wrote before issue 11's partitioning by object (no copies, no version)
        String old = "{\"id\":\"old-1\",\"correlation_id\":\"corr\",\"module\":\"locations\",\"method\":\"PUT\","
                + "\"owner\":{\"country_code\":\"NL\",\"party_id\":\"CPO\"},\"owner_role\":\"CPO\","
                + "\"sender_platform_id\":\"" + UUID.randomUUID() + "\",\"suffix\":\"/NL/CPO/LOC1\",\"query\":null,"
                + "\"body\":\"e30=\",\"accepted_at\":\"2026-12-01T10:00:00Z\",\"target_platform_id\":null}";

        BroadcastRecord read = BroadcastRecordCodec.decode(old.getBytes(StandardCharsets.UTF_8));

        assertThat(read.id()).isEqualTo("old-1");
        assertThat(read.objectKey()).isEqualTo("locations/NL/CPO/LOC1");
        assertThat(read.copies()).isZero();
        assertThat(read.version()).isZero();
        assertThat(read.fencesEveryPartition()).isFalse();
    }
}
