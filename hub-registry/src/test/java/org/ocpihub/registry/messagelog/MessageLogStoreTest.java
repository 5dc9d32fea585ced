package org.ocpihub.registry.messagelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The COPY text the message log sends PostgreSQL: one line per row, 27 fields, nulls and escapes as COPY reads them. */
class MessageLogStoreTest {

    @Test
    void eachRowIsOneLineOfTabSeparatedFieldsWithNullsAndEscapes() {
        UUID sender = UUID.randomUUID();
        MessageLogEntry row = new MessageLogEntry(null, Instant.parse("2026-12-01T06:30:00.123Z"), null,
                MessageLogEntry.Kind.ROUTED, "req\t1", null, "corr\\1", "locations", "SENDER", "GET", "DIRECT",
                "NL", "CPO", "DE", "EMS", sender, "Charge\nCo", null, null, "LOC\r1", null, null, null, 200, 1000, 12,
                null, "bad\u0007bell");

        String text = MessageLogStore.lines("hub-1", List.of(row, row));

        String[] lines = text.split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty(); // the text ends with a line break
        String[] fields = lines[0].split("\t", -1);
        assertThat(fields).hasSize(27);
        assertThat(fields[0]).isEqualTo("2026-12-01T06:30:00.123Z");
        assertThat(fields[1]).isEqualTo("hub-1");
        assertThat(fields[3]).isEqualTo("req\\t1");
        assertThat(fields[4]).isEqualTo("\\N");
        assertThat(fields[5]).isEqualTo("corr\\\\1");
        assertThat(fields[14]).isEqualTo(sender.toString());
        assertThat(fields[15]).isEqualTo("Charge\\nCo");
        assertThat(fields[18]).isEqualTo("LOC\\r1");
        assertThat(fields[22]).isEqualTo("200");
        assertThat(fields[26]).isEqualTo("bad bell");
    }
}
