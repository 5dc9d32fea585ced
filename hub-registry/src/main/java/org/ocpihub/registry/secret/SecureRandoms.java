package org.ocpihub.registry.secret;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The hub's one cryptographic random source: a DRBG seeded once when this class loads (at start-up, see
 * RegistryConfiguration), so that drawing tokens and IVs later never reads the OS entropy file on an event loop.
 */
public final class SecureRandoms {

    private static final SecureRandom RANDOM = create();

    private SecureRandoms() {
    }

    private static SecureRandom create() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[16]); // seeds now, not on first use
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("DRBG is part of every JRE since 9", e);
        }
    }

    public static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Loads and seeds the generator; call at start-up. */
    public static void warmUp() {
        bytes(1);
    }
}
