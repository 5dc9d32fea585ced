package org.ocpihub.registry.messagelog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Finds the {@code status_code} of an OCPI answer while it streams through the hub (for the message log), without
 * parsing or holding it. The envelope's {@code status_code} is a top-level field beside small ones and at most one
 * large one ({@code data}), so it lies near the start of the body or near its end: the first {@value #HEAD} bytes are
 * scanned as they pass (byte by byte for {@code "status_code"}, a colon and digits, across chunk boundaries), and the
 * last {@value #TAIL} bytes are kept and searched backwards when {@link #status()} is asked. The bytes in between (a
 * large {@code data}) are never looked at: the scan costs the same for a 2 KB and a 2 MB answer. The body is not
 * changed. Not thread-safe: one answer, fed in order.
 */
public final class OcpiStatusScanner {

    /** Bytes at the start of the body scanned as they pass. */
    static final int HEAD = 256;
    /** Bytes at the end of the body kept for the backward search. */
    static final int TAIL = 512;

    private static final byte[] KEY = "\"status_code\"".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_STATE = 0;
    private static final int COLON_STATE = 1;
    private static final int VALUE_STATE = 2;
    private static final int DIGITS_STATE = 3;
    private static final int DONE_STATE = 4;

    private int state = KEY_STATE;
    private int matched;
    private int value;
    private int digits;
    /** Bytes fed so far. */
    private long seen;
    /** The last bytes fed, oldest first: {@code tailLength} of them. */
    private byte[] tail;
    private int tailLength;
    private Integer fromTail;
    private boolean tailSearched;

    /** Scans {@code buffer}'s readable bytes (its read position is not moved). */
    public void feed(DataBuffer buffer) {
        if (state == DONE_STATE) {
            return;
        }
        int start = buffer.readPosition();
        int end = buffer.writePosition();
        int i = start;
        // the head, and past it only while a match that began in the head is still going on
        while (i < end && state != DONE_STATE && (seen + (i - start) < HEAD || inMatch())) {
            step(buffer.getByte(i++));
        }
        if (state != DONE_STATE && i < end) {
            keep(buffer, i, end);
        }
        seen += end - start;
        tailSearched = false;
    }

    /** Scans {@code bytes} whole. */
    public void feed(byte[] bytes) {
        feed(org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance.wrap(bytes));
    }

    /** The status code found, or null (none yet, or none in the answer). */
    public Integer status() {
        if (state == DONE_STATE || (state == DIGITS_STATE && digits > 0)) {
            return value;
        }
        if (!tailSearched) {
            fromTail = searchTail();
            tailSearched = true;
        }
        return fromTail;
    }

    private boolean inMatch() {
        return state != KEY_STATE || matched > 0;
    }

    /** Keeps the last {@value #TAIL} bytes seen, with bulk copies (the chunk's bytes {@code [from, end)}). */
    private void keep(DataBuffer buffer, int from, int end) {
        if (tail == null) {
            tail = new byte[TAIL];
        }
        int count = Math.min(end - from, TAIL);
        int stay = Math.min(tailLength, TAIL - count);
        System.arraycopy(tail, tailLength - stay, tail, 0, stay);
        buffer.toByteBuffer(end - count, ByteBuffer.wrap(tail), stay, count);
        tailLength = stay + count;
    }

    /** The last {@code "status_code"} in the kept tail followed by a colon and digits, or null. */
    private Integer searchTail() {
        if (tail == null) {
            return null;
        }
        int length = tailLength;
        byte[] window = tail;
        for (int at = length - KEY.length; at >= 0; at--) {
            if (window[at] != '"' || !keyAt(window, at)) {
                continue;
            }
            int k = at + KEY.length;
            while (k < length && whitespace(window[k])) {
                k++;
            }
            if (k >= length || window[k] != ':') {
                continue;
            }
            k++;
            while (k < length && whitespace(window[k])) {
                k++;
            }
            int number = 0;
            int count = 0;
            while (k < length && count < 6 && window[k] >= '0' && window[k] <= '9') {
                number = number * 10 + (window[k++] - '0');
                count++;
            }
            if (count > 0) {
                return number;
            }
        }
        return null;
    }

    private static boolean keyAt(byte[] window, int at) {
        for (int k = 0; k < KEY.length; k++) {
            if (window[at + k] != KEY[k]) {
                return false;
            }
        }
        return true;
    }

    private void step(byte c) {
        switch (state) {
            case KEY_STATE -> {
                if (c == KEY[matched]) {
                    if (++matched == KEY.length) {
                        state = COLON_STATE;
                    }
                } else {
                    matched = c == KEY[0] ? 1 : 0;
                }
            }
            case COLON_STATE -> {
                if (c == ':') {
                    state = VALUE_STATE;
                } else if (!whitespace(c)) {
                    restart(c);
                }
            }
            case VALUE_STATE -> {
                if (c >= '0' && c <= '9') {
                    value = c - '0';
                    digits = 1;
                    state = DIGITS_STATE;
                } else if (!whitespace(c)) {
                    restart(c);
                }
            }
            case DIGITS_STATE -> {
                if (c >= '0' && c <= '9' && digits < 6) {
                    value = value * 10 + (c - '0');
                    digits++;
                } else {
                    state = DONE_STATE;
                }
            }
            default -> {
            }
        }
    }

    private void restart(byte c) {
        state = KEY_STATE;
        matched = c == KEY[0] ? 1 : 0;
        value = 0;
        digits = 0;
    }

    private static boolean whitespace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
