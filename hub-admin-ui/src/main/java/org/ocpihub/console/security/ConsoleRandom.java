package org.ocpihub.console.security;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The console's cryptographic random source (generated passwords, the masks of CSRF tokens): a DRBG seeded once at
 * start-up, like hub-registry's {@code SecureRandoms}, so that no draw reads the OS entropy file on an event loop
 * (the default {@code NativePRNG} does, on every call).
 */
public final class ConsoleRandom {

    /** Seeded when this class loads; {@link ConsoleSecurity} loads it at start-up. */
    public static final SecureRandom DRBG = create();

    private ConsoleRandom() {
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
}
