package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** What the hub relays as an OCPI answer, judged on the first chunk alone. */
class JsonPrefixCheckTest {

    private static DataBuffer chunk(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"status_code\":1000,\"timestamp\":\"2026-12-03T10:00:00Z\",\"data\":{\"id\":\"LOC1\"}}",
            "  \n{\"data\":[1,2,3],\"status_code\":1000}\n",
            // a first chunk that ends inside the object: the rest comes later
            "{\"status_code\":1000,\"data\":[{\"id\":\"LOC1\",\"name\":\"Sta",
            "{\"data\":[{\"id\":\"LOC1\"},",
            "{",
            // cut inside a literal, a number, an escape or a field name
            "{\"a\":tr", "{\"a\":nul", "{\"a\":fals", "{\"a\":1.", "{\"a\":-", "{\"a\":1e", "{\"a\":\"x\\",
            "{\"a\":\"x\\u00", "{\"stat",
            // white space only so far
            "   ",
            ""})
    void objectsAndTheirPrefixesPass(String text) {
        assertThat(JsonPrefixCheck.looksValid(chunk(text))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<html><body>502 Bad Gateway</body></html>",
            "[{\"status_code\":1000}]",
            "1000",
            "\"ok\"",
            "true", "null", "  -1",
            "{\"status_code\":1000 oops",
            "{\"status_code\":1000,}",
            "{\"status_code\":1000}}",
            // (a partial literal after the object, like "tr", cannot be judged before the next chunk)
            "{\"status_code\":1000} xyz",
            "OK"})
    void anythingElseFails(String text) {
        assertThat(JsonPrefixCheck.looksValid(chunk(text))).isFalse();
    }

    @Test
    void aByteOrderMarkIsSkipped() {
        byte[] body = "{\"status_code\":1000}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertThat(JsonPrefixCheck.looksValid(DefaultDataBufferFactory.sharedInstance.wrap(withBom))).isTrue();
    }

    @Test
    void aChunkHoldingPartOfTheByteOrderMarkPasses() {
        assertThat(JsonPrefixCheck.looksValid(DefaultDataBufferFactory.sharedInstance.wrap(new byte[] {(byte) 0xEF})))
                .isTrue();
        assertThat(JsonPrefixCheck.looksValid(DefaultDataBufferFactory.sharedInstance.wrap(
                new byte[] {(byte) 0xEF, (byte) 0xBB}))).isTrue();
        assertThat(JsonPrefixCheck.looksValid(DefaultDataBufferFactory.sharedInstance.wrap(
                new byte[] {(byte) 0xEF, 'x'}))).isFalse();
    }

    @Test
    void aChunkEndingInsideAMultiByteCharacterPasses() {
        byte[] text = "{\"name\":\"Caf\u00e9 de la Gare\"}".getBytes(StandardCharsets.UTF_8);
        int cut = new String(text, StandardCharsets.UTF_8).indexOf('\u00e9') + 1; // after the first byte of é
        byte[] first = java.util.Arrays.copyOf(text, cut);
        assertThat((first[first.length - 1] & 0xFF)).isEqualTo(0xC3);
        assertThat(JsonPrefixCheck.looksValid(DefaultDataBufferFactory.sharedInstance.wrap(first))).isTrue();
    }

    @Test
    void theReadPositionIsNotMoved() {
        DataBuffer buffer = chunk("{\"status_code\":1000}");
        JsonPrefixCheck.looksValid(buffer);
        assertThat(buffer.readPosition()).isZero();
    }

    /** A page of Locations: one object, far longer than the bytes the check scans. */
    private static String longAnswer(String afterFirstBytes) {
        StringBuilder page = new StringBuilder("{\"status_code\":1000,\"data\":[");
        while (page.length() < JsonPrefixCheck.CHECKED_BYTES + 100) {
            page.append("{\"id\":\"LOC").append(page.length()).append("\",\"name\":\"Gare du Nord\"},");
        }
        return page.append(afterFirstBytes).toString();
    }

    @Test
    void garbageWithinTheScannedBytesOfALongChunkFails() {
        String answer = "{\"status_code\":1000 oops" + longAnswer("{}]}");
        assertThat(answer.length()).isGreaterThan(JsonPrefixCheck.CHECKED_BYTES);
        assertThat(JsonPrefixCheck.looksValid(chunk(answer))).isFalse();
    }

    @Test
    void onlyTheFirstBytesAreScanned() {
        // the bound (a fixed cost per answer): what lies past it streams unjudged, as later chunks always did
        assertThat(JsonPrefixCheck.looksValid(chunk(longAnswer("{}]} trailing garbage")))).isTrue();
        assertThat(JsonPrefixCheck.looksValid(chunk(longAnswer("{}]}")))).isTrue();
    }
}
