package org.ocpihub.registry.messagelog;

import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Finds the {@code status_code} of an OCPI answer while it streams through the hub (for the message log), without
 * parsing or holding it: the chunks are fed in order and scanned byte by byte for {@code "status_code"}, a colon and
 * digits, across chunk boundaries; scanning stops at the first number found. The body is not changed or kept. An
 * answer whose {@code status_code} comes after a large {@code data} is scanned to there (a linear pass over bytes the
 * hub copies anyway). Not thread-safe: one answer, fed in order.
 */
public final class OcpiStatusScanner {

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

    /** Scans {@code buffer}'s readable bytes (its read position is not moved). */
    public void feed(DataBuffer buffer) {
        if (state == DONE_STATE) {
            return;
        }
        int end = buffer.writePosition();
        for (int i = buffer.readPosition(); i < end && state != DONE_STATE; i++) {
            step(buffer.getByte(i));
        }
    }

    /** Scans {@code bytes} whole. */
    public void feed(byte[] bytes) {
        for (int i = 0; i < bytes.length && state != DONE_STATE; i++) {
            step(bytes[i]);
        }
    }

    /** The status code found, or null (none yet, or none in the answer). */
    public Integer status() {
        if (state == DONE_STATE || (state == DIGITS_STATE && digits > 0)) {
            return value;
        }
        return null;
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
