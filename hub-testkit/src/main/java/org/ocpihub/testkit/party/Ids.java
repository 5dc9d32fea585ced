package org.ocpihub.testkit.party;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids for simulated platforms: unique, not secret. {@code UUID.randomUUID()} reads the OS entropy file, a
 * blocking call that BlockHound rejects on the event loops where these ids are made.
 */
final class Ids {

    private Ids() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }
}
