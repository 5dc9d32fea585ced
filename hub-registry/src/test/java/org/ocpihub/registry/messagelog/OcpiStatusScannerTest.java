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
}
