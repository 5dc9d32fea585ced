package org.ocpihub.console.account;

import java.security.SecureRandom;

import org.ocpihub.console.security.ConsoleRandom;

/**
 * Generated passwords (a new account, a reset, the embedded default's first admin): 20 characters from an alphabet
 * without look-alikes (no 0/O, 1/l/I), about 115 bits. Shown once, never logged.
 */
public final class Passwords {

    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = ConsoleRandom.DRBG;

    private Passwords() {
    }

    /** A new random password. */
    public static String generate() {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
