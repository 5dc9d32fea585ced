package org.ocpihub.registry.messagelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** The OCPI status of an answer, read as it streams past in chunks. */
class OcpiStatusScannerTest {

    private static Integer scan(String... chunks) {
        OcpiStatusScanner scanner = new OcpiStatusScanner();
        for (String chunk : chunks) {
            DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.wrap(chunk.getBytes(StandardCharsets.UTF_8));
            scanner.feed(buffer);
            assertThat(buffer.readPosition()).isZero(); // never consumed
        }
        return scanner.status();
    }

    @Test
    void findsTheStatusCodeWhereverTheEnvelopeHasIt() {
        assertThat(scan("{\"status_code\":1000,\"data\":{}}")).isEqualTo(1000);
        assertThat(scan("{\"data\":[{\"id\":\"status_code\"}], \"status_code\" : 2003 }")).isEqualTo(2003);
        assertThat(scan("{\"data\":{\"name\":\"status_code\",\"x\":1},\n\"status_code\":\n\t3000}")).isEqualTo(3000);
    }

    @Test
    void aKeyOrNumberSplitAcrossChunksIsFound() {
        assertThat(scan("{\"data\":null,\"status_c", "ode\":10", "01,\"timestamp\":\"x\"}")).isEqualTo(1001);
        assertThat(scan("{\"status_code\":20", "01}")).isEqualTo(2001);
        assertThat(scan("{\"status_code\":4000")).isEqualTo(4000); // ended mid-number: what was read
    }

    @Test
    void noStatusCodeIsNull() {
        assertThat(scan("{\"data\":[]}")).isNull();
        assertThat(scan("not json")).isNull();
        assertThat(scan("{\"status_code\":\"1000\"}")).isNull(); // a string is not a status code
    }

    @Test
    void aStatusCodeAfterALargeDataIsFoundInTheTailAndTheMiddleIsNeverRead() {
        String data = "{\"data\":[" + "{\"id\":\"LOC\",\"name\":\"x\"},".repeat(2000) + "{}],";
        String end = "\"status_code\": 2001, \"status_message\":\"ok\",\"timestamp\":\"2026-12-01T00:00:00Z\"}";
        assertThat(scan(data + end)).isEqualTo(2001);
        // the same body in chunks of 100 bytes, the key split between two of them
        String body = data + end;
        String[] chunks = new String[(body.length() + 99) / 100];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = body.substring(i * 100, Math.min(body.length(), i * 100 + 100));
        }
        assertThat(scan(chunks)).isEqualTo(2001);
        // a "status_code" key inside data, in the unread middle, is not taken for the envelope's
        String nested = "{\"data\":[" + "{\"a\":1},".repeat(100) + "{\"status_code\":7}," + "{\"a\":1},".repeat(200)
                + "{}],\"status_code\":1000}";
        assertThat(scan(nested)).isEqualTo(1000);
    }

    @Test
    void aStatusCodeFirstIsFoundInTheHeadEvenWhenTheNumberCrossesItsEnd() {
        String pad = " ".repeat(OcpiStatusScanner.HEAD - 16);
        assertThat(scan("{" + pad + "\"status_code\":1000,\"data\":[" + "{\"a\":1},".repeat(500) + "{}]}"))
                .isEqualTo(1000);
    }
}
