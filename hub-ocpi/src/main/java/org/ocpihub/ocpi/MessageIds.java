package org.ocpihub.ocpi;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New X-Request-ID / X-Correlation-ID values (TF 4.2): random version-4 UUIDs. They must be unique, not secret, so
 * they come from {@link ThreadLocalRandom}: {@code UUID.randomUUID()} reads the OS entropy file, a blocking call on an
 * event loop.
 */
public final class MessageIds {

    private MessageIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;                    // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }
}
