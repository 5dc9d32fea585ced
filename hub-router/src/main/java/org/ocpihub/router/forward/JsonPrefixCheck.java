package org.ocpihub.router.forward;

import org.ocpihub.ocpi.OcpiJson;
import org.springframework.core.io.buffer.DataBuffer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.async.ByteArrayFeeder;

/**
 * Checks that the first network chunk of a receiver's answer is the start of a JSON object, by scanning its tokens
 * (no tree is built, nothing extra is buffered). Most single-object answers arrive in one chunk, so garbage is caught
 * before the hub commits a status; what comes in later chunks streams as the receiver sent it.
 */
final class JsonPrefixCheck {

    private JsonPrefixCheck() {
    }

    static boolean looksValid(DataBuffer first) {
        byte[] bytes = new byte[first.readableByteCount()];
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
