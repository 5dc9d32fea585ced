package org.ocpihub.router.forward;

import org.ocpihub.ocpi.OcpiJson;
import org.springframework.core.io.buffer.DataBuffer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.async.ByteArrayFeeder;

/**
 * Checks that the first network chunk of a receiver's answer starts a JSON object, by scanning the tokens of at most
 * its first {@value #CHECKED_BYTES} bytes (no tree is built, nothing extra is buffered). That catches what a broken
 * receiver sends instead of OCPI (an HTML error page, an array, a bare value, an object cut short by garbage) before
 * the hub commits a status; what comes later streams as the receiver sent it. The bound keeps the cost per answer
 * fixed: a 64 kB page of Locations costs the same check as a 1 kB Location (issue 12: tokenising whole first chunks
 * was 6 % of the hub's CPU on routed GETs).
 */
final class JsonPrefixCheck {

    /** The most bytes of the first chunk scanned. */
    static final int CHECKED_BYTES = 512;

    private JsonPrefixCheck() {
    }

    static boolean looksValid(DataBuffer first) {
        byte[] bytes = new byte[Math.min(first.readableByteCount(), CHECKED_BYTES)];
        first.toByteBuffer(first.readPosition(), java.nio.ByteBuffer.wrap(bytes), 0, bytes.length);
        int start = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3; // UTF-8 byte order mark
        }
        if (start == 0 && bytes.length < 3 && bytes.length > 0 && (bytes[0] & 0xFF) == 0xEF
                && (bytes.length == 1 || (bytes[1] & 0xFF) == 0xBB)) {
            return true; // the network split the byte order mark: judge the next chunk's bytes
        }
        int firstByte = start;
        while (firstByte < bytes.length && isJsonWhiteSpace(bytes[firstByte])) {
            firstByte++;
        }
        if (firstByte < bytes.length && bytes[firstByte] != '{') {
            return false; // not an object (HTML, an array, a bare number the parser would still wait on)
        }
        try (JsonParser parser = OcpiJson.mapper().createNonBlockingByteArrayParser()) {
            ((ByteArrayFeeder) parser.nonBlockingInputFeeder()).feedInput(bytes, start, bytes.length);
            JsonToken token = parser.nextToken();
            if (token == JsonToken.NOT_AVAILABLE) {
                return true; // only white space so far
            }
            if (token != JsonToken.START_OBJECT) {
                return false;
            }
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                // scanning is the check
            }
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    private static boolean isJsonWhiteSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
